//! Compiled phrase lists: which of many short token patterns occur in a
//! question, found in one pass over its tokens.
//!
//! The safety screen, small talk, off-topic and domain evidence each hold
//! hundreds of phrases. Testing every phrase at every position costs
//! phrases × tokens comparisons; a [`PhraseSet`] looks each token up once
//! by the phrase's first word and only compares the phrases that start
//! there.

use rustc_hash::FxHashMap;

/// A set of token patterns; a pattern token ending in `*` matches any token
/// it begins (`suicid*` matches `suicidal`).
#[derive(Debug, Default)]
pub struct PhraseSet {
    patterns: Vec<Vec<String>>,
    /// Patterns by their (exact) first token.
    by_first: FxHashMap<String, Vec<u32>>,
    /// Patterns whose first token is a wildcard, by that token's prefix.
    by_prefix: FxHashMap<String, Vec<u32>>,
    /// The distinct lengths (bytes) of those prefixes, ascending.
    prefix_lens: Vec<usize>,
}

impl PhraseSet {
    /// Compiles patterns; their indices are kept, so callers can map a match
    /// back to what the pattern stands for. Empty patterns never match.
    pub fn new(patterns: impl IntoIterator<Item = Vec<String>>) -> Self {
        let mut set = Self::default();
        for (i, p) in patterns.into_iter().enumerate() {
            let i = u32::try_from(i).expect("fewer than 4 billion phrases");
            if let Some(first) = p.first() {
                match first.strip_suffix('*') {
                    Some(prefix) => {
                        set.by_prefix.entry(prefix.to_string()).or_default().push(i);
                        if !set.prefix_lens.contains(&prefix.len()) {
                            set.prefix_lens.push(prefix.len());
                            set.prefix_lens.sort_unstable();
                        }
                    }
                    None => set.by_first.entry(first.clone()).or_default().push(i),
                }
            }
            set.patterns.push(p);
        }
        set
    }

    /// The number of patterns.
    pub fn len(&self) -> usize {
        self.patterns.len()
    }

    /// Whether there are no patterns.
    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// The pattern with this index.
    pub fn pattern(&self, i: usize) -> &[String] {
        &self.patterns[i]
    }

    /// Calls `f(pattern, start)` for every occurrence of every pattern, by
    /// start position (patterns starting at the same token in no set order).
    pub fn for_each_match(&self, tokens: &[String], mut f: impl FnMut(usize, usize)) {
        for (start, token) in tokens.iter().enumerate() {
            let rest = &tokens[start..];
            let exact = self.by_first.get(token).map_or(&[][..], Vec::as_slice);
            // A wildcard pattern can only start here if its prefix is one of
            // the token's own prefixes: a few lookups instead of a scan.
            let wild = self
                .prefix_lens
                .iter()
                .take_while(|&&n| n <= token.len())
                .filter(|&&n| token.is_char_boundary(n))
                .filter_map(|&n| self.by_prefix.get(&token[..n]))
                .flatten();
            for &i in exact.iter().chain(wild) {
                if starts_with_pattern(rest, &self.patterns[i as usize]) {
                    f(i as usize, start);
                }
            }
        }
    }

    /// Which patterns occur anywhere in the tokens, by pattern index.
    pub fn matches(&self, tokens: &[String]) -> Vec<bool> {
        let mut hit = vec![false; self.patterns.len()];
        self.for_each_match(tokens, |i, _| hit[i] = true);
        hit
    }

    /// Whether any pattern occurs in the tokens.
    pub fn any(&self, tokens: &[String]) -> bool {
        let mut found = false;
        self.for_each_match(tokens, |_, _| found = true);
        found
    }
}

fn starts_with_pattern(tokens: &[String], pattern: &[String]) -> bool {
    pattern.len() <= tokens.len() && tokens.iter().zip(pattern).all(|(t, p)| token_matches(t, p))
}

/// Whether a token matches a pattern token (`*` suffix: prefix match).
pub fn token_matches(token: &str, pattern: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) => token.starts_with(prefix),
        None => token == pattern,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn finds_exact_and_wildcard_phrases_with_positions() {
        let set = PhraseSet::new([toks("chest pain"), toks("suicid*"), toks("pain"), vec![], toks("s* thoughts")]);
        let mut found = Vec::new();
        set.for_each_match(&toks("bad chest pain and suicidal thoughts"), |i, s| found.push((i, s)));
        assert_eq!(found, vec![(0, 1), (2, 2), (4, 4), (1, 4)]);
        assert_eq!(set.matches(&toks("pain chest")), vec![false, false, true, false, false]);
        assert!(!set.any(&toks("nothing here")));
        assert!(!set.any(&[]));
        assert_eq!(set.len(), 5);
    }

    #[test]
    fn a_pattern_longer_than_the_rest_of_the_text_does_not_match() {
        let set = PhraseSet::new([toks("can not breath")]);
        assert!(!set.any(&toks("i can not")));
        assert!(set.any(&toks("i can not breath")));
    }
}
