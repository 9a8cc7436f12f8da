//! Text helpers: cutting to a character limit and neutralising mentions.

/// The mark ending a cut text.
pub const ELLIPSIS: char = '…';

/// Number of characters (Unicode scalar values), as Discord counts them.
pub fn chars(s: &str) -> usize {
    s.chars().count()
}

/// `s` cut to at most `max` characters; a cut text ends in `…` (counted).
pub fn truncate(s: &str, max: usize) -> String {
    if max == 0 {
        return String::new();
    }
    match s.char_indices().nth(max) {
        None => s.to_string(),
        Some(_) => {
            let keep = s.char_indices().nth(max - 1).map_or(s.len(), |(i, _)| i);
            let mut out = s[..keep].trim_end().to_string();
            out.push(ELLIPSIS);
            out
        }
    }
}

/// Joins whole lines with `\n` within `max` characters. When lines are
/// left out, `more(n)` (n = lines left out) is added as the last line if it
/// fits. A single line longer than `max` is cut with [`truncate`].
pub fn fit_lines(lines: &[String], max: usize, more: impl Fn(usize) -> String) -> String {
    let joined = lines.join("\n");
    if chars(&joined) <= max {
        return joined;
    }
    for keep in (1..lines.len()).rev() {
        let candidate = format!("{}\n{}", lines[..keep].join("\n"), more(lines.len() - keep));
        if chars(&candidate) <= max {
            return candidate;
        }
    }
    truncate(&joined, max)
}

/// User text made safe to show: every `@` is followed by a zero-width
/// space, so `@everyone`, `@here`, `<@id>` and `<@&id>` cannot mention
/// anyone even if allowed mentions were ever misconfigured.
pub fn escape_mentions(s: &str) -> String {
    s.replace('@', "@\u{200B}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncate_at_and_over_limit() {
        assert_eq!(truncate("abcde", 5), "abcde");
        assert_eq!(truncate("abcdef", 5), "abcd…");
        assert_eq!(chars(&truncate("abcdef", 5)), 5);
        assert_eq!(truncate("", 5), "");
        assert_eq!(truncate("abc", 0), "");
        assert_eq!(truncate("ab", 1), "…");
    }

    #[test]
    fn truncate_counts_characters_not_bytes() {
        // 5 multi-byte characters (2, 3 and 4 bytes each) fit a limit of 5.
        let s = "éü€😀😀";
        assert_eq!(s.len(), 2 + 2 + 3 + 4 + 4);
        assert_eq!(truncate(s, 5), s);
        assert_eq!(truncate(s, 4), "éü€…");
        assert_eq!(truncate(&"😀".repeat(101), 100), format!("{}…", "😀".repeat(99)));
    }

    #[test]
    fn fit_lines_keeps_whole_lines() {
        let lines: Vec<String> = ["aaaa", "bbbb", "cccc"].map(String::from).to_vec();
        assert_eq!(fit_lines(&lines, 14, |n| format!("+{n}")), "aaaa\nbbbb\ncccc");
        assert_eq!(fit_lines(&lines, 13, |n| format!("+{n}")), "aaaa\nbbbb\n+1");
        assert_eq!(fit_lines(&lines, 9, |n| format!("+{n}")), "aaaa\n+2");
        assert_eq!(fit_lines(&["x".repeat(20)], 10, |n| format!("+{n}")), format!("{}…", "x".repeat(9)));
        assert_eq!(fit_lines(&lines, 6, |n| format!("+{n}")), "aaaa…");
        for max in 0..20 {
            assert!(chars(&fit_lines(&lines, max, |n| format!("+{n}"))) <= max, "{max}");
        }
    }

    #[test]
    fn escape_breaks_every_mention() {
        let s = escape_mentions("@everyone @here <@123> <@!123> <@&456>");
        assert!(!s.contains("@everyone") && !s.contains("@here") && !s.contains("<@1") && !s.contains("<@&"));
        assert!(!s.contains("<@!"));
    }
}
