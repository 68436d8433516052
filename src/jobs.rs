//! Work the service does by itself beside the HTTP API: the daily samenloop check.

use std::sync::Arc;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread::JoinHandle;
use std::time::Duration;

use crate::service::{Services, samenloop};

/// The running background work; dropping it stops the work and waits for it.
pub struct Jobs {
    stop: Option<mpsc::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

/// Looks every `every` whether the daily samenloop check is due, on its own thread: the check
/// is blocking database work and must not hold up request handling.
pub fn start(services: Arc<Services>, every: Duration) -> Jobs {
    let (stop, stopped) = mpsc::channel::<()>();
    let thread = std::thread::spawn(move || {
        while let Err(RecvTimeoutError::Timeout) = stopped.recv_timeout(every) {
            run_daily_check(&services);
        }
    });
    Jobs {
        stop: Some(stop),
        thread: Some(thread),
    }
}

fn run_daily_check(services: &Services) {
    let context = services.context(services.now());
    let outcome = services
        .db
        .get()
        .map_err(Into::into)
        .and_then(|mut conn| samenloop::daily_check(&mut conn, &context));
    match outcome {
        Ok(Some(rechecked)) => tracing::info!(rechecked, "daily samenloop check done"),
        Ok(None) => {}
        // Tried again at the next tick; the checked date only advances with the work done.
        Err(error) => tracing::warn!(%error, "daily samenloop check failed"),
    }
}

impl Drop for Jobs {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
