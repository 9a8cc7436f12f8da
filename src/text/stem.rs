//! A light English suffix stripper.
//!
//! It need not produce dictionary words, only the same stem for the forms a
//! patient writes ("tests", "tested", "testing"), because the questions and
//! the knowledge base pass through the same function.

/// Returns the stem of a lower-case token. Tokens of three characters or
/// fewer, and tokens containing digits or a `+`, are returned unchanged.
///
/// ```
/// use her2bot::text::stem;
/// assert_eq!(stem("families"), stem("family"));
/// assert_eq!(stem("spreading"), "spread");
/// assert_eq!(stem("caused"), stem("cause"));
/// assert_eq!(stem("3+"), "3+");
/// assert_ne!(stem("scared"), stem("scar"));
/// ```
pub fn stem(token: &str) -> String {
    let mut w = token.to_string();
    stem_in_place(&mut w);
    w
}

/// [`stem`] without a new allocation: suffixes are cut from the token's own
/// buffer.
pub fn stem_in_place(w: &mut String) {
    if w.chars().count() <= 3 || !w.bytes().all(|b| b.is_ascii_lowercase()) {
        return;
    }
    if let Some(&(_, to)) = IRREGULAR.iter().find(|(from, _)| from == w) {
        w.clear();
        w.push_str(to);
        return;
    }
    strip_plural(w);
    if strip_suffix_keep(w, "ing", 3) || strip_suffix_keep(w, "ed", 3) {
        undouble(w);
    } else {
        strip_suffix_keep(w, "ly", 4);
    }
    // "genetically", "genetical" → "genetic"; "biological" → "biologic".
    if w.len() > 6 && w.ends_with("ical") {
        w.truncate(w.len() - 2);
    }
    if w.len() > 4 && w.ends_with('e') {
        w.pop();
    }
}

/// Words the suffix rules would merge with a word of another meaning:
/// "scared" would become "scar", and every worried patient would be asking
/// about surgical scars.
const IRREGULAR: &[(&str, &str)] = &[
    ("scare", "scare"),
    ("scared", "scare"),
    ("scares", "scare"),
    ("scaring", "scare"),
    ("scary", "scare"),
    ("scarier", "scare"),
    ("scariest", "scare"),
];

fn strip_plural(w: &mut String) {
    if w.ends_with("ies") && w.len() > 4 {
        w.truncate(w.len() - 3);
        w.push('y');
    } else if w.ends_with("sses") {
        w.truncate(w.len() - 2);
    } else if w.ends_with('s') && !(w.ends_with("ss") || w.ends_with("us") || w.ends_with("is")) {
        w.pop();
    }
}

/// Strips `suffix` when at least `min_rest` characters, including a vowel,
/// remain. Returns whether it did.
fn strip_suffix_keep(w: &mut String, suffix: &str, min_rest: usize) -> bool {
    if let Some(rest) = w.strip_suffix(suffix)
        && rest.len() >= min_rest
        && rest.bytes().any(|b| b"aeiouy".contains(&b))
    {
        w.truncate(rest.len());
        return true;
    }
    false
}

/// "stopp" → "stop", "runn" → "run"; keeps "ll", "ss", "zz".
fn undouble(w: &mut String) {
    let b = w.as_bytes();
    if b.len() >= 3 {
        let (x, y) = (b[b.len() - 2], b[b.len() - 1]);
        if x == y && !b"aeioulsz".contains(&y) {
            w.pop();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::stem;

    #[test]
    fn stem_plurals() {
        assert_eq!(stem("cancers"), "cancer");
        assert_eq!(stem("families"), stem("family"));
        assert_eq!(stem("metastasis"), "metastasis");
        assert_eq!(stem("glasses"), "glass");
    }

    #[test]
    fn stem_verb_forms_agree() {
        for group in
            [["test", "tests", "tested"], ["inherit", "inherited", "inheriting"], ["stop", "stopped", "stopping"]]
        {
            let s = stem(group[0]);
            for w in group {
                assert_eq!(stem(w), s, "{w}");
            }
        }
    }

    #[test]
    fn stem_adjective_and_adverb_forms_agree() {
        assert_eq!(stem("genetically"), stem("genetic"));
        assert_eq!(stem("genetical"), stem("genetic"));
        assert_eq!(stem("biological"), stem("biologic"));
        assert_eq!(stem("quickly"), stem("quick"));
    }

    #[test]
    fn stem_final_e_forms_agree() {
        assert_eq!(stem("cause"), stem("causes"));
        assert_eq!(stem("causing"), stem("caused"));
        assert_eq!(stem("positive"), stem("positives"));
    }

    #[test]
    fn stem_leaves_short_and_numeric_tokens() {
        for w in ["her", "is", "3+", "her2", "brca1", "ihc", "t3"] {
            assert_eq!(stem(w), w);
        }
    }

    #[test]
    fn stem_keeps_words_with_too_little_left() {
        assert_eq!(stem("bring"), "bring");
        assert_eq!(stem("shed"), "shed");
    }

    #[test]
    fn stem_non_ascii_unchanged() {
        assert_eq!(stem("рак"), "рак");
        assert_eq!(stem("cáncer"), "cáncer");
    }
}
