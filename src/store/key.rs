//! Telling people apart without knowing who they are. Where the store must
//! recognise one person again (one vote per person and entry, `/forget-me`)
//! it keeps a keyed hash of their platform id: BLAKE3 in keyed mode, with a
//! key derived from a secret in the environment ([`KEY_VAR`]). Without the
//! secret the hashes cannot be linked to ids, not even by trying every id.
//! Changing the secret makes older votes unlinkable (and so no longer
//! deletable by `/forget-me`, though they still count).

use std::fmt;

use crate::secrets::{self, VarProblem};

/// The environment variable (or `.env` line) holding the secret.
pub const KEY_VAR: &str = "HER2BOT_STORE_KEY";
/// Fewest characters the secret may have.
pub const MIN_KEY_CHARS: usize = 32;
/// Bytes of a [`PersonId`].
pub const PERSON_ID_BYTES: usize = 16;

/// The derived hashing key. `Debug` redacts it; it is never printed.
#[derive(Clone)]
pub struct StoreKey([u8; 32]);

/// Why no usable key was found. Never contains the secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    /// Neither the environment nor `.env` sets it.
    #[error(
        "{KEY_VAR} is not set: the store (store.enabled = true) needs a secret of at least {MIN_KEY_CHARS} \
characters to tell votes apart without keeping user ids. Export it or put `{KEY_VAR}=...` in a .env file \
(for example the output of `openssl rand -hex 32`), or set store.enabled = false"
    )]
    Missing,
    /// Too short to be a secret.
    #[error("{KEY_VAR} is too short: it has {0} characters and needs at least {MIN_KEY_CHARS}")]
    TooShort(usize),
    /// Not readable.
    #[error("cannot read {KEY_VAR}: {0}")]
    Unreadable(&'static str),
}

impl StoreKey {
    /// Derives the key from a secret of at least [`MIN_KEY_CHARS`]
    /// characters (surrounding whitespace ignored).
    pub fn parse(secret: &str) -> Result<Self, KeyError> {
        let secret = secret.trim();
        let chars = secret.chars().count();
        if chars == 0 {
            return Err(KeyError::Missing);
        }
        if chars < MIN_KEY_CHARS {
            return Err(KeyError::TooShort(chars));
        }
        Ok(Self(blake3::derive_key("her2bot 2026 store person id v1", secret.as_bytes())))
    }

    /// Reads [`KEY_VAR`] from the environment, else from `.env`.
    pub fn from_env() -> Result<Self, KeyError> {
        match secrets::var(KEY_VAR) {
            Ok(Some(secret)) => Self::parse(&secret),
            Ok(None) => Err(KeyError::Missing),
            Err(VarProblem::NotUnicode) => Err(KeyError::Unreadable("it is not valid UTF-8")),
            Err(VarProblem::EnvFile(why)) => Err(KeyError::Unreadable(why)),
        }
    }

    /// The id under which the store knows a person: a keyed hash of the
    /// platform's name and the person's id there.
    pub fn person(&self, platform: &str, id: u64) -> PersonId {
        let mut hasher = blake3::Hasher::new_keyed(&self.0);
        hasher.update(platform.as_bytes());
        hasher.update(b":");
        hasher.update(&id.to_le_bytes());
        let mut out = [0; PERSON_ID_BYTES];
        out.copy_from_slice(&hasher.finalize().as_bytes()[..PERSON_ID_BYTES]);
        PersonId(out)
    }
}

impl fmt::Debug for StoreKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("StoreKey(<redacted>)")
    }
}

/// A person as the store knows them: 16 bytes of keyed hash.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct PersonId(pub(crate) [u8; PERSON_ID_BYTES]);

impl PersonId {
    /// The bytes stored.
    pub fn as_bytes(&self) -> &[u8; PERSON_ID_BYTES] {
        &self.0
    }
}

impl fmt::Debug for PersonId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PersonId({:02x}{:02x}…)", self.0[0], self.0[1])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "0123456789abcdef0123456789abcdef";

    #[test]
    fn key_needs_a_long_secret() {
        assert_eq!(StoreKey::parse("  ").unwrap_err(), KeyError::Missing);
        assert_eq!(StoreKey::parse("short").unwrap_err(), KeyError::TooShort(5));
        assert!(StoreKey::parse(SECRET).is_ok());
    }

    #[test]
    fn person_ids_are_stable_keyed_and_distinct() {
        let k = StoreKey::parse(SECRET).unwrap();
        let other = StoreKey::parse(&SECRET.replace('0', "x")).unwrap();
        assert_eq!(k.person("discord", 42), k.person("discord", 42));
        assert_ne!(k.person("discord", 42), k.person("discord", 43));
        assert_ne!(k.person("discord", 42), k.person("matrix", 42));
        assert_ne!(k.person("discord", 42), other.person("discord", 42), "another secret, other ids");
        let bytes = k.person("discord", 42).0;
        assert!(!bytes.windows(8).any(|w| w == 42u64.to_le_bytes()), "the raw id does not appear");
    }

    #[test]
    fn key_never_printed() {
        let k = StoreKey::parse(SECRET).unwrap();
        assert_eq!(format!("{k:?}"), "StoreKey(<redacted>)");
        let err = StoreKey::parse("s3cr3t-but-short").unwrap_err().to_string();
        assert!(!err.contains("s3cr3t"), "{err}");
        assert!(KeyError::Missing.to_string().contains(KEY_VAR));
    }
}
