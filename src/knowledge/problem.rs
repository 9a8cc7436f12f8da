//! Problems found while loading or checking knowledge and config files.

use std::fmt;

/// One thing wrong with one file, named by file and field so a curator can
/// go straight to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The file, relative to the knowledge or config root (`intents/her2-score.toml`).
    pub file: String,
    /// The field (`answer`, `related[2]`, `sources[0].url`), when one is to blame.
    pub field: Option<String>,
    /// What is wrong, in lower case, without a final period.
    pub message: String,
}

impl Problem {
    /// A problem with a named field.
    pub fn field(file: impl Into<String>, field: impl Into<String>, message: impl Into<String>) -> Self {
        Self { file: file.into(), field: Some(field.into()), message: message.into() }
    }

    /// A problem with the file as a whole.
    pub fn file(file: impl Into<String>, message: impl Into<String>) -> Self {
        Self { file: file.into(), field: None, message: message.into() }
    }

    /// A TOML parse or shape error, with the field recovered from the error
    /// text or from the line the error points at.
    pub fn from_toml(file: &str, text: &str, err: &toml::de::Error) -> Self {
        let message = err.message().trim().to_string();
        let field = quoted_field(&message).or_else(|| {
            let start = err.span()?.start;
            key_on_line(text, start)
        });
        let line = err.span().map(|s| text[..s.start.min(text.len())].lines().count().max(1));
        let message = match line {
            Some(l) => format!("{message} (line {l})"),
            None => message,
        };
        Self { file: file.to_string(), field, message }
    }
}

/// `missing field `answer`` → `answer`.
fn quoted_field(message: &str) -> Option<String> {
    for marker in ["missing field `", "unknown field `", "duplicate key `"] {
        if let Some(pos) = message.find(marker) {
            let rest = &message[pos + marker.len()..];
            return rest.find('`').map(|end| rest[..end].to_string());
        }
    }
    None
}

/// The `key` of the `key = value` line containing byte `offset`.
fn key_on_line(text: &str, offset: usize) -> Option<String> {
    let offset = offset.min(text.len());
    let start = text[..offset].rfind('\n').map_or(0, |p| p + 1);
    let line = text[start..].lines().next()?;
    let key = line.split_once('=')?.0.trim().trim_matches('"');
    (!key.is_empty() && !key.contains(char::is_whitespace)).then(|| key.to_string())
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.field {
            Some(field) => write!(f, "{}: {field}: {}", self.file, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

/// Every problem found in a set of files; loading fails with all of them,
/// not only the first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problems(pub Vec<Problem>);

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.len();
        writeln!(f, "{n} problem{} found:", if n == 1 { "" } else { "s" })?;
        for p in &self.0 {
            writeln!(f, "  {p}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Problems {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problem_display_names_file_and_field() {
        let p = Problem::field("intents/a.toml", "answer", "is too long");
        assert_eq!(p.to_string(), "intents/a.toml: answer: is too long");
    }

    #[test]
    fn problem_from_missing_field_names_it() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct T {
            a: String,
            b: String,
        }
        let text = "a = \"x\"\n";
        let err = toml::from_str::<T>(text).unwrap_err();
        let p = Problem::from_toml("t.toml", text, &err);
        assert_eq!(p.field.as_deref(), Some("b"));
    }

    #[test]
    fn problem_from_wrong_type_names_key_on_line() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct T {
            a: String,
            n: u32,
        }
        let text = "a = \"x\"\nn = \"seven\"\n";
        let err = toml::from_str::<T>(text).unwrap_err();
        let p = Problem::from_toml("t.toml", text, &err);
        assert_eq!(p.field.as_deref(), Some("n"));
        assert!(p.message.contains("line 2"), "{}", p.message);
    }
}
