//! Scheduled topic posts: one schedule per server, a fixed grid of slots
//! (`anchor + k * every`, UTC), and a rotation that posts every topic once
//! before any repeats. All of it lives in the store, so a restart neither
//! skips nor repeats a post; a post that fell due while the bot was down is
//! made once, and the next one is the next slot in the future.
//!
//! Posting is claim → post → done: [`Store::claim_topic`] fixes the topic
//! for the due slot before posting, so a crash mid-post retries the same
//! topic with the same [`Schedule::nonce`] (which the platform can use to
//! drop a duplicate) rather than moving on.

use std::fmt;

use rusqlite::{OptionalExtension, Row, params};

use super::{Store, StoreError};
use crate::clock::{DAY, day_of};

/// Seconds in an hour.
pub const HOUR: i64 = 3_600;
/// Shortest period.
pub const MIN_EVERY: i64 = HOUR;
/// Longest period (12 weeks).
pub const MAX_EVERY: i64 = 84 * DAY;

/// How often a schedule posts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Every(i64);

impl Every {
    /// `<number><unit>`, unit `h` (hours), `d` (days) or `w` (weeks): `12h`,
    /// `1d`, `2w`. The error says politely what is wrong.
    pub fn parse(text: &str) -> Result<Self, String> {
        let t = text.trim().to_ascii_lowercase();
        let shown = text.trim();
        let digits_end = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
        let (number, unit) = t.split_at(digits_end);
        let how = "use a number and a unit, like `1d`, `12h` or `2w` (h = hours, d = days, w = weeks)";
        if number.is_empty() {
            return Err(format!("`{shown}` is not a period: {how}."));
        }
        let unit_secs = match unit.trim() {
            "h" | "hour" | "hours" => HOUR,
            "d" | "day" | "days" => DAY,
            "w" | "week" | "weeks" => 7 * DAY,
            "" => return Err(format!("`{shown}` has no unit: {how}.")),
            other => return Err(format!("`{other}` in `{shown}` is not a unit I know: {how}.")),
        };
        let n: i64 = number.parse().map_err(|_| format!("`{shown}` is far too long a period: at most 12 weeks."))?;
        let secs = n.checked_mul(unit_secs).unwrap_or(i64::MAX);
        if secs < MIN_EVERY {
            return Err(format!("`{shown}` is too often: at least one hour between posts (`1h`)."));
        }
        if secs > MAX_EVERY {
            return Err(format!("`{shown}` is too long a period: at most 12 weeks (`12w`)."));
        }
        Ok(Self(secs))
    }

    /// The period in seconds.
    pub fn secs(self) -> i64 {
        self.0
    }

    /// From seconds, if in range.
    pub fn from_secs(secs: i64) -> Option<Self> {
        (MIN_EVERY..=MAX_EVERY).contains(&secs).then_some(Self(secs))
    }
}

impl fmt::Display for Every {
    /// The largest whole unit: `2w`, `3d`, `36h`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.0;
        if s % (7 * DAY) == 0 {
            write!(f, "{}w", s / (7 * DAY))
        } else if s % DAY == 0 {
            write!(f, "{}d", s / DAY)
        } else if s % HOUR == 0 {
            write!(f, "{}h", s / HOUR)
        } else {
            write!(f, "{s}s")
        }
    }
}

/// `HH:MM` (optionally followed by `UTC`) as minutes after midnight UTC.
pub fn parse_at(text: &str) -> Result<u32, String> {
    let shown = text.trim();
    let lower = shown.to_ascii_lowercase();
    let t = lower.strip_suffix("utc").unwrap_or(&lower).trim();
    let how = "use 24-hour UTC time as HH:MM, like `09:00` or `18:30`";
    let parsed = t.split_once(':').and_then(|(h, m)| Some((h.parse::<u32>().ok()?, m.parse::<u32>().ok()?)));
    match parsed {
        None => Err(format!("`{shown}` is not a time: {how}.")),
        Some((h, m)) if h > 23 || m > 59 => Err(format!("`{shown}` is not a time of day: {how}.")),
        Some((h, m)) => Ok(h * 60 + m),
    }
}

