//! One embed as plain text parts, fitted to Discord's limits before it
//! becomes a serenity builder.

use serenity::builder::{CreateEmbed, CreateEmbedFooter};

use super::text::{chars, truncate};
use crate::discord::limits;

/// Embed colours by reply kind.
pub mod colors {
    /// An FAQ answer: calm blue.
    pub const ANSWER: u32 = 0x2E86C1;
    /// "Did you mean": amber.
    pub const CLARIFY: u32 = 0xF1C40F;
    /// No answer: grey.
    pub const FALLBACK: u32 = 0x95A5A6;
    /// Emergency or crisis: red.
    pub const URGENT: u32 = 0xE02B2B;
    /// Ask your care team: orange.
    pub const REFERRAL: u32 = 0xE67E22;
    /// Help, about, small talk, notes: Discord blurple.
    pub const INFO: u32 = 0x5865F2;
}

/// The text of one embed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EmbedText {
    /// Title (empty: none).
    pub title: String,
    /// Description (empty: none).
    pub description: String,
    /// Fields as (name, value), shown one per line.
    pub fields: Vec<(String, String)>,
    /// Footer text (empty: none).
    pub footer: String,
    /// Side colour.
    pub color: u32,
}

impl EmbedText {
    /// Characters Discord counts toward the per-message embed total.
    pub fn total_chars(&self) -> usize {
        chars(&self.title)
            + chars(&self.description)
            + self.fields.iter().map(|(n, v)| chars(n) + chars(v)).sum::<usize>()
            + chars(&self.footer)
    }

    /// Cuts every part to its own limit, drops empty or surplus fields, then
    /// shortens the description (and if need be the fields) until the whole
    /// embed is within `total` characters.
    pub fn fit(mut self, total: usize) -> Self {
        self.title = truncate(&self.title, limits::EMBED_TITLE);
        self.description = truncate(&self.description, limits::EMBED_DESCRIPTION);
        self.footer = truncate(&self.footer, limits::FOOTER);
        self.fields.retain(|(n, v)| !n.trim().is_empty() && !v.trim().is_empty());
        self.fields.truncate(limits::FIELDS);
        for (n, v) in &mut self.fields {
            *n = truncate(n, limits::FIELD_NAME);
            *v = truncate(v, limits::FIELD_VALUE);
        }
        let over = self.total_chars().saturating_sub(total);
        if over > 0 {
            let keep = chars(&self.description).saturating_sub(over);
            self.description = truncate(&self.description, keep);
        }
        while self.total_chars() > total && !self.fields.is_empty() {
            self.fields.pop();
        }
        if self.total_chars() > total {
            let keep = chars(&self.footer).saturating_sub(self.total_chars() - total);
            self.footer = truncate(&self.footer, keep);
        }
        if self.total_chars() > total {
            self.title = truncate(&self.title, total);
        }
        self
    }

    /// Whether the embed would show nothing (Discord refuses empty embeds).
    pub fn is_empty(&self) -> bool {
        self.title.trim().is_empty() && self.description.trim().is_empty() && self.fields.is_empty()
    }

    /// The serenity builder, fitted to `total` characters.
    pub fn build(&self, total: usize) -> CreateEmbed {
        let e = self.clone().fit(total);
        let mut embed = CreateEmbed::new().color(e.color);
        if !e.title.is_empty() {
            embed = embed.title(e.title);
        }
        if !e.description.is_empty() {
            embed = embed.description(e.description);
        }
        for (name, value) in e.fields {
            embed = embed.field(name, value, false);
        }
        if !e.footer.is_empty() {
            embed = embed.footer(CreateEmbedFooter::new(e.footer));
        }
        embed
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn json(e: &EmbedText) -> Value {
        serde_json::to_value(e.build(limits::EMBED_TOTAL)).unwrap()
    }

    fn len(v: &Value) -> usize {
        v.as_str().map_or(0, |s| s.chars().count())
    }

    #[test]
    fn embed_parts_at_limit_kept_whole() {
        let e = EmbedText {
            title: "t".repeat(limits::EMBED_TITLE),
            description: "d".repeat(limits::EMBED_DESCRIPTION),
            fields: vec![],
            footer: String::new(),
            color: 1,
        };
        let v = json(&e);
        assert_eq!(len(&v["title"]), 256);
        assert_eq!(len(&v["description"]), 4096);
        assert!(!v["description"].as_str().unwrap().ends_with('…'));
    }

    #[test]
    fn embed_parts_over_limit_cut() {
        let e = EmbedText {
            title: "é".repeat(limits::EMBED_TITLE + 1),
            description: "😀".repeat(limits::EMBED_DESCRIPTION + 1),
            fields: vec![("n".repeat(257), "v".repeat(limits::FIELD_VALUE + 1))],
            footer: "f".repeat(limits::FOOTER + 1),
            color: 1,
        };
        let fitted = e.fit(usize::MAX);
        assert_eq!(chars(&fitted.title), 256);
        assert!(fitted.title.ends_with('…'));
        assert_eq!(chars(&fitted.description), 4096);
        assert_eq!(chars(&fitted.fields[0].0), 256);
        assert_eq!(chars(&fitted.fields[0].1), 1024);
        assert_eq!(chars(&fitted.footer), 2048);
    }

    #[test]
    fn embed_field_value_at_limit_multibyte() {
        let value = "€".repeat(limits::FIELD_VALUE);
        let e = EmbedText { title: "t".into(), fields: vec![("n".into(), value.clone())], ..Default::default() };
        assert_eq!(e.fit(limits::EMBED_TOTAL).fields[0].1, value);
    }

    #[test]
    fn embed_total_at_and_over_6000() {
        // 256 + 4096 + 1 + 1024 + 623 = 6000 exactly.
        let at = EmbedText {
            title: "t".repeat(256),
            description: "d".repeat(4096),
            fields: vec![("n".into(), "v".repeat(1024))],
            footer: "f".repeat(623),
            color: 0,
        };
        assert_eq!(at.total_chars(), 6000);
        assert_eq!(at.clone().fit(limits::EMBED_TOTAL), at);
        let over = EmbedText { footer: "f".repeat(624), ..at };
        let fitted = over.fit(limits::EMBED_TOTAL);
        assert_eq!(fitted.total_chars(), 6000);
        assert_eq!(chars(&fitted.description), 4095, "the description gives way first");
        assert!(fitted.description.ends_with('…'));
        assert_eq!(chars(&fitted.footer), 624);
    }

    #[test]
    fn embed_fits_tiny_totals() {
        let e = EmbedText {
            title: "title".into(),
            description: "description".into(),
            fields: vec![("name".into(), "value".into())],
            footer: "footer".into(),
            color: 0,
        };
        for total in 0..40 {
            assert!(e.clone().fit(total).total_chars() <= total, "{total}");
        }
    }

    #[test]
    fn embed_empty_fields_dropped() {
        let e = EmbedText { title: "t".into(), fields: vec![("a".into(), " ".into())], ..Default::default() };
        assert!(json(&e).get("fields").is_none_or(|f| f.as_array().unwrap().is_empty()));
        assert!(EmbedText::default().is_empty());
    }
}
