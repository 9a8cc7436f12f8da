//! The analyser: from raw text to the stemmed, synonym-mapped tokens that
//! the safety screen, small talk and the matcher all work on.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::knowledge::{Knowledge, Lexicon};
use crate::phrases::token_matches;
use crate::text::{clean, stem, stem_in_place, tokenize};
use crate::typo::TypoIndex;

/// Marker token added after a number that reads as a fever (38-43 °C or
/// 100.4-110 °F). It cannot come from user text: `#` never survives cleaning.
pub const HIGH_TEMPERATURE: &str = "#hightemp";

/// Marker token added (after [`HIGH_TEMPERATURE`]) when such a number reads
/// as a thermometer reading rather than an age or a size: it has a decimal
/// point (`38.2`) or a unit follows (`38c`, `101 f`, `39 degrees`).
pub const TEMPERATURE_READING: &str = "#tempreading";

/// A phrase rewrite: when `pattern` (stemmed tokens) appears, it becomes
/// `replacement`.
#[derive(Debug)]
struct Rewrite {
    pattern: Vec<String>,
    replacement: Vec<String>,
}

/// The knowledge base's matchable texts, cleaned and split into words once:
/// the analyser builds its vocabulary from them, and the index analyses
/// them from here instead of cleaning every text a second time.
#[derive(Debug, Default)]
pub struct Words {
    /// Per entry: its question, its answer, then its examples.
    pub entries: Vec<Vec<Vec<String>>>,
    /// The not-covered questions, in file order.
    pub not_covered: Vec<Vec<String>>,
}

impl Words {
    /// Cleans and splits the knowledge base's texts, on every core.
    pub fn of(k: &Knowledge) -> Self {
        fn per_entry(e: &crate::knowledge::Entry) -> impl Iterator<Item = &String> {
            [&e.question, &e.answer].into_iter().chain(&e.examples)
        }
        let texts: Vec<&String> =
            k.entries.iter().flat_map(per_entry).chain(k.not_covered.iter().flat_map(|t| &t.examples)).collect();
        let mut split = crate::par::map(&texts, |t| tokenize(&clean(t))).into_iter();
        let entries = k.entries.iter().map(|e| split.by_ref().take(2 + e.examples.len()).collect()).collect();
        Self { entries, not_covered: split.collect() }
    }
}

/// Turns text into tokens; built once from the knowledge base.
#[derive(Debug)]
pub struct Analyzer {
    stopwords: HashSet<String>,
    rewrites: HashMap<String, Vec<Rewrite>>,
    typo: TypoIndex,
    known: HashSet<String>,
}

impl Analyzer {
    /// Builds the analyser: the lexicon's synonyms and stopwords, and a typo
    /// index over every word the knowledge base uses.
    pub fn new(k: &Knowledge) -> Self {
        Self::with_words(k, &Words::of(k))
    }

    /// [`Analyzer::new`] from the knowledge base's texts already split
    /// ([`Words::of`]), so the caller can analyse them again cheaply.
    pub fn with_words(k: &Knowledge, words: &Words) -> Self {
        let mut freq: HashMap<String, u32> = HashMap::default();
        // Words of questions the FAQ does not cover are real words too: without
        // them "cost" could be "corrected" into a word some entry uses.
        for w in words.entries.iter().flatten().chain(&words.not_covered).flatten() {
            match freq.get_mut(w.as_str()) {
                Some(n) => *n += 1,
                None => {
                    freq.insert(w.clone(), 1);
                }
            }
        }
        let mut add = |text: &str| {
            for t in tokenize(&clean(text)) {
                *freq.entry(t).or_default() += 1;
            }
        };
        lexicon_texts(&k.lexicon).for_each(&mut add);
        for r in &k.safety.rules {
            r.all.iter().flatten().chain(&r.unless).for_each(|p| add(&p.replace('*', "")));
        }
        for s in &k.smalltalk {
            s.phrases.iter().for_each(|p| add(p));
        }
        let typo = TypoIndex::new(freq.iter().map(|(w, f)| (w.as_str(), *f)));
        let known = freq.into_keys().collect();
        let stopwords = k.lexicon.stopwords.iter().flat_map(|w| tokenize(&clean(w))).map(|w| stem(&w)).collect();
        let mut rewrites: HashMap<String, Vec<Rewrite>> = HashMap::default();
        for (canonical, variants) in &k.lexicon.synonyms {
            let replacement = stems(canonical);
            for v in variants {
                let pattern = stems(v);
                if let Some(first) = pattern.first() {
                    rewrites
                        .entry(first.clone())
                        .or_default()
                        .push(Rewrite { pattern, replacement: replacement.clone() });
                }
            }
        }
        for list in rewrites.values_mut() {
            list.sort_by(|a, b| b.pattern.len().cmp(&a.pattern.len()).then_with(|| a.pattern.cmp(&b.pattern)));
        }
        Self { stopwords, rewrites, typo, known }
    }

    /// Cleans, tokenises, corrects typos, stems and applies synonyms.
    /// Stopwords are kept (small talk needs "are you"); see
    /// [`Analyzer::is_stopword`].
    pub fn analyze(&self, text: &str) -> Vec<String> {
        self.analyze_with(text, true).0
    }

    /// Like [`Analyzer::analyze`] but without typo correction: the safety
    /// screen checks both, so a correction can add a catch but never hide one
    /// ("swelling" must not become "spelling").
    pub fn analyze_uncorrected(&self, text: &str) -> Vec<String> {
        self.analyze_with(text, false).0
    }

    /// [`Analyzer::analyze`], also saying whether any typo was corrected
    /// (when none was, the uncorrected tokens are the same).
    pub fn analyze_reporting(&self, text: &str) -> (Vec<String>, bool) {
        self.analyze_with(text, true)
    }

