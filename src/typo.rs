//! Typo correction against the knowledge base's own vocabulary, through a
//! single-deletion index (the "symmetric delete" idea): a misspelt word and
//! its intended word share a one-letter deletion, so candidates are found by
//! hashing instead of comparing against every known word.

use rustc_hash::FxHashMap as HashMap;

/// Words shorter than this are never corrected ("best" must not become "test").
const MIN_LEN: usize = 5;
/// Words at least this long may be corrected at edit distance 2.
const LONG_LEN: usize = 9;

/// An index of correctable words.
#[derive(Debug, Default)]
pub struct TypoIndex {
    words: Vec<(String, u32)>,
    ids: HashMap<String, u32>,
    /// Words by the hash of each of their one-letter deletions. Hashes, not
    /// strings: a string per deletion of every vocabulary word meant tens of
    /// thousands of allocations at load, and a (vanishingly rare) collision
    /// only adds a candidate that the edit-distance check then judges.
    deletes: HashMap<u64, Vec<u32>>,
}

impl TypoIndex {
    /// Builds the index from (word, frequency) pairs. Only lower-case ASCII
    /// words of at least five letters are indexed.
    pub fn new<'a>(words: impl IntoIterator<Item = (&'a str, u32)>) -> Self {
        let mut index = Self::default();
        for (word, freq) in words {
            if word.len() < MIN_LEN || !word.bytes().all(|b| b.is_ascii_lowercase()) {
                continue;
            }
            if let Some(&id) = index.ids.get(word) {
                index.words[id as usize].1 += freq;
                continue;
            }
            let id = u32::try_from(index.words.len()).expect("fewer than 4 billion words");
            index.words.push((word.to_string(), freq));
            index.ids.insert(word.to_string(), id);
            for i in 0..word.len() {
                index.deletes.entry(deletion_hash(word, i)).or_default().push(id);
            }
        }
        for ids in index.deletes.values_mut() {
            ids.sort_unstable();
            ids.dedup();
        }
        index
    }

    /// Whether `word` is in the index as it is.
    pub fn contains(&self, word: &str) -> bool {
        self.ids.contains_key(word)
    }

    /// The closest indexed word to `token`, if one is near enough: the
    /// smallest edit distance wins, then the more frequent word, then the
    /// alphabetically first, so the result is deterministic.
    ///
    /// ```
    /// let index = her2bot::typo::TypoIndex::new([("herceptin", 3), ("positive", 9)]);
    /// assert_eq!(index.correct("herceptn"), Some("herceptin"));
    /// assert_eq!(index.correct("postive"), Some("positive"));
    /// assert_eq!(index.correct("pizza"), None);
    /// ```
    pub fn correct(&self, token: &str) -> Option<&str> {
        if token.len() < MIN_LEN || !token.bytes().all(|b| b.is_ascii_lowercase()) || self.contains(token) {
            return None;
        }
        let max = if token.len() >= LONG_LEN { 2 } else { 1 };
        let mut candidates: Vec<u32> = Vec::new();
        if let Some(ids) = self.deletes.get(&hash(token.bytes())) {
            candidates.extend(ids);
        }
        for (i, d) in deletions(token).enumerate() {
            if let Some(&id) = self.ids.get(&d) {
                candidates.push(id);
            }
            if let Some(ids) = self.deletes.get(&deletion_hash(token, i)) {
                candidates.extend(ids);
            }
        }
        candidates
            .into_iter()
            .filter_map(|id| {
                let (word, freq) = &self.words[id as usize];
                // Typos rarely change the first letter; "saving" is not "having".
                if word.as_bytes()[0] != token.as_bytes()[0] {
                    return None;
                }
                let dist = strsim::damerau_levenshtein(token, word);
                (dist <= max).then_some((dist, std::cmp::Reverse(*freq), word.as_str()))
            })
            .min()
            .map(|(_, _, word)| word)
    }
}

/// FNV-1a over bytes: the same value however the bytes are split, so a
/// deletion can be hashed without building it.
fn hash(bytes: impl Iterator<Item = u8>) -> u64 {
    bytes.fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3))
}

/// The hash of `word` without its byte `i` (words here are ASCII).
fn deletion_hash(word: &str, i: usize) -> u64 {
    let b = word.as_bytes();
    hash(b[..i].iter().chain(&b[i + 1..]).copied())
}

/// Every string made by deleting one character of `word`.
fn deletions(word: &str) -> impl Iterator<Item = String> + '_ {
    (0..word.len()).map(move |i| {
        let mut s = String::with_capacity(word.len() - 1);
        s.push_str(&word[..i]);
        s.push_str(&word[i + 1..]);
        s
    })
}

#[cfg(test)]
mod tests {
    use super::TypoIndex;

    fn index() -> TypoIndex {
        TypoIndex::new([
            ("trastuzumab", 5),
            ("hereditary", 4),
            ("chemotherapy", 3),
            ("positive", 9),
            ("fever", 2),
            ("tumor", 7),
            ("humor", 1),
        ])
    }

    #[test]
    fn correct_insertion_deletion_substitution_transposition() {
        let i = index();
        assert_eq!(i.correct("feaver"), Some("fever"));
        assert_eq!(i.correct("postive"), Some("positive"));
        assert_eq!(i.correct("trastuzamab"), Some("trastuzumab"));
        assert_eq!(i.correct("poistive"), Some("positive"));
    }

    #[test]
    fn correct_distance_two_only_for_long_words() {
        let i = index();
        assert_eq!(i.correct("chemoterapyy"), Some("chemotherapy"));
        assert_eq!(i.correct("tmuro"), None);
    }

    #[test]
    fn correct_prefers_frequent_word_on_tie() {
        assert_eq!(index().correct("tumr"), None, "too short");
        assert_eq!(index().correct("tunor"), Some("tumor"));
    }

    #[test]
    fn correct_keeps_the_first_letter() {
        assert_eq!(TypoIndex::new([("having", 9)]).correct("saving"), None);
    }

    #[test]
    fn correct_leaves_known_short_and_foreign_words() {
        let i = index();
        assert_eq!(i.correct("fever"), None);
        assert_eq!(i.correct("best"), None);
        assert_eq!(i.correct("fièvre"), None);
        assert_eq!(i.correct(""), None);
    }
}
