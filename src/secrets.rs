//! Secrets: the Discord bot token (and, through [`var`], the store key of
//! [`crate::store::StoreKey`]). They come from the environment, or from a
//! git-ignored `.env` file when the variable is not set (the file never
//! overrides the environment). They are never printed: [`Token`]'s `Debug`
//! and `Display` redact it, and error messages name the problem, not the
//! value.

use std::fmt;

/// The environment variable holding the bot token.
pub const TOKEN_VAR: &str = "DISCORD_TOKEN";

/// A Discord bot token, checked for shape. `Debug` and `Display` redact it.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

/// Why no usable token was found. Never contains the token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// Neither the environment nor `.env` has `DISCORD_TOKEN`.
    #[error("{TOKEN_VAR} is not set: export it or put `{TOKEN_VAR}=...` in a .env file")]
    Missing,
    /// The value does not look like a bot token.
    #[error("{TOKEN_VAR} does not look like a Discord bot token: {0}")]
    Malformed(&'static str),
    /// `.env` exists but cannot be read or parsed (details left out: the
    /// failing line could hold the token).
    #[error("cannot read .env: {0}")]
    EnvFile(&'static str),
}

impl Token {
    /// Checks the shape of a token: three non-empty, dot-separated base64url
    /// parts (an optional `Bot ` prefix is dropped).
    pub fn parse(raw: &str) -> Result<Self, TokenError> {
        let raw = raw.trim();
        let raw = raw.strip_prefix("Bot ").unwrap_or(raw).trim();
        if raw.is_empty() {
            return Err(TokenError::Missing);
        }
        let parts: Vec<&str> = raw.split('.').collect();
        if parts.len() != 3 {
            return Err(TokenError::Malformed("expected three parts separated by dots"));
        }
        if parts.iter().any(|p| p.is_empty()) {
            return Err(TokenError::Malformed("a part between the dots is empty"));
        }
        let base64url = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
        if !parts.iter().all(|p| p.chars().all(base64url)) {
            return Err(TokenError::Malformed("it contains characters outside A-Z, a-z, 0-9, '-' and '_'"));
        }
        Ok(Self(raw.to_string()))
    }

    /// Reads `DISCORD_TOKEN` from the environment, else from `.env` in the
    /// current directory or a parent (read only; the environment is not
    /// modified).
    pub fn from_env() -> Result<Self, TokenError> {
        match var(TOKEN_VAR) {
            Ok(Some(value)) => Self::parse(&value),
            Ok(None) => Err(TokenError::Missing),
            Err(VarProblem::NotUnicode) => Err(TokenError::Malformed("it is not valid UTF-8")),
            Err(VarProblem::EnvFile(why)) => Err(TokenError::EnvFile(why)),
        }
    }

    /// The token itself, for the HTTP client. Do not log it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// Why a secret variable could not be read (never holds its value).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VarProblem {
    /// The environment variable is not valid UTF-8.
    NotUnicode,
    /// `.env` exists but cannot be read or parsed.
    EnvFile(&'static str),
}

/// A secret from the environment, else from `.env` in the current
/// directory or a parent (read only; the environment is not modified).
/// `None` if neither sets it.
pub fn var(name: &str) -> Result<Option<String>, VarProblem> {
    match std::env::var(name) {
        Ok(value) => Ok(Some(value)),
        Err(std::env::VarError::NotUnicode(_)) => Err(VarProblem::NotUnicode),
        Err(std::env::VarError::NotPresent) => from_dotenv(name),
    }
}

/// `name` from `.env`, if the file exists and sets it.
fn from_dotenv(name: &str) -> Result<Option<String>, VarProblem> {
    let iter = match dotenvy::dotenv_iter() {
        Ok(iter) => iter,
        Err(e) if e.not_found() => return Ok(None),
        Err(_) => return Err(VarProblem::EnvFile("the file cannot be opened")),
    };
    for item in iter {
        let (key, value) = item.map_err(|_| VarProblem::EnvFile("a line cannot be parsed"))?;
        if key == name {
            return Ok(Some(value));
        }
    }
    Ok(None)
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(<redacted>)")
    }
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "MTEwMDAwMDAwMDAwMDAwMDAwMQ.GaBcDe.abcdefghijklmnopqrstuvwxyz_0123456789-AB";

    #[test]
    fn token_good_shape_accepted() {
        assert_eq!(Token::parse(GOOD).unwrap().expose(), GOOD);
        assert_eq!(Token::parse(&format!("  Bot {GOOD}\n")).unwrap().expose(), GOOD);
    }

    #[test]
    fn token_bad_shapes_rejected() {
        assert_eq!(Token::parse("   "), Err(TokenError::Missing));
        for bad in ["abc", "a.b", "a.b.c.d", "a..c", "a.b.c d", "a.b.c=", "a.b/c.d"] {
            assert!(matches!(Token::parse(bad), Err(TokenError::Malformed(_))), "{bad}");
        }
    }

    #[test]
    fn token_never_printed() {
        let t = Token::parse(GOOD).unwrap();
        for shown in [format!("{t}"), format!("{t:?}"), format!("{:?}", Some(&t))] {
            assert!(!shown.contains("MTEw") && !shown.contains("GaBcDe"), "{shown}");
        }
        let err = Token::parse("MTEw.x").unwrap_err().to_string();
        assert!(!err.contains("MTEw"), "{err}");
    }
}
