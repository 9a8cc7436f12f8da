//! A softmax (multinomial logistic regression) re-ranker over the index's
//! features. The index says whether a question resembles an entry at all;
//! this model, trained on the entries' own examples, says which of several
//! similar entries it is: it learns that "3+" decides between the two score
//! entries, or "how long" between the two chemotherapy entries.
//!
//! Training drops a random 30% of each example's features every time it is
//! seen (feature dropout), so the model cannot lean on one word per entry:
//! a question that words the topic differently still has the other cues to
//! go on. It is deterministic (fixed epochs, a fixed pseudo-random sequence)
//! and takes about 20 ms for the shipped knowledge base. Weights are dense
//! (features × entries), so very large knowledge bases skip the model and
//! rank by similarity alone.

/// Largest knowledge base (entries) the model is trained for.
pub const MAX_ENTRIES: usize = 512;
const EPOCHS: usize = 16;
/// Share of an example's features kept each time it is trained on, as a
/// fraction of 2^32 (70%), so the draw needs no division.
const KEEP_BELOW: u64 = (1 << 32) * 7 / 10;
const LEARNING_RATE: f32 = 0.8;
const L2: f32 = 1e-4;

/// Trained weights.
#[derive(Debug, Clone)]
pub struct Model {
    classes: usize,
    /// Row length of `weights`: `classes` rounded up to a multiple of
    /// [`LANES`], so every row loop runs in whole vector steps. The extra
    /// lanes' probability is set to exactly 0, so their weights stay 0 and
    /// they never change a result.
    stride: usize,
    weights: Vec<f32>,
    bias: Vec<f32>,
}

/// Vector width the rows are padded to.
const LANES: usize = 8;

impl Model {
    /// Trains on (feature ids, class) documents.
    ///
    /// Training is most of the engine's load time, so on x86-64 CPUs with
    /// AVX2 the same code is compiled a second time for 8-lane vectors and
    /// picked at run time. The arithmetic is lane by lane with no fused
    /// multiply-add, so both builds give bit-identical weights.
    pub fn train(docs: &[(Vec<u32>, usize)], features: usize, classes: usize) -> Self {
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU supports AVX2; checked just above.
            return unsafe { Self::train_avx2(docs, features, classes) };
        }
        Self::train_portable(docs, features, classes)
    }

    /// [`Model::train`] compiled for AVX2.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    fn train_avx2(docs: &[(Vec<u32>, usize)], features: usize, classes: usize) -> Self {
        Self::train_portable(docs, features, classes)
    }

    /// The training loop, inlined into each build of [`Model::train`].
    #[inline(always)]
    fn train_portable(docs: &[(Vec<u32>, usize)], features: usize, classes: usize) -> Self {
        let stride = classes.div_ceil(LANES) * LANES;
        let mut m = Self { classes, stride, weights: vec![0.0; features * stride], bias: vec![0.0; stride] };
        let mut order: Vec<usize> = (0..docs.len()).collect();
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut probs = vec![0f32; stride];
        let mut step = vec![0f32; stride];
        let mut kept: Vec<u32> = Vec::new();
        for epoch in 0..EPOCHS {
            // deterministic shuffle, so SGD does not see entries in blocks
            for i in (1..order.len()).rev() {
                order.swap(i, (xorshift(&mut seed) % (i as u64 + 1)) as usize);
            }
            let lr = LEARNING_RATE / (1.0 + epoch as f32 * 0.2);
            for &d in &order {
                let (all, class) = &docs[d];
                // Branch-free: whether a feature is kept is a coin toss, so a
                // branch on it would be mispredicted a third of the time.
                kept.resize(all.len(), 0);
                let mut n = 0;
                for &f in all {
                    kept[n] = f;
                    n += usize::from(xorshift(&mut seed) >> 32 < KEEP_BELOW);
                }
                let feats: &[u32] = if n == 0 { all } else { &kept[..n] };
                if feats.is_empty() {
                    continue;
                }
                let v = 1.0 / (feats.len() as f32).sqrt();
                // Every kept feature has the same value v: add the rows up,
                // then scale once.
                probs.fill(0.0);
                for &f in feats {
                    let row = &m.weights[f as usize * stride..(f as usize + 1) * stride];
                    for (o, w) in probs.iter_mut().zip(row) {
                        *o += w;
                    }
                }
                for (o, b) in probs.iter_mut().zip(&m.bias) {
                    *o = b + *o * v;
                }
                m.normalise(&mut probs);
                // Gradient of the log loss: predicted minus true probability.
                probs[*class] -= 1.0;
                for (b, &g) in m.bias[..classes].iter_mut().zip(&probs) {
                    *b -= lr * g * 0.1;
                }
                // w -= lr·(g·v + L2·w), as w·(1 − lr·L2) − lr·v·g with the
                // per-class step worked out once, not once per feature.
                let decay = 1.0 - lr * L2;
                for (s, &g) in step.iter_mut().zip(&probs) {
                    *s = lr * v * g;
                }
                // Row by row: each feature's weights for all classes are contiguous.
                for &f in feats {
                    let row = &mut m.weights[f as usize * stride..(f as usize + 1) * stride];
                    for (w, &s) in row.iter_mut().zip(&step) {
                        *w = *w * decay - s;
                    }
                }
            }
        }
        m
    }

    /// Class probabilities for (feature id, value) pairs, one per class.
    pub fn probabilities(&self, feats: impl Iterator<Item = (u32, f32)>) -> Vec<f32> {
        let mut out = self.bias.clone();
        for (f, v) in feats {
            let row = &self.weights[f as usize * self.stride..(f as usize + 1) * self.stride];
            for (o, w) in out.iter_mut().zip(row) {
                *o += w * v;
            }
        }
        self.normalise(&mut out);
        out.truncate(self.classes);
        out
    }

    /// Turns logits (the padded row) into probabilities in place.
    #[inline(always)]
    fn normalise(&self, out: &mut [f32]) {
        let max = lane_wise(&out[..self.classes], f32::NEG_INFINITY, f32::max);
        // Over whole vector steps: a branch-free exp the compiler vectorises.
        for o in out.iter_mut() {
            *o = exp_non_positive(*o - max);
        }
        out[self.classes..].fill(0.0);
        let sum = lane_wise(&out[..self.classes], 0.0, |a, b| a + b);
        // Over the whole padded row, in vector steps: the padding stays 0.
        out.iter_mut().for_each(|o| *o /= sum);
    }
}

