//! A deterministic parallel map for building the engine: the knowledge
//! base's texts are analysed on every core, and the results come back in
//! input order, so the engine is the same whatever the core count.

use std::num::NonZeroUsize;
use std::thread;

/// Most threads used; loading is short and the machine may be busy.
const MAX_THREADS: usize = 4;
/// Fewer items than this are not worth a thread.
const MIN_CHUNK: usize = 64;

/// `items.iter().map(f).collect()`, computed in contiguous chunks on up to
/// [`MAX_THREADS`] threads. The order of the output is the order of the
/// input.
pub fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = threads_for(items.len());
    if threads == 1 {
        return items.iter().map(f).collect();
    }
    let chunk = items.len().div_ceil(threads);
    let f = &f;
    thread::scope(|s| {
        let rest: Vec<_> =
            items[chunk..].chunks(chunk).map(|c| s.spawn(move || c.iter().map(f).collect::<Vec<R>>())).collect();
        let mut out: Vec<R> = items[..chunk].iter().map(f).collect();
        for handle in rest {
            // A panic in `f` is a bug; surface it as the same panic.
            out.extend(handle.join().unwrap_or_else(|e| std::panic::resume_unwind(e)));
        }
        out
    })
}

/// [`map`] over owned items, so `f` can reuse what it is given.
pub fn map_vec<T: Send, R: Send>(mut items: Vec<T>, f: impl Fn(T) -> R + Sync) -> Vec<R> {
    let threads = threads_for(items.len());
    if threads == 1 {
        return items.into_iter().map(f).collect();
    }
    let chunk = items.len().div_ceil(threads);
    // Peel chunks off the end, the remainder first, so `items` keeps the
    // first full chunk and the tails come back in order once reversed.
    let mut tails = Vec::new();
    while items.len() > chunk {
        tails.push(items.split_off(items.len() - (items.len() - 1) % chunk - 1));
    }
    tails.reverse();
    let f = &f;
    thread::scope(|s| {
        let rest: Vec<_> =
            tails.into_iter().map(|c| s.spawn(move || c.into_iter().map(f).collect::<Vec<R>>())).collect();
        let mut out: Vec<R> = items.into_iter().map(f).collect();
        for handle in rest {
            out.extend(handle.join().unwrap_or_else(|e| std::panic::resume_unwind(e)));
        }
        out
    })
}

fn threads_for(items: usize) -> usize {
    let cores = thread::available_parallelism().map_or(1, NonZeroUsize::get).min(MAX_THREADS);
    cores.min(items / MIN_CHUNK).max(1)
}

#[cfg(test)]
mod tests {
    use super::{map, map_vec};

    #[test]
    fn owned_map_keeps_input_order_at_any_size() {
        for n in [0, 1, 63, 64, 129, 200, 1001] {
            let items: Vec<usize> = (0..n).collect();
            assert_eq!(map_vec(items.clone(), |x| x * 2), items.iter().map(|x| x * 2).collect::<Vec<_>>());
        }
    }

    #[test]
    fn keeps_input_order_at_any_size() {
        for n in [0, 1, 63, 64, 200, 1001] {
            let items: Vec<usize> = (0..n).collect();
            assert_eq!(map(&items, |x| x * 2), items.iter().map(|x| x * 2).collect::<Vec<_>>());
        }
    }
}
