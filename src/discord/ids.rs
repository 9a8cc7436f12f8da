//! Component `custom_id`s: everything a button or menu needs is encoded in
//! its id, so components keep working after a restart (no collectors, no
//! state). Ids are versioned (`faq:v1:...`), at most
//! [`super::limits::CUSTOM_ID`] characters, and parsed
//! strictly: anything unexpected is [`IdError`], never a panic.

use super::limits;

/// Prefix of every id this bot makes.
pub const PREFIX: &str = "faq";
/// Current id format version.
pub const VERSION: &str = "v1";

/// What a component does when used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CustomId {
    /// A "did you mean" button: answer with this entry in place.
    Topic(String),
    /// A select menu whose chosen value is an entry id; the name only keeps
    /// menus in one message apart (`related`, `topics-1`, ...).
    Menu(String),
    /// "Was this helpful?" for an entry.
    Feedback {
        /// Entry id.
        intent: String,
        /// 👍 or 👎.
        helpful: bool,
    },
    /// "None of these".
    None,
    /// A choice from "Answer with FAQ": post this entry as a reply to a message.
    ReplyTo {
        /// Channel of the message.
        channel: u64,
        /// The message to reply to.
        message: u64,
        /// Entry id.
        intent: String,
    },
}

/// Why a `custom_id` could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdError {
    /// Not made by this bot (other prefix) or garbled.
    Unknown,
    /// Made by another version of this bot.
    OldVersion,
}

/// Whether a string can travel as an entry id or menu name inside an id.
fn valid_part(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.')
}

impl CustomId {
    /// The id as sent to Discord; `None` if a part cannot be encoded or the
    /// result would be longer than Discord allows.
    pub fn encode(&self) -> Option<String> {
        let body = match self {
            Self::Topic(intent) if valid_part(intent) => format!("topic:{intent}"),
            Self::Menu(name) if valid_part(name) => format!("menu:{name}"),
            Self::Feedback { intent, helpful } if valid_part(intent) => {
                format!("fb:{intent}:{}", if *helpful { "up" } else { "down" })
            }
            Self::None => "none".to_string(),
            Self::ReplyTo { channel, message, intent } if valid_part(intent) => {
                format!("reply:{channel}:{message}:{intent}")
            }
            _ => return None,
        };
        let id = format!("{PREFIX}:{VERSION}:{body}");
        (id.chars().count() <= limits::CUSTOM_ID).then_some(id)
    }

    /// Reads an id made by [`CustomId::encode`].
    pub fn decode(id: &str) -> Result<Self, IdError> {
        if id.len() > limits::CUSTOM_ID * 4 {
            return Err(IdError::Unknown);
        }
        let mut parts = id.split(':');
        if parts.next() != Some(PREFIX) {
            return Err(IdError::Unknown);
        }
        match parts.next() {
            Some(VERSION) => {}
            Some(v) if v.len() > 1 && v.starts_with('v') && v[1..].chars().all(|c| c.is_ascii_digit()) => {
                return Err(IdError::OldVersion);
            }
            _ => return Err(IdError::Unknown),
        }
        let rest: Vec<&str> = parts.collect();
        let part = |s: &str| valid_part(s).then(|| s.to_string()).ok_or(IdError::Unknown);
        let number = |s: &str| s.parse::<u64>().ok().filter(|n| *n > 0).ok_or(IdError::Unknown);
        match rest.as_slice() {
            ["topic", intent] => Ok(Self::Topic(part(intent)?)),
            ["menu", name] => Ok(Self::Menu(part(name)?)),
            ["fb", intent, "up"] => Ok(Self::Feedback { intent: part(intent)?, helpful: true }),
            ["fb", intent, "down"] => Ok(Self::Feedback { intent: part(intent)?, helpful: false }),
            ["none"] => Ok(Self::None),
            ["reply", channel, message, intent] => {
                Ok(Self::ReplyTo { channel: number(channel)?, message: number(message)?, intent: part(intent)? })
            }
            _ => Err(IdError::Unknown),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip() {
        let all = [
            CustomId::Topic("her2-score".into()),
            CustomId::Menu("topics-2".into()),
            CustomId::Feedback { intent: "her2-score".into(), helpful: true },
            CustomId::Feedback { intent: "her2-score".into(), helpful: false },
            CustomId::None,
            CustomId::ReplyTo { channel: u64::MAX, message: u64::MAX, intent: "her2-low-status".into() },
        ];
        for id in all {
            let text = id.encode().unwrap();
            assert!(text.starts_with("faq:v1:"), "{text}");
            assert!(text.chars().count() <= limits::CUSTOM_ID);
            assert_eq!(CustomId::decode(&text), Ok(id));
        }
    }

    #[test]
    fn ids_documented_shapes() {
        assert_eq!(CustomId::Topic("a".into()).encode().unwrap(), "faq:v1:topic:a");
        assert_eq!(CustomId::Feedback { intent: "a".into(), helpful: false }.encode().unwrap(), "faq:v1:fb:a:down");
        assert_eq!(CustomId::None.encode().unwrap(), "faq:v1:none");
    }

    #[test]
    fn ids_too_long_or_unencodable_refused() {
        // "faq:v1:topic:" is 13 characters: 87 fit, 88 do not.
        assert!(CustomId::Topic("a".repeat(87)).encode().is_some());
        assert!(CustomId::Topic("a".repeat(88)).encode().is_none());
        assert!(CustomId::Topic(String::new()).encode().is_none());
        assert!(CustomId::Topic("a:b".into()).encode().is_none());
        assert!(CustomId::Topic("é".into()).encode().is_none());
    }

    #[test]
    fn ids_garbled_rejected() {
        for bad in [
            "",
            "faq",
            "faq:v1",
            "faq:v1:",
            "faq:v1:topic",
            "faq:v1:topic:",
            "faq:v1:topic:a:b",
            "faq:v1:fb:a:maybe",
            "faq:v1:reply:x:1:a",
            "faq:v1:reply:0:1:a",
            "faq:v1:reply:1:1",
            "faq:v1:nonsense",
            "other:v1:topic:a",
            "faq:x:topic:a",
            "faq:v1:topic:<@1>",
            "FAQ:v1:none",
        ] {
            assert_eq!(CustomId::decode(bad), Err(IdError::Unknown), "{bad:?}");
        }
        assert_eq!(CustomId::decode(&"faq:v1:topic:".repeat(100)), Err(IdError::Unknown));
    }

    #[test]
    fn ids_other_version_recognised() {
        assert_eq!(CustomId::decode("faq:v0:topic:a"), Err(IdError::OldVersion));
        assert_eq!(CustomId::decode("faq:v2:anything:else"), Err(IdError::OldVersion));
    }
}