/// Minutes after midnight as `HH:MM`.
pub fn format_at(minutes: u32) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// The first slot of a new schedule set at `now`: the next `at` time of day
/// (UTC) after now, or one period from now without `at`.
pub fn first_slot(now: i64, every: Every, at_minute: Option<u32>) -> i64 {
    match at_minute {
        Some(m) => {
            let t = day_of(now) * DAY + i64::from(m) * 60;
            if t > now { t } else { t + DAY }
        }
        None => now + every.secs(),
    }
}

/// The first slot of the grid `anchor + k * every` strictly after `now`.
pub fn next_slot_after(anchor: i64, every: Every, now: i64) -> i64 {
    if now < anchor {
        return anchor;
    }
    anchor + ((now - anchor) / every.secs() + 1) * every.secs()
}

/// A server's schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    /// The server.
    pub guild: u64,
    /// Where topics are posted.
    pub channel: u64,
    /// How often.
    pub every: Every,
    /// The time of day asked for, in minutes after midnight UTC.
    pub at_minute: Option<u32>,
    /// The grid's origin (Unix seconds).
    pub anchor: i64,
    /// The next slot to post (Unix seconds).
    pub next_due: i64,
    /// The topic being posted for `next_due`, if a post is under way.
    pub pending: Option<String>,
}

impl Schedule {
    fn from_row(row: &Row<'_>) -> rusqlite::Result<Self> {
        let every: i64 = row.get(2)?;
        Ok(Self {
            guild: row.get::<_, i64>(0)? as u64,
            channel: row.get::<_, i64>(1)? as u64,
            every: Every::from_secs(every).unwrap_or(Every(every.max(MIN_EVERY))),
            at_minute: row.get(3)?,
            anchor: row.get(4)?,
            next_due: row.get(5)?,
            pending: row.get(6)?,
        })
    }

    /// A token unique to this server's post for `next_due`, the same on
    /// every retry (at most 25 characters, as Discord's message nonce).
    pub fn nonce(&self) -> String {
        let mut h = blake3::Hasher::new();
        h.update(b"her2bot schedule nonce");
        h.update(&self.guild.to_le_bytes());
        h.update(&self.next_due.to_le_bytes());
        let bytes = h.finalize();
        let mut n = [0u8; 8];
        n.copy_from_slice(&bytes.as_bytes()[..8]);
        format!("s{}", u64::from_le_bytes(n) >> 1)
    }
}

const COLUMNS: &str = "guild, channel, every_secs, at_minute, anchor, next_due, pending";

/// Where the rotation stands for a server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rotation {
    /// Topics posted in the current cycle (that still exist).
    pub posted: usize,
    /// Topics in the cycle.
    pub total: usize,
    /// The topic the next post will show.
    pub next: Option<String>,
}

/// The next topic: the first of `topics` not posted in this cycle; a new
/// cycle starts when all have been.
fn pick<'a>(topics: &'a [String], posted: &[String]) -> (Option<&'a String>, bool) {
    match topics.iter().find(|t| !posted.contains(t)) {
        Some(t) => (Some(t), false),
        None => (topics.first(), true),
    }
}

impl Store {
    /// Sets (or replaces) a server's schedule at `now`; the first post is
    /// at [`first_slot`]. The rotation carries on where it was.
    pub fn set_schedule(
        &self,
        guild: u64,
        channel: u64,
        every: Every,
        at_minute: Option<u32>,
        now: i64,
    ) -> Result<Schedule, StoreError> {
        let anchor = first_slot(now, every, at_minute);
        let s = Schedule { guild, channel, every, at_minute, anchor, next_due: anchor, pending: None };
        self.conn()
            .execute(
                &format!("INSERT OR REPLACE INTO schedules ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, NULL)"),
                params![guild as i64, channel as i64, every.secs(), at_minute, anchor, anchor],
            )
            .map_err(self.err("save a schedule"))?;
        Ok(s)
    }

    /// A server's schedule, if it has one.
    pub fn schedule(&self, guild: u64) -> Result<Option<Schedule>, StoreError> {
        self.conn()
            .query_row(&format!("SELECT {COLUMNS} FROM schedules WHERE guild = ?1"), [guild as i64], Schedule::from_row)
            .optional()
            .map_err(self.err("read a schedule"))
    }

