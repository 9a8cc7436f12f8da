//! One thread that does all of a running bot's store work, in order.
//! SQLite serialises writes anyway; a single thread fed by a queue keeps
//! async callers from each taking a blocking thread (a burst of a thousand
//! interactions would otherwise start hundreds of threads that only wait
//! on the same lock, and starve the runtime while they start).

use std::sync::mpsc;

use tokio::sync::oneshot;

use super::{Handle, StoreError};

type Job = Box<dyn FnOnce(&Handle) + Send>;

/// A queue to the store thread. Cloning shares the thread; it ends when
/// the last clone is dropped.
#[derive(Debug, Clone)]
pub struct Worker {
    jobs: mpsc::Sender<Job>,
}

/// Why a job did not run.
#[derive(Debug, thiserror::Error)]
pub enum WorkerError {
    /// The job ran and failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The store thread is gone (it panicked or could not start).
    #[error("the store thread is not running")]
    Stopped,
}

impl Worker {
    /// Starts the thread over `handle`.
    pub fn spawn(handle: Handle) -> std::io::Result<Self> {
        let (jobs, queue) = mpsc::channel::<Job>();
        std::thread::Builder::new().name("her2bot-store".into()).spawn(move || {
            for job in queue {
                job(&handle);
            }
        })?;
        Ok(Self { jobs })
    }

    /// Runs `f` on the store thread and waits for its result without
    /// blocking the caller's thread.
    pub async fn call<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Handle) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, WorkerError> {
        let (tx, rx) = oneshot::channel();
        let job: Job = Box::new(move |h| {
            let _ = tx.send(f(h));
        });
        self.jobs.send(job).map_err(|_| WorkerError::Stopped)?;
        rx.await.map_err(|_| WorkerError::Stopped)?.map_err(WorkerError::Store)
    }
}
