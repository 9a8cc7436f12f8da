//! The inverted index and scoring.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::knowledge::Knowledge;
use crate::lexicon::{Analyzer, Words};
use crate::phrases::PhraseSet;

/// How much a two-word feature weighs relative to its words.
const BIGRAM_FACTOR: f32 = 0.6;
/// How much the answer text counts towards an entry's profile, relative to
/// its examples. Small: answers mention neighbouring topics.
const ANSWER_WEIGHT: f32 = 0.15;
/// Share of the score from the entry profile (the rest from the single
/// closest example).
const PROFILE_SHARE: f32 = 0.5;
/// Features in more than this share of entries are skipped when scoring
/// single examples; they still count in the profile score and in the norms.
const COMMON_FEATURE_SHARE: f32 = 0.6;
/// Weight of the resemblance in the combined score, which is a weighted
/// geometric mean of resemblance and the re-ranker's posterior. Calibrated on
/// the two held-out sets in tests/data and cross-validation: above 0.5,
/// near-domain questions that merely share words with an entry lose more
/// than real questions do.
const SIMILARITY_WEIGHT: f32 = 0.6;
/// Floor of the soft document frequency, so a word seen once is not
/// weighted as if it defined an entry.
const MIN_SOFT_DF: f32 = 2.0;

/// Scores of every entry for one question, best first.
#[derive(Debug, Clone, PartialEq)]
pub struct Scored {
    /// (entry index, score in 0..=1), best first; ties in entry order.
    pub ranked: Vec<(usize, f32)>,
    /// Whether the question uses any of the lexicon's domain terms.
    pub in_domain: bool,
    /// Off-topic terms in the question (stemmed), with their topic.
    pub off_topic: Vec<(String, Vec<String>)>,
    /// Whether the question names another subject (a term of a lexicon
    /// `needs_subject` topic, such as another cancer) and none of the FAQ's
    /// own (the lexicon's `subject`: breast cancer, HER2).
    pub other_subject: bool,
    /// Distinct content words of the question that no entry, example or
    /// answer uses (typos were already corrected where possible).
    pub unknown_words: usize,
    /// Distinct content words of the question (after synonyms, so
    /// "her2 positive" is two).
    pub content_words: usize,
    /// The re-ranker's probability that the question is one the FAQ does
    /// not cover (0 without not-covered questions to learn from).
    pub not_covered: f32,
}

impl Scored {
    /// Whether the entry's own examples or answer mention every off-topic
    /// term found in the question (so the question may be answered from it).
    /// A question about another subject is never covered: "does liver
    /// cancer spread quickly" asks about liver cancer, though the spread
    /// entry mentions the liver.
    pub fn covers_off_topic(&self, index: &Index, entry: usize) -> bool {
        !self.other_subject && self.off_topic.iter().all(|(_, terms)| terms.iter().all(|t| index.entry_uses(entry, t)))
    }
}

#[derive(Debug, Default)]
struct Posting {
    /// (entry, weight) for the entry profiles.
    profile: Vec<(u32, f32)>,
    /// (document) for the examples; weight is the feature's idf.
    docs: Vec<u32>,
    idf: f32,
    common: bool,
}

/// The index over the knowledge base; built once, read-only afterwards.
#[derive(Debug)]
pub struct Index {
    /// Every word of the knowledge texts (stemmed), numbered: features are
    /// keyed by these numbers (see [`word_key`], [`pair_key`]).
    words: HashMap<String, u32>,
    /// Features only the re-ranker sees, numbered after `features`:
    /// question frames, and words only not-covered questions use.
    extra: HashMap<u64, u32>,
    features: HashMap<u64, u32>,
    postings: Vec<Posting>,
    profile_norm: Vec<f32>,
    doc_norm: Vec<f32>,
    doc_entry: Vec<u32>,
    /// Per entry, the words (numbered) its question, examples and answer use.
    entry_terms: Vec<HashSet<u32>>,
    /// Off-topic phrases, and the topic each one stands for.
    off_topic: PhraseSet,
    off_topic_name: Vec<String>,
    domain: PhraseSet,
    /// Terms naming the FAQ's own subject, and the off-topic topics that
    /// need one of them (see [`Scored::covers_off_topic`]).
    subject: PhraseSet,
    needs_subject: Vec<String>,
    unknown_weight: f32,
    entries: usize,
    model: Option<super::model::Model>,
}

