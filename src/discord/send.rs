//! Sending without failing: every REST call's error is logged (without
//! tokens, URLs or user text) and turned into `None`, so a failed reply
//! never stops the handler or the bot.

use serenity::Error as SerenityError;
use serenity::builder::{Builder, CreateInteractionResponse, EditInteractionResponse};
use serenity::http::{Http, HttpError};
use serenity::model::channel::Message;
use serenity::model::id::InteractionId;

/// A Discord error answer: HTTP status and Discord's JSON error code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refusal {
    /// HTTP status, e.g. 403.
    pub status: u16,
    /// Discord's error code, e.g. 50013 (Missing Permissions).
    pub code: isize,
}

/// Discord's "Missing Access" (cannot see the channel).
pub const MISSING_ACCESS: isize = 50001;
/// Discord's "Missing Permissions".
pub const MISSING_PERMISSIONS: isize = 50013;

/// The status and code of an error Discord answered with, if it was one.
pub fn refusal(err: &SerenityError) -> Option<Refusal> {
    match err {
        SerenityError::Http(HttpError::UnsuccessfulRequest(r)) => {
            Some(Refusal { status: r.status_code.as_u16(), code: r.error.code })
        }
        _ => None,
    }
}

/// A description of an error safe to log: no URL (interaction tokens live
/// in URLs) and no request body.
pub fn describe(err: &SerenityError) -> String {
    match err {
        SerenityError::Http(HttpError::UnsuccessfulRequest(r)) => format!(
            "Discord answered {} {} (code {}: {})",
            r.method,
            r.status_code.as_u16(),
            r.error.code,
            r.error.message
        ),
        SerenityError::Http(HttpError::Request(e)) => {
            let kind = if e.is_timeout() {
                "timeout"
            } else if e.is_connect() {
                "cannot connect"
            } else {
                "request failed"
            };
            format!("network error: {kind}")
        }
        SerenityError::Http(e) => format!("HTTP error: {}", e.status_code().map_or(0, |s| s.as_u16())),
        SerenityError::Json(e) => format!("unexpected JSON from Discord: {e}"),
        SerenityError::Model(e) => format!("rejected before sending: {e}"),
        other => other.to_string(),
    }
}

/// Logs a failed call and returns its value, if any.
pub fn logged<T>(result: serenity::Result<T>, what: &str) -> Option<T> {
    match result {
        Ok(value) => Some(value),
        Err(e) => {
            tracing::warn!(what, error = %describe(&e), "Discord request failed");
            None
        }
    }
}

/// Answers an interaction; `false` (logged) if Discord refused.
pub async fn respond(
    http: &Http,
    id: InteractionId,
    token: &str,
    response: CreateInteractionResponse,
    what: &str,
) -> bool {
    logged(response.execute(http, (id, token)).await, what).is_some()
}

/// Edits the original response of an interaction (after a deferral).
pub async fn edit(http: &Http, token: &str, edit: EditInteractionResponse, what: &str) -> Option<Message> {
    logged(edit.execute(http, token).await, what)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn send_logged_passes_values() {
        assert_eq!(logged(Ok::<_, SerenityError>(3), "x"), Some(3));
        let err = SerenityError::Other("boom");
        assert_eq!(refusal(&err), None);
        assert_eq!(logged::<()>(Err(err), "x"), None);
    }
}
