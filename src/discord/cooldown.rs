//! Per-user cooldown between questions, in memory (a restart forgets it).
//! The window can change while running (a config reload); people already
//! waiting are then measured against the new window.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Most users remembered before expired entries are dropped.
const PRUNE_ABOVE: usize = 10_000;

/// The result of [`Cooldown::check`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// Go ahead; the cooldown restarts now.
    Ready,
    /// Too soon.
    Wait {
        /// Whole seconds left, rounded up (at least 1).
        seconds_left: u64,
        /// Whether this is the first refusal in this cooldown: message-based
        /// questions get one note, not one per message.
        first_notice: bool,
    },
}

#[derive(Debug, Clone, Copy)]
struct Last {
    at: Instant,
    noticed: bool,
}

#[derive(Debug)]
struct Inner {
    window: Duration,
    last: HashMap<u64, Last>,
}

/// Remembers when each user last asked.
#[derive(Debug)]
pub struct Cooldown {
    inner: Mutex<Inner>,
}

impl Cooldown {
    /// A cooldown of `seconds` (0 disables it).
    pub fn new(seconds: u64) -> Self {
        Self { inner: Mutex::new(Inner { window: Duration::from_secs(seconds), last: HashMap::new() }) }
    }

    /// Changes the window to `seconds` (0 disables it).
    pub fn set_seconds(&self, seconds: u64) {
        self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner).window = Duration::from_secs(seconds);
    }

    /// The window in whole seconds.
    pub fn seconds(&self) -> u64 {
        self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner).window.as_secs()
    }

    /// Checks and, when ready, records a question by `user` now.
    pub fn check(&self, user: u64) -> Check {
        self.check_at(user, Instant::now())
    }

    /// [`Cooldown::check`] at a given instant.
    pub fn check_at(&self, user: u64, now: Instant) -> Check {
        let mut inner = self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let Inner { window, last } = &mut *inner;
        let window = *window;
        if window.is_zero() {
            return Check::Ready;
        }
        if last.len() > PRUNE_ABOVE {
            last.retain(|_, l| now.saturating_duration_since(l.at) < window);
        }
        if let Some(l) = last.get_mut(&user) {
            let elapsed = now.saturating_duration_since(l.at);
            if elapsed < window {
                let left = window - elapsed;
                let seconds_left = left.as_secs() + u64::from(left.subsec_nanos() > 0);
                let first_notice = !l.noticed;
                l.noticed = true;
                return Check::Wait { seconds_left: seconds_left.max(1), first_notice };
            }
        }
        last.insert(user, Last { at: now, noticed: false });
        Check::Ready
    }
}

impl Cooldown {
    /// Forgets a user's last question (`/forget-me`).
    pub fn forget(&self, user: u64) -> bool {
        self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner).last.remove(&user).is_some()
    }
}

/// The polite note for someone who must wait.
pub fn note(seconds_left: u64) -> String {
    let unit = if seconds_left == 1 { "second" } else { "seconds" };
    format!(
        "Please wait {seconds_left} more {unit} before asking another question. This keeps me available for everyone."
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cooldown_waits_then_allows() {
        let c = Cooldown::new(5);
        let t0 = Instant::now();
        assert_eq!(c.check_at(1, t0), Check::Ready);
        assert_eq!(c.check_at(2, t0), Check::Ready, "per user");
        assert_eq!(
            c.check_at(1, t0 + Duration::from_millis(1500)),
            Check::Wait { seconds_left: 4, first_notice: true }
        );
        assert_eq!(
            c.check_at(1, t0 + Duration::from_millis(4999)),
            Check::Wait { seconds_left: 1, first_notice: false }
        );
        assert_eq!(c.check_at(1, t0 + Duration::from_secs(5)), Check::Ready);
        assert!(matches!(c.check_at(1, t0 + Duration::from_secs(6)), Check::Wait { first_notice: true, .. }));
    }

    #[test]
    fn cooldown_forgotten_user_may_ask_again() {
        let c = Cooldown::new(60);
        assert_eq!(c.check(1), Check::Ready);
        assert!(matches!(c.check(1), Check::Wait { .. }));
        assert!(c.forget(1));
        assert!(!c.forget(1), "nothing left");
        assert_eq!(c.check(1), Check::Ready);
    }

    #[test]
    fn cooldown_zero_disabled() {
        let c = Cooldown::new(0);
        let t0 = Instant::now();
        assert_eq!(c.check_at(1, t0), Check::Ready);
        assert_eq!(c.check_at(1, t0), Check::Ready);
    }

    #[test]
    fn cooldown_window_changes_live() {
        let c = Cooldown::new(5);
        let t0 = Instant::now();
        assert_eq!(c.check_at(1, t0), Check::Ready);
        c.set_seconds(2);
        assert_eq!(c.seconds(), 2);
        assert_eq!(c.check_at(1, t0 + Duration::from_secs(1)), Check::Wait { seconds_left: 1, first_notice: true });
        assert_eq!(c.check_at(1, t0 + Duration::from_secs(3)), Check::Ready, "measured against the new window");
        c.set_seconds(0);
        assert_eq!(c.check_at(1, t0 + Duration::from_secs(3)), Check::Ready, "0 disables it");
    }

    #[test]
    fn cooldown_note_counts() {
        assert!(note(1).contains("1 more second "));
        assert!(note(3).contains("3 more seconds"));
    }
}
