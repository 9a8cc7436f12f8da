//! Rendering: a platform-neutral [`Reply`] becomes embeds and components
//! within Discord's limits. Pure functions; nothing here talks to Discord.
//!
//! Every builder made here carries empty allowed mentions, so no reply can
//! ping anyone, whatever text it holds.

mod components;
mod embed;
mod text;

use serenity::builder::{
    CreateActionRow, CreateAllowedMentions, CreateEmbed, CreateInteractionResponseMessage, CreateMessage,
    EditInteractionResponse,
};
use serenity::model::id::{ChannelId, MessageId};

pub use components::{NONE_LABEL, choice_buttons, feedback_row, topic_menu, topic_pages};
pub use embed::{EmbedText, colors};
pub use text::{chars, escape_mentions, fit_lines, truncate};

use super::ids::CustomId;
use super::limits;
use crate::engine::{DecisionKind, Response};
use crate::reply::{Reply, ReplyKind, SourceLink, Topic};

/// Most "did you mean" buttons shown.
pub const MAX_CLARIFY_BUTTONS: usize = 3;
/// Added to the "no answer" text: where to look instead.
pub const TOPICS_HINT: &str = "Use `/topics` to see everything I can answer, or try asking in other words.";
/// Added to help replies: how to reach the bot on Discord.
pub const HELP_HINT: &str = "**How to ask:** mention me with your question, send me a direct message, or use `/ask`. \
`/topics` lists everything I can answer and `/about` explains what I am.";

/// Allowed mentions that allow nothing: no user, role, `@everyone` or
/// replied-to author is pinged.
pub fn no_pings() -> CreateAllowedMentions {
    CreateAllowedMentions::new().everyone(false).all_users(false).all_roles(false)
}

/// A message ready to send: content, embeds and component rows.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// Message text (empty: none). Callers escape user text before it goes here.
    pub content: String,
    /// Embeds.
    pub embeds: Vec<EmbedText>,
    /// Component rows (at most [`limits::ROWS`] are sent).
    pub components: Vec<CreateActionRow>,
}

impl Rendered {
    /// A text-only message.
    pub fn text(content: impl Into<String>) -> Self {
        Self { content: content.into(), ..Self::default() }
    }

    /// A message with one embed.
    pub fn embed(embed: EmbedText) -> Self {
        Self { embeds: vec![embed], ..Self::default() }
    }

    /// Adds component rows.
    pub fn with_components(mut self, rows: Vec<CreateActionRow>) -> Self {
        self.components.extend(rows);
        self
    }

    /// The content cut to [`limits::CONTENT`].
    pub fn fitted_content(&self) -> String {
        truncate(&self.content, limits::CONTENT)
    }

    /// The embeds as builders; together within [`limits::EMBED_TOTAL`].
    pub fn built_embeds(&self) -> Vec<CreateEmbed> {
        let embeds: Vec<&EmbedText> = self.embeds.iter().filter(|e| !e.is_empty()).take(limits::EMBEDS).collect();
        let share = limits::EMBED_TOTAL / embeds.len().max(1);
        embeds.iter().map(|e| e.build(share)).collect()
    }

    fn rows(&self) -> Vec<CreateActionRow> {
        self.components.iter().take(limits::ROWS).cloned().collect()
    }

    /// An interaction response message (new message).
    pub fn interaction(self, ephemeral: bool) -> CreateInteractionResponseMessage {
        let mut m = CreateInteractionResponseMessage::new()
            .embeds(self.built_embeds())
            .components(self.rows())
            .allowed_mentions(no_pings())
            .ephemeral(ephemeral);
        if !self.content.is_empty() {
            m = m.content(self.fitted_content());
        }
        m
    }

    /// An interaction response that replaces the message a component is on:
    /// content, embeds and components are all set, so nothing old remains.
    pub fn update(self) -> CreateInteractionResponseMessage {
        CreateInteractionResponseMessage::new()
            .content(self.fitted_content())
            .embeds(self.built_embeds())
            .components(self.rows())
            .allowed_mentions(no_pings())
    }

    /// An edit of a deferred interaction response.
    pub fn edit(self) -> EditInteractionResponse {
        EditInteractionResponse::new()
            .content(self.fitted_content())
            .embeds(self.built_embeds())
            .components(self.rows())
            .allowed_mentions(no_pings())
    }

    /// A channel message.
    pub fn message(self) -> CreateMessage {
        let mut m =
            CreateMessage::new().embeds(self.built_embeds()).components(self.rows()).allowed_mentions(no_pings());
        if !self.content.is_empty() {
            m = m.content(self.fitted_content());
        }
        m
    }

    /// A channel message replying to `message` without pinging its author.
    pub fn reply_to(self, channel: ChannelId, message: MessageId) -> CreateMessage {
        self.message().reference_message((channel, message)).allowed_mentions(no_pings().replied_user(false))
    }

    /// The same message as plain text, for channels where embeds are not
    /// allowed; components are kept by the caller if wanted.
    pub fn plain(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        if !self.content.is_empty() {
            parts.push(self.content.clone());
        }
        for e in &self.embeds {
            if !e.title.is_empty() {
                parts.push(format!("**{}**", e.title));
            }
            if !e.description.is_empty() {
                parts.push(e.description.clone());
            }
            parts.extend(e.fields.iter().map(|(n, v)| format!("**{n}**\n{v}")));
            if !e.footer.is_empty() {
                parts.push(format!("-# {}", e.footer));
            }
        }
        truncate(&parts.join("\n\n"), limits::CONTENT)
    }
}

/// A markdown link to a source, with brackets and parentheses escaped.
fn source_line(s: &SourceLink) -> String {
    let title = s.title.replace('[', "\\[").replace(']', "\\]");
    let url = s.url.replace('(', "%28").replace(')', "%29").replace(' ', "%20");
    format!("• [{title}]({url})")
}