    /// Stops a server's schedule; the one stopped, if there was one. The
    /// rotation is kept, so a new schedule carries on where this one was.
    pub fn stop_schedule(&self, guild: u64) -> Result<Option<Schedule>, StoreError> {
        let old = self.schedule(guild)?;
        self.conn()
            .execute("DELETE FROM schedules WHERE guild = ?1", [guild as i64])
            .map_err(self.err("stop a schedule"))?;
        Ok(old)
    }

    /// Every schedule due at `now`, earliest first.
    pub fn due_schedules(&self, now: i64) -> Result<Vec<Schedule>, StoreError> {
        let conn = self.conn();
        let err = self.err("read due schedules");
        let mut stmt = conn
            .prepare_cached(&format!("SELECT {COLUMNS} FROM schedules WHERE next_due <= ?1 ORDER BY next_due, guild"))
            .map_err(&err)?;
        stmt.query_map([now], Schedule::from_row).and_then(Iterator::collect).map_err(&err)
    }

    fn posted_in_cycle(conn: &rusqlite::Connection, guild: u64) -> rusqlite::Result<Vec<String>> {
        let mut stmt = conn.prepare_cached("SELECT intent FROM rotation WHERE guild = ?1")?;
        stmt.query_map([guild as i64], |r| r.get(0)).and_then(Iterator::collect)
    }

    /// Fixes the topic for a server's due post and returns it: the pending
    /// one if a post was under way (and the topic still exists), else the
    /// next in the rotation. `None` without topics or schedule.
    pub fn claim_topic(&self, guild: u64, topics: &[String]) -> Result<Option<String>, StoreError> {
        let mut conn = self.conn();
        let err = self.err("choose the next scheduled topic");
        let tx = conn.transaction().map_err(&err)?;
        let pending: Option<Option<String>> = tx
            .query_row("SELECT pending FROM schedules WHERE guild = ?1", [guild as i64], |r| r.get(0))
            .optional()
            .map_err(&err)?;
        let Some(pending) = pending else { return Ok(None) };
        if let Some(p) = pending.filter(|p| topics.contains(p)) {
            return Ok(Some(p));
        }
        let posted = Self::posted_in_cycle(&tx, guild).map_err(&err)?;
        let (next, new_cycle) = pick(topics, &posted);
        let Some(next) = next.cloned() else { return Ok(None) };
        if new_cycle {
            tx.execute("DELETE FROM rotation WHERE guild = ?1", [guild as i64]).map_err(&err)?;
        }
        tx.execute("UPDATE schedules SET pending = ?2 WHERE guild = ?1", params![guild as i64, next]).map_err(&err)?;
        tx.commit().map_err(&err)?;
        Ok(Some(next))
    }

    /// Marks the claimed topic posted: it joins the cycle, and the next post
    /// is the first slot after `now` (one post however many slots passed).
    pub fn mark_posted(&self, guild: u64, intent: &str, now: i64) -> Result<(), StoreError> {
        let mut conn = self.conn();
        let err = self.err("record a scheduled post");
        let tx = conn.transaction().map_err(&err)?;
        tx.execute("INSERT OR IGNORE INTO rotation (guild, intent) VALUES (?1, ?2)", params![guild as i64, intent])
            .map_err(&err)?;
        Self::advance(&tx, guild, now).map_err(&err)?;
        tx.commit().map_err(&err)
    }

    /// Gives up the due post (the channel refused it): the topic stays
    /// unposted and the next try is the first slot after `now`.
    pub fn mark_skipped(&self, guild: u64, now: i64) -> Result<(), StoreError> {
        Self::advance(&self.conn(), guild, now).map_err(self.err("skip a scheduled post"))
    }

