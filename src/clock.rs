//! Time as the store and the scheduler see it: whole seconds since the Unix
//! epoch, UTC. Behind a trait so tests can move time by hand.

use std::fmt;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// Seconds in a day.
pub const DAY: i64 = 86_400;

/// A source of the current time.
pub trait Clock: Send + Sync + fmt::Debug {
    /// Seconds since 1970-01-01T00:00:00Z.
    fn now(&self) -> i64;

    /// Days since 1970-01-01 (UTC): the finest time the store keeps for
    /// what people ask.
    fn today(&self) -> i64 {
        day_of(self.now())
    }
}

/// The day (since 1970-01-01, UTC) a Unix time falls on.
pub fn day_of(secs: i64) -> i64 {
    secs.div_euclid(DAY)
}

/// The system clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> i64 {
        SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
    }
}

/// A clock that only moves when told to (tests, benchmarks).
#[derive(Debug, Default)]
pub struct ManualClock(AtomicI64);

impl ManualClock {
    /// A clock showing `now`.
    pub fn new(now: i64) -> Self {
        Self(AtomicI64::new(now))
    }

    /// Sets the time.
    pub fn set(&self, now: i64) {
        self.0.store(now, Ordering::SeqCst);
    }

    /// Moves the time forward by `secs`.
    pub fn advance(&self, secs: i64) {
        self.0.fetch_add(secs, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_utc_and_floor() {
        assert_eq!(day_of(0), 0);
        assert_eq!(day_of(DAY - 1), 0);
        assert_eq!(day_of(DAY), 1);
        assert_eq!(day_of(-1), -1);
        let c = ManualClock::new(3 * DAY + 5);
        assert_eq!(c.today(), 3);
        c.advance(DAY);
        assert_eq!((c.now(), c.today()), (4 * DAY + 5, 4));
    }
}