fn notice_field(reply: &Reply) -> Option<(String, String)> {
    reply.notice.as_ref().map(|n| ("Please note".to_string(), n.clone()))
}

/// The embed of an FAQ answer: the understood question as title, the answer,
/// sources, the notice and the review date.
pub fn answer_embed(reply: &Reply) -> EmbedText {
    let mut fields = Vec::new();
    if !reply.sources.is_empty() {
        let lines: Vec<String> = reply.sources.iter().map(source_line).collect();
        fields.push(("Sources".to_string(), fit_lines(&lines, limits::FIELD_VALUE, |n| format!("…and {n} more"))));
    }
    fields.extend(notice_field(reply));
    EmbedText {
        title: reply.title.clone(),
        description: reply.body.clone(),
        fields,
        footer: reply.reviewed.as_ref().map(|d| format!("Last reviewed {d} · from a reviewed FAQ")).unwrap_or_default(),
        color: colors::ANSWER,
    }
}

/// An FAQ entry with its related-topics menu and, with an entry id, the
/// "Was this helpful?" buttons.
pub fn entry(reply: &Reply, intent: Option<&str>) -> Rendered {
    let mut rows = Vec::new();
    rows.extend(topic_menu("related", "Related topics", &reply.related));
    rows.extend(intent.and_then(feedback_row));
    Rendered::embed(answer_embed(reply)).with_components(rows)
}

/// An entry as a moderator posts it: the embed alone, with their note (its
/// mentions escaped) as the message text.
pub fn post(reply: &Reply, note: Option<&str>) -> Rendered {
    let mut r = Rendered::embed(answer_embed(reply));
    if let Some(note) = note.map(str::trim).filter(|n| !n.is_empty()) {
        r.content = escape_mentions(note);
    }
    r
}

/// "Did you mean": the question, then a button per choice and "None of these".
pub fn clarify(reply: &Reply, id_for: impl Fn(&Topic) -> CustomId) -> Rendered {
    let embed = EmbedText {
        title: reply.title.clone(),
        description: reply.body.clone(),
        fields: notice_field(reply).into_iter().collect(),
        footer: String::new(),
        color: colors::CLARIFY,
    };
    Rendered::embed(embed).with_components(choice_buttons(&reply.choices, MAX_CLARIFY_BUTTONS, id_for))
}

/// No answer: says so plainly, points to `/topics`, carries the notice and
/// offers the closest topics, if any, in a menu.
pub fn fallback(reply: &Reply) -> Rendered {
    let embed = EmbedText {
        title: reply.title.clone(),
        description: format!("{}\n\n{TOPICS_HINT}", reply.body),
        fields: notice_field(reply).into_iter().collect(),
        footer: String::new(),
        color: colors::FALLBACK,
    };
    Rendered::embed(embed)
        .with_components(topic_menu("related", "Closest topics", &reply.choices).into_iter().collect())
}

/// Emergency or crisis: the urgent-care text in red, and nothing else to click.
pub fn urgent(reply: &Reply) -> Rendered {
    let title = match reply.kind {
        ReplyKind::Emergency => format!("🚨 {}", reply.title),
        _ => reply.title.clone(),
    };
    Rendered::embed(EmbedText {
        title,
        description: reply.body.clone(),
        fields: notice_field(reply).into_iter().collect(),
        footer: String::new(),
        color: colors::URGENT,
    })
}

/// A personal treatment decision: ask the care team; closest topics in a menu.
pub fn referral(reply: &Reply) -> Rendered {
    let embed = EmbedText {
        title: reply.title.clone(),
        description: reply.body.clone(),
        fields: notice_field(reply).into_iter().collect(),
        footer: String::new(),
        color: colors::REFERRAL,
    };
    Rendered::embed(embed)
        .with_components(topic_menu("related", "General information", &reply.choices).into_iter().collect())
}

/// An informational embed (about, help, small talk).
pub fn info(title: &str, description: &str) -> Rendered {
    Rendered::embed(EmbedText {
        title: title.to_string(),
        description: description.to_string(),
        color: colors::INFO,
        ..EmbedText::default()
    })
}

/// The whole response to a question, laid out by its kind.
pub fn response(r: &Response) -> Rendered {
    let reply = &r.reply;
    match reply.kind {
        ReplyKind::Answer => entry(reply, r.intent.as_deref()),
        ReplyKind::Clarify => clarify(reply, |t| CustomId::Topic(t.id.clone())),
        ReplyKind::Fallback => fallback(reply),
        ReplyKind::Emergency | ReplyKind::Crisis => urgent(reply),
        ReplyKind::Referral => referral(reply),
        ReplyKind::Smalltalk => {
            let help = r.decision == DecisionKind::Smalltalk && matches!(r.reason.as_deref(), Some("help" | "how-to"));
            let body = if help { format!("{}\n\n{HELP_HINT}", reply.body) } else { reply.body.clone() };
            info(&reply.title, &body)
        }
    }
}

/// Every topic: a list in the embed and menus to open one.
pub fn topic_list(topics: &[Topic]) -> Rendered {
    let lines: Vec<String> = topics.iter().map(|t| format!("• {}", t.question)).collect();
    let description = fit_lines(&lines, limits::EMBED_DESCRIPTION, |n| format!("…and {n} more in the menus below."));
    let embed = EmbedText {
        title: format!("Topics I can answer ({})", topics.len()),
        description,
        footer: "Pick a topic from a menu below to read it.".into(),
        color: colors::INFO,
        ..EmbedText::default()
    };
    Rendered::embed(embed).with_components(topic_pages(topics))
}

#[cfg(test)]
mod tests;