/// The id of a re-ranker-only feature, added if new.
fn intern_extra(extra: &mut HashMap<u64, u32>, key: u64) -> u32 {
    let next = u32::try_from(extra.len()).expect("fewer than 4 billion features");
    *extra.entry(key).or_insert(next)
}

/// The feature key of one word. Word numbers are below `u32::MAX`, so this
/// never equals a [`pair_key`].
fn word_key(word: u32) -> u64 {
    (u64::from(u32::MAX) << 32) | u64::from(word)
}

/// The feature key of two words in a row.
fn pair_key(a: u32, b: u32) -> u64 {
    (u64::from(a) << 32) | u64::from(b)
}

/// Whether a feature key is a pair of words.
fn is_pair(key: u64) -> bool {
    key >> 32 != u64::from(u32::MAX)
}

/// The distinct unigram and bigram feature keys of a token list (with each
/// token's word number in `ids`), skipping stopwords and marker tokens.
/// Bigrams join neighbouring content words.
fn features_of(analyzer: &Analyzer, tokens: &[String], ids: &[u32]) -> Vec<u64> {
    let content: Vec<u32> =
        tokens.iter().zip(ids).filter(|(t, _)| is_content(analyzer, t)).map(|(_, &id)| id).collect();
    let mut out: Vec<u64> = content.iter().map(|&w| word_key(w)).collect();
    out.extend(content.windows(2).map(|w| pair_key(w[0], w[1])));
    out.sort_unstable();
    out.dedup();
    out
}

/// Whether a token is neither a stopword nor a marker token.
fn is_content(analyzer: &Analyzer, token: &str) -> bool {
    !analyzer.is_stopword(token) && !token.starts_with('#')
}

/// The tokens that are neither stopwords nor marker tokens, in order.
fn content_tokens<'a>(analyzer: &Analyzer, tokens: &'a [String]) -> impl Iterator<Item = &'a str> {
    tokens.iter().map(String::as_str).filter(|t| is_content(analyzer, t))
}

