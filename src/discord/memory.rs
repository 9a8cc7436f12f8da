//! Giving memory back after a burst.
//!
//! A burst of interactions (serenity spawns a task per gateway event) grows
//! the heap by a few megabytes; glibc's allocator keeps the freed pages, so
//! the process would stay at its peak size. When the last interaction in
//! flight finishes, [`release_free_memory`] asks the allocator to return
//! free pages to the system. It is cheap when there is nothing to return,
//! and under steady load the bot is rarely idle enough to call it.

/// Returns free heap pages to the operating system (glibc only; a no-op
/// elsewhere).
pub fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        unsafe extern "C" {
            /// glibc: releases free memory from the heap; returns 1 if any was released.
            fn malloc_trim(pad: usize) -> i32;
        }
        // SAFETY: malloc_trim takes no pointers and only touches the
        // allocator's own free lists, under the allocator's lock.
        unsafe {
            malloc_trim(0);
        }
    }
}