/// Folds `xs` with `op` in [`LANES`] interleaved running results, then
/// folds those: the same operations in the same order on every CPU, but in
/// vector steps instead of one long chain of dependent ones (a plain fold
/// over the classes waits for each step before the next, twice per
/// training step).
#[inline(always)]
fn lane_wise(xs: &[f32], init: f32, op: impl Fn(f32, f32) -> f32) -> f32 {
    let mut acc = [init; LANES];
    let chunks = xs.chunks_exact(LANES);
    let rest = chunks.remainder();
    for chunk in chunks {
        for (a, &x) in acc.iter_mut().zip(chunk) {
            *a = op(*a, x);
        }
    }
    for (a, &x) in acc.iter_mut().zip(rest) {
        *a = op(*a, x);
    }
    acc.into_iter().fold(init, op)
}

/// e^x for x <= 0, to about 2e-6 relative error, without branches or calls
/// so that a loop of them runs in vector steps: 2^(x·log2 e) split into an
/// integer power (written into the float's exponent bits) and a fraction
/// (a degree-6 polynomial). libm's `expf`, one call per class per training
/// step, was about a fifth of load time.
#[inline(always)]
fn exp_non_positive(x: f32) -> f32 {
    // Below -87, e^x is under f32's smallest normal number; clamping keeps
    // the exponent arithmetic in range and gives a negligible 1.6e-38.
    let t = x.clamp(-87.0, 0.0) * std::f32::consts::LOG2_E;
    // floor(t): truncation rounds a negative t up, so step down when it did.
    let truncated = t as i32;
    let n = truncated - i32::from(truncated as f32 > t);
    let f = t - n as f32; // in [0, 1)
    // 2^f on [0, 1): Taylor coefficients of e^(f·ln 2).
    let p = 1.0
        + f * (std::f32::consts::LN_2
            + f * (0.240_226_5 + f * (0.055_504_11 + f * (0.009_618_13 + f * (0.001_333_36 + f * 0.000_154_04)))));
    // n is in [-126, 0], so the biased exponent n + 127 is a normal one.
    p * f32::from_bits(((n + 127) as u32) << 23)
}

/// The next number of a xorshift64 sequence.
#[inline(always)]
fn xorshift(seed: &mut u64) -> u64 {
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
    *seed
}

#[cfg(test)]
mod tests {
    use super::exp_non_positive;

    #[test]
    fn fast_exp_matches_the_standard_one() {
        let mut x = 0.0f32;
        while x > -80.0 {
            let (want, got) = (x.exp(), exp_non_positive(x));
            assert!(((got - want) / want).abs() < 1e-5, "e^{x}: {got} vs {want}");
            x -= 0.0137;
        }
        assert_eq!(exp_non_positive(0.0), 1.0);
        assert!(exp_non_positive(-1000.0) < 1e-37);
        assert!(exp_non_positive(f32::NEG_INFINITY) < 1e-37);
    }
}