/// The question's frame: pairs of neighbouring words where at least one is
/// a stopword ("what doe", "her2 do", "where is"). Content features drop
/// these words, yet they tell sibling entries apart ("what does HER2 do"
/// asks for a function, "where is HER2" for a place); only the re-ranker
/// uses them. Keyed as in [`features_of`]; a pair with a stopword is never
/// a bigram feature, so the two kinds of key never meet.
fn frames_of(analyzer: &Analyzer, tokens: &[String], ids: &[u32]) -> Vec<u64> {
    let words: Vec<(&str, u32)> =
        tokens.iter().zip(ids).filter(|(t, _)| !t.starts_with('#')).map(|(t, &id)| (t.as_str(), id)).collect();
    let mut out: Vec<u64> = words
        .windows(2)
        .filter(|w| analyzer.is_stopword(w[0].0) || analyzer.is_stopword(w[1].0))
        .map(|w| pair_key(w[0].1, w[1].1))
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// The numbers of a text's words, numbering new words as they come.
fn number_words(words: &mut HashMap<String, u32>, tokens: &[String]) -> Vec<u32> {
    tokens
        .iter()
        .map(|t| {
            if let Some(&id) = words.get(t.as_str()) {
                return id;
            }
            let id = u32::try_from(words.len()).expect("fewer than 4 billion words");
            words.insert(t.clone(), id);
            id
        })
        .collect()
}

impl Index {
    /// Builds the index from the knowledge base.
    pub fn build(k: &Knowledge, analyzer: &Analyzer) -> Self {
        Self::with_words(k, analyzer, Words::of(k))
    }

    /// [`Index::build`] from the knowledge base's texts already split, as the
    /// analyser was built from them.
    pub fn with_words(k: &Knowledge, analyzer: &Analyzer, words: Words) -> Self {
        let n = k.entries.len();
        let mut vocab: HashMap<String, u32> = HashMap::default();
        let mut features: HashMap<u64, u32> = HashMap::default();
        let mut postings: Vec<Posting> = Vec::new();
        let mut doc_entry = Vec::new();
        let mut doc_feats: Vec<Vec<u32>> = Vec::new();
        // per entry: feature → (documents containing it, in answer?)
        let mut entry_counts: Vec<HashMap<u32, (u32, bool)>> = vec![HashMap::default(); n];
        let mut entry_docs = vec![0u32; n];
        let mut entry_terms: Vec<HashSet<u32>> = vec![HashSet::default(); n];
        let mut extra: HashMap<u64, u32> = HashMap::default();
        let mut doc_frames: Vec<Vec<u32>> = Vec::new();
        let mut intern = |key: u64, postings: &mut Vec<Posting>| -> u32 {
            *features.entry(key).or_insert_with(|| {
                postings.push(Posting::default());
                u32::try_from(postings.len() - 1).expect("fewer than 4 billion features")
            })
        };
        // Analysing is independent per text: do it on every core, in order.
        let per_entry: Vec<usize> = words.entries.iter().map(Vec::len).collect();
        let texts: Vec<Vec<String>> = words.entries.into_iter().flatten().chain(words.not_covered).collect();
        let mut analyzed = crate::par::map_vec(texts, |w| analyzer.analyze_words(w)).into_iter();
        for (ei, &count) in per_entry.iter().enumerate() {
            let mut own = analyzed.by_ref().take(count);
            let (Some(question), Some(answer)) = (own.next(), own.next()) else { continue };
            // The question counts twice: it is the entry's own wording.
            for tokens in [question.clone(), question].into_iter().chain(own) {
                let ids = number_words(&mut vocab, &tokens);
                entry_terms[ei].extend(ids.iter().copied());
                let feats: Vec<u32> =
                    features_of(analyzer, &tokens, &ids).into_iter().map(|key| intern(key, &mut postings)).collect();
                for &f in &feats {
                    entry_counts[ei].entry(f).or_default().0 += 1;
                }
                doc_frames.push(
                    frames_of(analyzer, &tokens, &ids).into_iter().map(|key| intern_extra(&mut extra, key)).collect(),
                );
                doc_entry.push(u32::try_from(ei).expect("fewer than 4 billion entries"));
                doc_feats.push(feats);
                entry_docs[ei] += 1;
            }
            let ids = number_words(&mut vocab, &answer);
            entry_terms[ei].extend(ids.iter().copied());
            for key in features_of(analyzer, &answer, &ids).into_iter().filter(|&key| !is_pair(key)) {
                let id = intern(key, &mut postings);
                entry_counts[ei].entry(id).or_default().1 = true;
            }
        }
        // idf over entries, with a soft document frequency: each entry counts
        // by the share of its examples using the feature, so a word that a
        // sibling entry uses once still tells the two apart.
        let mut soft_df = vec![0f32; postings.len()];
        let mut df = vec![0u32; postings.len()];
        for (ei, counts) in entry_counts.iter().enumerate() {
            for (f, (count, in_answer)) in counts {
                let share = *count as f32 / entry_docs[ei].max(1) as f32;
                soft_df[*f as usize] += share.max(if *in_answer { ANSWER_WEIGHT } else { 0.0 });
                df[*f as usize] += 1;
            }
        }
        let nf = n.max(1) as f32;
        for (f, p) in postings.iter_mut().enumerate() {
            p.idf = (1.0 + nf / soft_df[f].max(MIN_SOFT_DF)).ln();
            p.common = df[f] as f32 / nf > COMMON_FEATURE_SHARE;
        }
        let is_bigram: Vec<bool> = {
            let mut v = vec![false; postings.len()];
            for (&key, &id) in &features {
                v[id as usize] = is_pair(key);
            }
            v
        };
        let factor = |f: usize| if is_bigram[f] { BIGRAM_FACTOR } else { 1.0 };
        let mut profile_norm = vec![0f32; n];
        for (ei, counts) in entry_counts.iter().enumerate() {
            let mut sorted: Vec<_> = counts.iter().collect();
            sorted.sort_by_key(|(f, _)| **f);
            for (&f, &(count, in_answer)) in sorted {
                let share = (count as f32 / entry_docs[ei].max(1) as f32).sqrt();
                let w = postings[f as usize].idf
                    * factor(f as usize)
                    * (share + if in_answer { ANSWER_WEIGHT } else { 0.0 });
                if w > 0.0 {
                    postings[f as usize].profile.push((ei as u32, w));
                    profile_norm[ei] += w * w;
                }
            }
        }
        profile_norm.iter_mut().for_each(|x| *x = x.sqrt().max(f32::EPSILON));
        let mut doc_norm = Vec::with_capacity(doc_feats.len());
        for (d, feats) in doc_feats.iter().enumerate() {
            let mut norm = 0.0;
            for &f in feats {
                let w = postings[f as usize].idf * factor(f as usize);
                norm += w * w;
                postings[f as usize].docs.push(d as u32);
            }
            doc_norm.push(f32::sqrt(norm).max(f32::EPSILON));
        }
        let max_idf = (1.0 + nf).ln();
        let mut off_topic_name = Vec::new();
        let mut off_topic_phrases = Vec::new();
        for (topic, terms) in &k.lexicon.off_topic {
            for p in terms.iter().map(|t| analyzer.analyze_pattern(t)).filter(|p| !p.is_empty()) {
                off_topic_phrases.push(p);
                off_topic_name.push(topic.clone());
            }
        }
        let off_topic = PhraseSet::new(off_topic_phrases);
        let model = (2..=super::model::MAX_ENTRIES).contains(&n).then(|| {
            let offset = postings.len() as u32;
            let mut docs: Vec<(Vec<u32>, usize)> = doc_feats
                .iter()
                .zip(&doc_entry)
                .enumerate()
                .map(|(d, (f, &e))| {
                    let ids = f.iter().copied().chain(doc_frames[d].iter().map(|x| x + offset)).collect();
                    (ids, e as usize)
                })
                .collect();
            // Not-covered questions form one more class, after the entries.
            // Their words teach the model only: the resemblance scores and
            // the unknown-word count stay about the entries.
            for tokens in analyzed {
                let numbers = number_words(&mut vocab, &tokens);
                let mut ids: Vec<u32> = features_of(analyzer, &tokens, &numbers)
                    .into_iter()
                    .map(|key| match features.get(&key) {
                        Some(&id) => id,
                        None => intern_extra(&mut extra, key) + offset,
                    })
                    .collect();
                ids.extend(
                    frames_of(analyzer, &tokens, &numbers)
                        .into_iter()
                        .map(|key| intern_extra(&mut extra, key) + offset),
                );
                docs.push((ids, n));
            }
            let classes = if k.not_covered.is_empty() { n } else { n + 1 };
            super::model::Model::train(&docs, postings.len() + extra.len(), classes)
        });
        let domain = PhraseSet::new(k.lexicon.domain.iter().map(|t| analyzer.analyze_pattern(t)));
        let subject = PhraseSet::new(k.lexicon.subject.iter().map(|t| analyzer.analyze_pattern(t)));
        Self {
            domain,
            subject,
            needs_subject: k.lexicon.needs_subject.clone(),
            words: vocab,
            extra,
            features,
            postings,
            profile_norm,
            doc_norm,
            doc_entry,
            entry_terms,
            off_topic,
            off_topic_name,
            unknown_weight: 0.6 * max_idf,
            entries: n,
            model,
        }
    }

    /// Whether an entry's question, examples or answer use this stemmed token.
    pub fn entry_uses(&self, entry: usize, token: &str) -> bool {
        self.words.get(token).is_some_and(|id| self.entry_terms.get(entry).is_some_and(|t| t.contains(id)))
    }

    /// The word numbers of a question's tokens. A word the knowledge base
    /// never uses gets a number of its own counted down from `u32::MAX - 1`
    /// (the same for each use of the word), which no feature key contains.
    fn question_ids(&self, tokens: &[String]) -> Vec<u32> {
        let mut unseen: HashMap<&str, u32> = HashMap::default();
        tokens
            .iter()
            .map(|t| match self.words.get(t.as_str()) {
                Some(&id) => id,
                None => {
                    // A question has far fewer words than the 4 billion
                    // numbers between the last known word and u32::MAX.
                    let next = (u32::MAX - 1).saturating_sub(u32::try_from(unseen.len()).unwrap_or(u32::MAX));
                    *unseen.entry(t.as_str()).or_insert(next)
                }
            })
            .collect()
    }

    /// Scores a question against every entry. `segments` are the analysed
    /// tokens of the whole question first, then of any part worth scoring on
    /// its own (the last sentence of a long story); each entry keeps its best
    /// score over the segments. Off-topic terms are looked for in the whole.
    pub fn score(&self, analyzer: &Analyzer, segments: &[Vec<String>]) -> Scored {
        let mut similarity = vec![0f32; self.entries];
        let mut posterior = vec![0f32; self.entries];
        // The question is not covered if no segment is covered: a long
        // story's last sentence may be the part the FAQ answers.
        let mut not_covered = if segments.is_empty() { 0.0 } else { 1f32 };
        for segment in segments {
            let (sim, post, none) = self.score_segment(analyzer, segment);
            for (b, s) in similarity.iter_mut().zip(sim) {
                *b = b.max(s);
            }
            for (b, s) in posterior.iter_mut().zip(post) {
                *b = b.max(s);
            }
            not_covered = not_covered.min(none);
        }
        // The (weighted) geometric mean needs both: resemblance (is this the
        // domain and the topic at all?) and the trained posterior (which sibling?).
        let mut ranked: Vec<(usize, f32)> = similarity
            .iter()
            .zip(&posterior)
            .map(
                |(&s, &p)| {
                    if self.model.is_some() { s.powf(SIMILARITY_WEIGHT) * p.powf(1.0 - SIMILARITY_WEIGHT) } else { s }
                },
            )
            .enumerate()
            .collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let whole = segments.first().map_or(&[][..], Vec::as_slice);
        let off_topic: Vec<(String, Vec<String>)> = (self.off_topic.matches(whole).into_iter().enumerate())
            .filter(|(_, hit)| *hit)
            .map(|(i, _)| (self.off_topic_name[i].clone(), self.off_topic.pattern(i).to_vec()))
            .collect();
        let in_domain = segments.iter().any(|seg| self.domain.any(seg));
        // The subject terms are looked for only when another subject is named.
        let other_subject =
            off_topic.iter().any(|(topic, _)| self.needs_subject.contains(topic)) && !self.subject.any(whole);
        let unknown_words = self.unknown_words(analyzer, whole);
        let mut content: Vec<&str> = content_tokens(analyzer, whole).collect();
        content.sort_unstable();
        content.dedup();
        let content_words = content.len();
        Scored { ranked, in_domain, off_topic, other_subject, unknown_words, content_words, not_covered }
    }

    /// Distinct alphabetic content words (three letters or more) that are
    /// not features of the index.
    fn unknown_words(&self, analyzer: &Analyzer, tokens: &[String]) -> usize {
        let mut unknown: Vec<&str> = tokens
            .iter()
            .map(String::as_str)
            .filter(|t| t.len() >= 3 && t.chars().all(char::is_alphabetic))
            .filter(|t| {
                !analyzer.is_stopword(t)
                    && !self.words.get(*t).is_some_and(|&id| self.features.contains_key(&word_key(id)))
            })
            .collect();
        unknown.sort_unstable();
        unknown.dedup();
        unknown.len()
    }

    /// (resemblance, posterior) per entry, and the posterior of "not covered".
    fn score_segment(&self, analyzer: &Analyzer, tokens: &[String]) -> (Vec<f32>, Vec<f32>, f32) {
        let mut q_norm = 0f32;
        let mut count = 0usize;
        let mut known: Vec<(u32, f32)> = Vec::new();
        let offset = self.postings.len() as u32;
        // Re-ranker features beyond `known`: frames, not-covered words.
        let mut model_only: Vec<u32> = Vec::new();
        let ids = self.question_ids(tokens);
        for key in features_of(analyzer, tokens, &ids) {
            count += 1;
            let bigram = is_pair(key);
            match self.features.get(&key) {
                Some(&id) => {
                    let w = self.postings[id as usize].idf * if bigram { BIGRAM_FACTOR } else { 1.0 };
                    q_norm += w * w;
                    known.push((id, w));
                }
                None => {
                    if !bigram {
                        q_norm += self.unknown_weight * self.unknown_weight;
                    }
                    model_only.extend(self.extra.get(&key).map(|id| id + offset));
                }
            }
        }
        let q_norm = q_norm.sqrt();
        let mut profile = vec![0f32; self.entries];
        let mut posterior = vec![0f32; self.entries];
        if known.is_empty() {
            return (profile, posterior, 1.0);
        }
        let mut not_covered = 0.0;
        if let Some(model) = &self.model {
            model_only.extend(
                frames_of(analyzer, tokens, &ids).iter().filter_map(|f| self.extra.get(f)).map(|id| id + offset),
            );
            let v = 1.0 / ((count + model_only.len()) as f32).sqrt();
            let probs =
                model.probabilities(known.iter().map(|&(f, _)| (f, v)).chain(model_only.iter().map(|&f| (f, v))));
            posterior.copy_from_slice(&probs[..self.entries]);
            not_covered = probs.get(self.entries).copied().unwrap_or(0.0);
        }
        // Dot products with single examples: a dense accumulator plus the
        // list of examples touched, cheaper than a map per question.
        let mut dots = vec![0f32; self.doc_norm.len()];
        let mut touched: Vec<u32> = Vec::new();
        for &(id, w) in &known {
            let p = &self.postings[id as usize];
            for &(e, pw) in &p.profile {
                profile[e as usize] += w * pw;
            }
            if !p.common {
                for &d in &p.docs {
                    if dots[d as usize] == 0.0 {
                        touched.push(d);
                    }
                    dots[d as usize] += w * w;
                }
            }
        }
        let mut best_doc = vec![0f32; self.entries];
        for d in touched {
            let e = self.doc_entry[d as usize] as usize;
            let s = dots[d as usize] / (q_norm * self.doc_norm[d as usize]);
            best_doc[e] = best_doc[e].max(s);
        }
        let similarity = profile
            .iter()
            .enumerate()
            .map(|(e, dot)| PROFILE_SHARE * dot / (q_norm * self.profile_norm[e]) + (1.0 - PROFILE_SHARE) * best_doc[e])
            .map(|s| s.clamp(0.0, 1.0))
            .collect();
        (similarity, posterior, not_covered)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn score(k: &Knowledge, q: &str) -> Scored {
        let analyzer = Analyzer::new(k);
        let index = Index::build(k, &analyzer);
        index.score(&analyzer, &[analyzer.analyze(q)])
    }

    #[test]
    fn not_covered_questions_lower_the_scores_of_look_alikes() {
        let with = Knowledge::embedded().expect("shipped knowledge");
        let without = Knowledge { not_covered: Vec::new(), ..with.clone() };
        // Not in the file, but like its infusion-day questions.
        let q = "roughly how many hours will the herceptin drip keep me in the chair";
        let (a, b) = (score(&with, q), score(&without, q));
        assert!(a.not_covered > 0.5, "not covered: {}", a.not_covered);
        assert_eq!(b.not_covered, 0.0);
        assert!(a.ranked[0].1 < b.ranked[0].1, "{:?} vs {:?}", a.ranked[0], b.ranked[0]);
        // A covered question keeps its entry on top with a low not-covered share.
        let covered = score(&with, "how many months does chemo last for her2 positive");
        assert!(covered.not_covered < 0.2, "not covered: {}", covered.not_covered);
        let top = with.entries[covered.ranked[0].0].id.as_str();
        assert_eq!(top, "chemo-duration");
    }
}
