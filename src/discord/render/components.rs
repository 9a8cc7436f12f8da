//! Buttons and select menus, within Discord's limits. A component whose
//! custom id cannot be encoded is left out rather than sent broken.

use serenity::builder::{
    CreateActionRow, CreateButton, CreateSelectMenu, CreateSelectMenuKind, CreateSelectMenuOption,
};
use serenity::model::application::ButtonStyle;

use super::text::truncate;
use crate::discord::ids::CustomId;
use crate::discord::limits;
use crate::reply::Topic;

/// Label of the "none of these" button.
pub const NONE_LABEL: &str = "None of these";

/// A row of buttons, one per topic (at most `max`), then "None of these".
pub fn choice_buttons(topics: &[Topic], max: usize, id_for: impl Fn(&Topic) -> CustomId) -> Vec<CreateActionRow> {
    let mut buttons: Vec<CreateButton> = topics
        .iter()
        .take(max.min(limits::BUTTONS_PER_ROW - 1))
        .filter_map(|t| {
            let id = id_for(t).encode()?;
            Some(CreateButton::new(id).style(ButtonStyle::Primary).label(truncate(&t.question, limits::BUTTON_LABEL)))
        })
        .collect();
    if let Some(none) = CustomId::None.encode() {
        buttons.push(CreateButton::new(none).style(ButtonStyle::Secondary).label(NONE_LABEL));
    }
    vec![CreateActionRow::Buttons(buttons)]
}

/// 👍 / 👎 for an entry; `None` if the entry id cannot be encoded.
pub fn feedback_row(intent: &str) -> Option<CreateActionRow> {
    let up = CustomId::Feedback { intent: intent.to_string(), helpful: true }.encode()?;
    let down = CustomId::Feedback { intent: intent.to_string(), helpful: false }.encode()?;
    Some(CreateActionRow::Buttons(vec![
        CreateButton::new(up).style(ButtonStyle::Secondary).emoji('👍').label("Helpful"),
        CreateButton::new(down).style(ButtonStyle::Secondary).emoji('👎').label("Not helpful"),
    ]))
}

/// A select menu of topics (the first 25 that can be encoded); `None` when
/// there is nothing to pick.
pub fn topic_menu(name: &str, placeholder: &str, topics: &[Topic]) -> Option<CreateActionRow> {
    let id = CustomId::Menu(name.to_string()).encode()?;
    let options: Vec<CreateSelectMenuOption> = topics
        .iter()
        .filter(|t| !t.id.is_empty() && t.id.chars().count() <= limits::OPTION_VALUE)
        .take(limits::SELECT_OPTIONS)
        .map(|t| CreateSelectMenuOption::new(truncate(&t.question, limits::OPTION_LABEL), t.id.clone()))
        .collect();
    if options.is_empty() {
        return None;
    }
    let menu = CreateSelectMenu::new(id, CreateSelectMenuKind::String { options })
        .placeholder(truncate(placeholder, limits::PLACEHOLDER))
        .min_values(1)
        .max_values(1);
    Some(CreateActionRow::SelectMenu(menu))
}

/// Menus holding every topic, 25 per menu, at most [`limits::ROWS`] menus.
pub fn topic_pages(topics: &[Topic]) -> Vec<CreateActionRow> {
    let pages = topics.chunks(limits::SELECT_OPTIONS).take(limits::ROWS);
    let single = topics.len() <= limits::SELECT_OPTIONS;
    pages
        .enumerate()
        .filter_map(|(i, page)| {
            let first = i * limits::SELECT_OPTIONS + 1;
            let placeholder = if single {
                "Open a topic".to_string()
            } else {
                format!("Open a topic ({first}–{})", first + page.len() - 1)
            };
            topic_menu(&format!("topics-{}", i + 1), &placeholder, page)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn topics(n: usize, question_len: usize) -> Vec<Topic> {
        (0..n).map(|i| Topic { id: format!("t-{i}"), question: "q".repeat(question_len) }).collect()
    }

    fn json(rows: &[CreateActionRow]) -> Vec<Value> {
        rows.iter().map(|r| serde_json::to_value(r).unwrap()).collect()
    }

    #[test]
    fn menu_options_at_and_over_25() {
        let at = json(&topic_pages(&topics(25, 10)));
        assert_eq!(at.len(), 1);
        assert_eq!(at[0]["components"][0]["options"].as_array().unwrap().len(), 25);
        let over = json(&topic_pages(&topics(26, 10)));
        assert_eq!(over.len(), 2);
        assert_eq!(over[1]["components"][0]["options"].as_array().unwrap().len(), 1);
        assert_ne!(over[0]["components"][0]["custom_id"], over[1]["components"][0]["custom_id"]);
        let many = topic_pages(&topics(25 * 6, 10));
        assert_eq!(many.len(), limits::ROWS);
    }

    #[test]
    fn option_labels_at_and_over_100() {
        for (len, cut) in [(100, false), (101, true)] {
            let rows = json(&[topic_menu("m", "p", &topics(1, len)).unwrap()]);
            let label = rows[0]["components"][0]["options"][0]["label"].as_str().unwrap();
            assert_eq!(label.chars().count(), 100);
            assert_eq!(label.ends_with('…'), cut);
        }
    }

    #[test]
    fn option_values_over_100_skipped() {
        let t = vec![Topic { id: "x".repeat(101), question: "q".into() }];
        assert!(topic_menu("m", "p", &t).is_none());
    }

    #[test]
    fn button_labels_at_and_over_80_multibyte() {
        for (len, cut) in [(80, false), (81, true)] {
            let t = vec![Topic { id: "a".into(), question: "ü".repeat(len) }];
            let rows = json(&choice_buttons(&t, 3, |t| CustomId::Topic(t.id.clone())));
            let label = rows[0]["components"][0]["label"].as_str().unwrap();
            assert_eq!(label.chars().count(), 80);
            assert_eq!(label.ends_with('…'), cut);
        }
    }

    #[test]
    fn choice_buttons_fit_one_row() {
        let rows = json(&choice_buttons(&topics(9, 5), 9, |t| CustomId::Topic(t.id.clone())));
        let buttons = rows[0]["components"].as_array().unwrap();
        assert_eq!(buttons.len(), limits::BUTTONS_PER_ROW);
        assert_eq!(buttons.last().unwrap()["custom_id"], "faq:v1:none");
        let three = json(&choice_buttons(&topics(5, 5), 3, |t| CustomId::Topic(t.id.clone())));
        assert_eq!(three[0]["components"].as_array().unwrap().len(), 4);
    }
}
