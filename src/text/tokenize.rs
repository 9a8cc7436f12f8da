//! Splitting cleaned text into tokens.

/// Longest token kept; longer runs (hashes, keyboard mashing) are dropped.
const MAX_TOKEN_CHARS: usize = 40;

/// Splits cleaned, lower-case text into word and number tokens.
///
/// - letters then digits stay together (`her2`, `brca1`, `t3`);
/// - digits then letters split (`7cm` → `7`, `cm`);
/// - a `+` right after digits is kept (`3+`, `2+`), since the IHC score is
///   meaningful, also after a space (`3 +`) unless a number follows (`3 + 4`);
/// - a run of two or three `+` standing apart, or right after a word that
///   ends in a digit, is the pathology shorthand for a score (`her2 +++`,
///   `her2++` → `her2`, `3+` / `2+`); after a plain word it is not (`c++`);
/// - a `-` ending a word that ends in a digit is kept (`her2-`, as in
///   "ER+/PR+/HER2-"), but not inside a word (`her2-neu`) or a range (`2-3`);
/// - `%` becomes the word `percent`;
/// - apostrophes inside words are dropped (`don't` → `dont`);
/// - decimals keep their point (`38.5`).
///
/// ```
/// assert_eq!(her2bot::text::tokenize("ihc 3+ on a 7cm tumor, 50%"), ["ihc", "3+", "on", "a", "7", "cm", "tumor", "50", "percent"]);
/// ```
pub fn tokenize(text: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    let mut cur = String::with_capacity(MAX_TOKEN_CHARS);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let last = cur.chars().last();
        if c.is_alphanumeric() {
            let digit_then_letter = last.is_some_and(|l| l.is_ascii_digit()) && !c.is_numeric();
            if digit_then_letter {
                push(&mut tokens, &mut cur);
            }
            cur.push(c);
        } else if c == '+' && chars.peek() == Some(&'+') {
            let run = 1 + chars.clone().take_while(|&n| n == '+').count();
            for _ in 1..run {
                chars.next();
            }
            let number = !cur.is_empty() && cur.bytes().all(|b| b.is_ascii_digit());
            let after_code = last.is_some_and(|l| l.is_ascii_digit()) && cur.chars().any(char::is_alphabetic);
            if number {
                // "3++": the score with a doubled sign
                cur.push('+');
                push(&mut tokens, &mut cur);
            } else {
                push(&mut tokens, &mut cur);
                if run <= 3 && (after_code || last.is_none()) {
                    tokens.push(format!("{run}+"));
                }
            }
        } else if c == '-'
            && last.is_some_and(|l| l.is_ascii_digit())
            && cur.chars().any(char::is_alphabetic)
            && !chars.peek().is_some_and(|n| n.is_alphanumeric())
        {
            cur.push('-');
            push(&mut tokens, &mut cur);
        } else if c == '+' && last.is_some_and(|l| l.is_ascii_digit()) {
            cur.push('+');
            push(&mut tokens, &mut cur);
        } else if c == '+'
            && cur.is_empty()
            && !chars.clone().find(|n| !n.is_whitespace()).is_some_and(|n| n.is_ascii_digit())
            && let Some(number) = tokens.last_mut().filter(|t| t.bytes().all(|b| b.is_ascii_digit()))
        {
            // "her2 3 +" is a score written with a space; "3 + 4" is not.
            number.push('+');
        } else if c == '\'' && last.is_some_and(char::is_alphabetic) && chars.peek().is_some_and(|n| n.is_alphabetic())
        {
            // inside a word: "don't" → "dont"
        } else if c == '.' && last.is_some_and(|l| l.is_ascii_digit()) && chars.peek().is_some_and(char::is_ascii_digit)
        {
            cur.push('.');
        } else {
            push(&mut tokens, &mut cur);
            if c == '%' {
                tokens.push("percent".to_string());
            }
        }
    }
    push(&mut tokens, &mut cur);
    tokens
}

fn push(tokens: &mut Vec<String>, cur: &mut String) {
    if !cur.is_empty() {
        if cur.chars().count() <= MAX_TOKEN_CHARS {
            // An exact-size copy; `cur` keeps its buffer for the next word,
            // so words are not grown a character at a time.
            tokens.push(cur.as_str().to_owned());
        }
        cur.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::tokenize;

    #[test]
    fn tokenize_keeps_ihc_scores() {
        assert_eq!(tokenize("score 2+ or 3+?"), ["score", "2+", "or", "3+"]);
        assert_eq!(tokenize("her2+ cancer"), ["her2+", "cancer"]);
        assert_eq!(tokenize("her2 is 3 + on ihc"), ["her2", "is", "3+", "on", "ihc"]);
        assert_eq!(tokenize("gleason 3 + 4"), ["gleason", "3", "4"]);
        assert_eq!(tokenize("stage 3 her2 +"), ["stage", "3", "her2"]);
    }

    #[test]
    fn tokenize_reads_plus_signs_as_a_score() {
        assert_eq!(tokenize("her2 +++ on ihc"), ["her2", "3+", "on", "ihc"]);
        assert_eq!(tokenize("her2++"), ["her2", "2+"]);
        assert_eq!(tokenize("her2 (+++)"), ["her2", "3+"]);
        assert_eq!(tokenize("c++ or c+++"), ["c", "or", "c"]);
        assert_eq!(tokenize("great ++++"), ["great"]);
        assert_eq!(tokenize("score 3++"), ["score", "3+"]);
    }

    #[test]
    fn tokenize_keeps_a_trailing_minus_after_a_digit() {
        assert_eq!(tokenize("er+/pr+/her2-"), ["er", "pr", "her2-"]);
        assert_eq!(tokenize("her2- on the report"), ["her2-", "on", "the", "report"]);
        assert_eq!(tokenize("her2-neu"), ["her2", "neu"]);
        assert_eq!(tokenize("stage 2-3, t2-n0"), ["stage", "2", "3", "t2", "n0"]);
        assert_eq!(tokenize("brca2- carrier"), ["brca2-", "carrier"]);
    }

    #[test]
    fn tokenize_letters_then_digits_stay_together() {
        assert_eq!(tokenize("her2 brca1 t3n0"), ["her2", "brca1", "t3", "n0"]);
    }

    #[test]
    fn tokenize_splits_units_from_numbers() {
        assert_eq!(tokenize("7cm 70mm"), ["7", "cm", "70", "mm"]);
    }

    #[test]
    fn tokenize_decimals_and_percent() {
        assert_eq!(tokenize("38.5c and 15%."), ["38.5", "c", "and", "15", "percent"]);
    }

    #[test]
    fn tokenize_apostrophes() {
        assert_eq!(tokenize("don't 'quoted'"), ["dont", "quoted"]);
    }

    #[test]
    fn tokenize_drops_overlong_tokens() {
        let long = "a".repeat(41);
        assert_eq!(tokenize(&format!("ok {long} fine")), ["ok", "fine"]);
    }

    #[test]
    fn tokenize_empty_and_symbols() {
        assert!(tokenize("").is_empty());
        assert!(tokenize("?!... 🎗️ ---").is_empty());
    }

    #[test]
    fn tokenize_other_scripts() {
        assert_eq!(tokenize("рак груди"), ["рак", "груди"]);
    }
}