    /// [`Analyzer::analyze`] of a text already cleaned and split (see
    /// [`Words`]), reusing the words' buffers.
    pub fn analyze_words(&self, words: Vec<String>) -> Vec<String> {
        self.analyze_tokens(words, true).0
    }

    fn analyze_with(&self, text: &str, correct: bool) -> (Vec<String>, bool) {
        self.analyze_tokens(tokenize(&clean(text)), correct)
    }

    /// Corrects, stems and rewrites tokens, reusing their buffers.
    fn analyze_tokens(&self, mut tokens: Vec<String>, correct: bool) -> (Vec<String>, bool) {
        let mut stemmed = Vec::with_capacity(tokens.len());
        let mut corrected = false;
        for i in 0..tokens.len() {
            let mut token = std::mem::take(&mut tokens[i]);
            // Read off the original token (and the next, still untouched).
            let fever = is_fever_number(&token);
            let reading = fever
                && (token.contains('.') || tokens.get(i + 1).is_some_and(|u| TEMPERATURE_UNITS.contains(&u.as_str())));
            let fixed = if !correct || self.known.contains(&token) { None } else { self.typo.correct(&token) };
            if let Some(fixed) = fixed {
                corrected = true;
                token.clear();
                token.push_str(fixed);
            }
            stem_in_place(&mut token);
            stemmed.push(token);
            if fever {
                stemmed.push(HIGH_TEMPERATURE.to_string());
                if reading {
                    stemmed.push(TEMPERATURE_READING.to_string());
                }
            }
        }
        (self.rewrite(stemmed), corrected)
    }

    /// Analyses a phrase from a data file (safety rules, small talk): the
    /// same steps, except that typos are not corrected, a trailing `*` on a
    /// word is kept as a prefix wildcard, and a word starting with `#` is a
    /// marker token ([`HIGH_TEMPERATURE`], [`TEMPERATURE_READING`]) kept as is.
    pub fn analyze_pattern(&self, phrase: &str) -> Vec<String> {
        let mut out = Vec::new();
        for word in phrase.split_whitespace() {
            if word.starts_with('#') {
                // A marker token such as `#hightemp`: cleaning would drop the `#`.
                out.push(word.to_string());
            } else if let Some(prefix) = word.strip_suffix('*') {
                // Tokens are stemmed, so the prefix is too ("seizure*" → "seizur*").
                out.extend(tokenize(&clean(prefix)).into_iter().map(|t| format!("{}*", stem(&t))));
            } else {
                out.extend(tokenize(&clean(word)).iter().map(|t| stem(t)));
            }
        }
        self.rewrite(out)
    }

    /// Whether a stemmed token is a stopword.
    pub fn is_stopword(&self, token: &str) -> bool {
        self.stopwords.contains(token)
    }

    fn rewrite(&self, mut tokens: Vec<String>) -> Vec<String> {
        let mut out = Vec::with_capacity(tokens.len());
        let mut i = 0;
        'outer: while i < tokens.len() {
            if let Some(list) = self.rewrites.get(&tokens[i]) {
                for r in list {
                    if tokens[i..].starts_with(&r.pattern) {
                        out.extend(r.replacement.iter().cloned());
                        i += r.pattern.len();
                        continue 'outer;
                    }
                }
            }
            // Later patterns only look at later tokens, so this one can move.
            out.push(std::mem::take(&mut tokens[i]));
            i += 1;
        }
        out
    }
}

/// Every phrase in the lexicon, for the vocabulary.
fn lexicon_texts(l: &Lexicon) -> impl Iterator<Item = &str> {
    let syn = l.synonyms.iter().flat_map(|(c, v)| std::iter::once(c.as_str()).chain(v.iter().map(String::as_str)));
    let off = l.off_topic.iter().flat_map(|(_, v)| v.iter().map(String::as_str));
    syn.chain(off).chain(l.stopwords.iter().map(String::as_str))
}

fn stems(phrase: &str) -> Vec<String> {
    tokenize(&clean(phrase)).iter().map(|t| stem(t)).collect()
}

/// Words that, right after a number, make it a temperature.
const TEMPERATURE_UNITS: &[&str] = &["c", "f", "degrees", "degree", "deg", "celsius", "fahrenheit", "centigrade"];

fn is_fever_number(token: &str) -> bool {
    // Most tokens are words: skip the float parser for them.
    token.starts_with(|c: char| c.is_ascii_digit())
        && token.parse::<f32>().is_ok_and(|n| (38.0..=43.0).contains(&n) || (100.4..=110.0).contains(&n))
}

/// Whether `tokens` contains `pattern` as a run; a pattern token ending in
/// `*` matches any token it begins.
pub fn contains_phrase(tokens: &[String], pattern: &[String]) -> bool {
    if pattern.is_empty() || pattern.len() > tokens.len() {
        return false;
    }
    tokens.windows(pattern.len()).any(|w| w.iter().zip(pattern).all(|(t, p)| token_matches(t, p)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contains_phrase_exact_and_wildcard() {
        let t: Vec<String> = ["i", "feel", "suicidal"].map(String::from).to_vec();
        assert!(contains_phrase(&t, &["suicid*".to_string()]));
        assert!(contains_phrase(&t, &["i".to_string(), "feel".to_string()]));
        assert!(!contains_phrase(&t, &["feel".to_string(), "i".to_string()]));
        assert!(!contains_phrase(&t, &[]));
    }

    #[test]
    fn fever_numbers() {
        assert!(is_fever_number("38.5"));
        assert!(is_fever_number("101"));
        assert!(!is_fever_number("37"));
        assert!(!is_fever_number("65"));
    }
}
