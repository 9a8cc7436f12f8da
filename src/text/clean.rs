//! Cleaning raw chat text before tokenising.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Removes Discord markup, URLs and decoration, folds Unicode compatibility
/// forms and accents (which also strips "zalgo" combining marks) and
/// lower-cases.
///
/// ```
/// let cleaned = her2bot::text::clean("<@123> Is HER2-low **positive**?");
/// assert_eq!(cleaned.split_whitespace().collect::<Vec<_>>(), ["is", "her2-low", "positive", "?"]);
/// assert_eq!(her2bot::text::clean("Ｈｅｒｃｅｐｔｉｎ café"), "herceptin cafe");
/// ```
pub fn clean(raw: &str) -> String {
    let stripped = strip_markup(raw);
    let mut out = String::with_capacity(stripped.len());
    if stripped.is_ascii() {
        // Most text: nothing to fold, so skip the (slow) decomposition.
        out.extend(stripped.chars().map(|c| match c {
            '`' => '\'',
            '*' | '_' | '~' | '|' | '>' | '#' => ' ',
            c => c.to_ascii_lowercase(),
        }));
        return out;
    }
    for c in stripped.nfkd() {
        if is_combining_mark(c) {
            continue;
        }
        match c {
            '\u{2018}' | '\u{2019}' | '\u{02bc}' | '`' | '\u{00b4}' => out.push('\''),
            '\u{2010}'..='\u{2015}' | '\u{2212}' => out.push('-'),
            '*' | '_' | '~' | '|' | '>' | '#' => out.push(' '),
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// Drops Discord mentions (`<@id>`, `<@!id>`, `<@&id>`, `<#id>`), custom
/// emoji (`<:name:id>`), timestamps and command mentions, `@everyone`,
/// `@here` and URLs. Each is replaced by a space so words do not merge.
fn strip_markup(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(c) = rest.chars().next() {
        // Markup starts with one of these; skip the checks for other characters.
        let may_start = matches!(c, '<' | '@' | 'h' | 'H' | 'w' | 'W');
        if let Some(len) = may_start.then(|| markup_len(rest)).flatten() {
            out.push(' ');
            rest = &rest[len..];
        } else {
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

/// The byte length of the markup that `s` starts with, if any.
fn markup_len(s: &str) -> Option<usize> {
    if let Some(after) = s.strip_prefix('<') {
        let end = after.find('>')? + 2;
        let inner = &s[1..end - 1];
        let is_markup = inner.len() <= 120
            && (inner.starts_with('@')
                || inner.starts_with('#')
                || inner.starts_with(':')
                || inner.starts_with("a:")
                || inner.starts_with("t:")
                || inner.starts_with('/'))
            && !inner.contains(char::is_whitespace);
        return is_markup.then_some(end);
    }
    for word in ["@everyone", "@here"] {
        if s.len() >= word.len() && s.is_char_boundary(word.len()) && s[..word.len()].eq_ignore_ascii_case(word) {
            return Some(word.len());
        }
    }
    for scheme in ["https://", "http://", "www."] {
        if s.len() >= scheme.len() && s.is_char_boundary(scheme.len()) && s[..scheme.len()].eq_ignore_ascii_case(scheme)
        {
            return Some(s.find(char::is_whitespace).unwrap_or(s.len()));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::clean;

    #[test]
    fn clean_removes_user_role_channel_mentions() {
        assert_eq!(clean("<@123>hi <@!45> <@&6> <#7>").split_whitespace().collect::<Vec<_>>(), ["hi"]);
    }

    proptest::proptest! {
        /// The ASCII fast path agrees with the Unicode path: appending a
        /// non-ASCII word sends the same text through the slow path.
        #[test]
        fn clean_ascii_fast_path_matches_unicode_path(s in "[ -~]{0,80}") {
            proptest::prop_assert_eq!(clean(&format!("{s} café")), format!("{} cafe", clean(&s)));
        }
    }

    #[test]
    fn clean_removes_everyone_and_here() {
        assert_eq!(clean("@everyone @HERE what").trim(), "what");
    }

    #[test]
    fn clean_removes_custom_emoji_and_urls() {
        assert_eq!(
            clean("ok <:pink:99> see https://x.y/z?q=1 now").split_whitespace().collect::<Vec<_>>(),
            ["ok", "see", "now"]
        );
    }

    #[test]
    fn clean_keeps_comparison_signs_that_are_not_markup() {
        assert_eq!(clean("tumor < 2 cm and > 1"), "tumor < 2 cm and   1");
    }

    #[test]
    fn clean_strips_zalgo_and_accents() {
        assert_eq!(clean("h\u{0337}\u{0335}e\u{0336}r\u{0338}2"), "her2");
        assert_eq!(clean("TUMÖR"), "tumor");
    }

    #[test]
    fn clean_maps_curly_quotes_and_dashes() {
        assert_eq!(clean("don’t her2–low"), "don't her2-low");
    }

    #[test]
    fn clean_empty() {
        assert_eq!(clean(""), "");
    }

    #[test]
    fn clean_unterminated_angle_bracket() {
        assert_eq!(clean("<@123 what"), "<@123 what");
    }
}
