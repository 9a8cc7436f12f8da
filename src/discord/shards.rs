//! `--shards START-END --total N`: which shards this process runs.

use std::str::FromStr;

use super::Error;

/// Which shards to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shards {
    /// As many as Discord recommends, all in this process.
    Auto,
    /// An explicit range.
    Range(ShardSpan),
}

/// Shards `start..=end` of `total`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShardSpan {
    /// First shard id.
    pub start: u32,
    /// Last shard id (inclusive).
    pub end: u32,
    /// Shards across all processes.
    pub total: u32,
}

/// `START-END` (or one shard id) as typed; the total comes separately.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShardRange {
    /// First shard id.
    pub start: u32,
    /// Last shard id (inclusive).
    pub end: u32,
}

impl FromStr for ShardRange {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let number = |t: &str| t.trim().parse::<u32>().map_err(|_| format!("`{t}` is not a shard number"));
        let (start, end) = match s.split_once('-') {
            Some((a, b)) => (number(a)?, number(b)?),
            None => (number(s)?, number(s)?),
        };
        if start > end {
            return Err(format!("the range {start}-{end} is backwards"));
        }
        Ok(Self { start, end })
    }
}

/// Options of `her2bot run`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct RunArgs {
    /// Shards to run in this process, inclusive, e.g. `0-3` (default:
    /// autosharding, as many as Discord recommends).
    #[arg(long, value_name = "START-END", requires = "total")]
    pub shards: Option<ShardRange>,
    /// Total number of shards across all processes (with --shards).
    #[arg(long, value_name = "N", requires = "shards")]
    pub total: Option<u32>,
}

impl RunArgs {
    /// The shards to run, checked.
    pub fn shards(&self) -> Result<Shards, Error> {
        match (self.shards, self.total) {
            (None, None) => Ok(Shards::Auto),
            (Some(r), Some(0)) => {
                Err(Error::Shards(format!("--total must be at least 1 (shards {}-{})", r.start, r.end)))
            }
            (Some(r), Some(total)) if r.end >= total => Err(Error::Shards(format!(
                "shard {} does not exist with --total {total} (ids go from 0 to {})",
                r.end,
                total - 1
            ))),
            (Some(r), Some(total)) => Ok(Shards::Range(ShardSpan { start: r.start, end: r.end, total })),
            _ => Err(Error::Shards("--shards and --total go together".into())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(shards: Option<&str>, total: Option<u32>) -> RunArgs {
        RunArgs { shards: shards.map(|s| s.parse().unwrap()), total }
    }

    #[test]
    fn shards_parsed_and_checked() {
        assert_eq!(args(None, None).shards().unwrap(), Shards::Auto);
        assert_eq!(
            args(Some("2-3"), Some(4)).shards().unwrap(),
            Shards::Range(ShardSpan { start: 2, end: 3, total: 4 })
        );
        assert_eq!(args(Some("1"), Some(2)).shards().unwrap(), Shards::Range(ShardSpan { start: 1, end: 1, total: 2 }));
        assert!(args(Some("0-4"), Some(4)).shards().is_err());
        assert!(args(Some("0-0"), Some(0)).shards().is_err());
        assert!(args(Some("0-1"), None).shards().is_err());
        assert!("3-1".parse::<ShardRange>().is_err());
        assert!("a-b".parse::<ShardRange>().is_err());
    }
}