    fn advance(conn: &rusqlite::Connection, guild: u64, now: i64) -> rusqlite::Result<()> {
        let row: Option<(i64, i64)> = conn
            .query_row("SELECT anchor, every_secs FROM schedules WHERE guild = ?1", [guild as i64], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?;
        if let Some((anchor, every)) = row {
            let every = Every(every.max(MIN_EVERY));
            conn.execute(
                "UPDATE schedules SET pending = NULL, next_due = ?2 WHERE guild = ?1",
                params![guild as i64, next_slot_after(anchor, every, now)],
            )?;
        }
        Ok(())
    }

    /// Where a server's rotation stands over `topics`.
    pub fn rotation(&self, guild: u64, topics: &[String]) -> Result<Rotation, StoreError> {
        let conn = self.conn();
        let err = self.err("read the rotation");
        let posted = Self::posted_in_cycle(&conn, guild).map_err(&err)?;
        let pending: Option<String> = conn
            .query_row("SELECT pending FROM schedules WHERE guild = ?1", [guild as i64], |r| r.get(0))
            .optional()
            .map_err(&err)?
            .flatten();
        let next = pending.filter(|p| topics.contains(p)).or_else(|| pick(topics, &posted).0.cloned());
        let count = topics.iter().filter(|t| posted.contains(t)).count();
        let count = if count == topics.len() { 0 } else { count };
        Ok(Rotation { posted: count, total: topics.len(), next })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_parsed_politely() {
        assert_eq!(Every::parse("1d").unwrap().secs(), DAY);
        assert_eq!(Every::parse(" 12H ").unwrap().secs(), 12 * HOUR);
        assert_eq!(Every::parse("2w").unwrap().secs(), 14 * DAY);
        assert_eq!(Every::parse("3 days").unwrap().secs(), 3 * DAY);
        assert_eq!(Every::parse("1d").unwrap().to_string(), "1d");
        assert_eq!(Every::parse("14d").unwrap().to_string(), "2w");
        assert_eq!(Every::parse("36h").unwrap().to_string(), "36h");
        for (bad, says) in [
            ("", "not a period"),
            ("daily", "not a period"),
            ("5", "no unit"),
            ("5x", "`x` in `5x` is not a unit"),
            ("0d", "too often"),
            ("30m", "not a unit"),
            ("13w", "at most 12 weeks"),
            ("99999999999999999999w", "at most 12 weeks"),
        ] {
            let e = Every::parse(bad).unwrap_err();
            assert!(e.contains(says), "{bad}: {e}");
        }
    }

    #[test]
    fn at_parsed_politely() {
        assert_eq!(parse_at("09:30"), Ok(570));
        assert_eq!(parse_at("9:05 UTC"), Ok(545));
        assert_eq!(parse_at("23:59utc"), Ok(1439));
        assert_eq!(format_at(545), "09:05");
        for bad in ["24:00", "12:60", "noon", "12", "1:2:3", "-1:00", "12:00 CET"] {
            assert!(parse_at(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn slots_follow_the_grid() {
        let d = Every::parse("1d").unwrap();
        let day0 = 100 * DAY;
        assert_eq!(first_slot(day0 + 8 * HOUR, d, Some(9 * 60)), day0 + 9 * HOUR, "later today");
        assert_eq!(first_slot(day0 + 10 * HOUR, d, Some(9 * 60)), day0 + DAY + 9 * HOUR, "tomorrow");
        assert_eq!(first_slot(day0 + 9 * HOUR, d, Some(9 * 60)), day0 + DAY + 9 * HOUR, "now is not after now");
        assert_eq!(first_slot(day0, d, None), day0 + DAY);
        let anchor = day0 + 9 * HOUR;
        assert_eq!(next_slot_after(anchor, d, anchor - 1), anchor);
        assert_eq!(next_slot_after(anchor, d, anchor), anchor + DAY);
        assert_eq!(next_slot_after(anchor, d, anchor + 3 * DAY + 5), anchor + 4 * DAY, "missed slots skipped");
    }

    #[test]
    fn rotation_posts_each_topic_once_per_cycle() {
        let topics: Vec<String> = ["a", "b", "c"].map(String::from).to_vec();
        assert_eq!(pick(&topics, &[]), (Some(&topics[0]), false));
        assert_eq!(pick(&topics, &["a".into(), "c".into()]), (Some(&topics[1]), false));
        assert_eq!(pick(&topics, &topics), (Some(&topics[0]), true));
        assert_eq!(pick(&[], &[]), (None, true));
    }

    #[test]
    fn nonce_fits_discord_and_is_stable() {
        let s = Schedule {
            guild: u64::MAX,
            channel: 1,
            every: Every(DAY),
            at_minute: None,
            anchor: 0,
            next_due: i64::MAX,
            pending: None,
        };
        assert!(s.nonce().len() <= 25, "{}", s.nonce());
        assert_eq!(s.nonce(), s.clone().nonce());
        assert_ne!(s.nonce(), Schedule { next_due: 1, ..s.clone() }.nonce());
    }
}
