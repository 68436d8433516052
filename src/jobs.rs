//! Work the service does by itself beside the HTTP API: the daily samenloop check, the watch on
//! the mandates of counsellors with a running trajectory, deleting proposals nobody accepted once
//! they are no longer kept, and the webhook relay.

use std::sync::Arc;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread::JoinHandle;

use crate::config::Config;
use crate::relay::{self, Relay};
use crate::service::unit_of_work::Context;
use crate::service::{ServiceError, Services, arrangements, samenloop, schuldhulptrajecten};
use crate::store::DbConnection;

/// The running background work; dropping it stops the work and waits for it.
pub struct Jobs {
    stop: Option<mpsc::Sender<()>>,
    thread: Option<JoinHandle<()>>,
    relay: Option<Relay>,
}

/// Looks every `config.samenloop_check_every` whether the daily samenloop check is due, whether
/// a counsellor's mandate lapsed and whether a proposal is no longer kept, on its own thread: all
/// are blocking database work and must not hold up request handling. Starts the webhook relay. None of it when the
/// configuration turns it off (a restore drill: a copy of the data must send nothing and change
/// nothing by itself), which the log says.
pub fn start(services: Arc<Services>, config: &Config) -> Option<Jobs> {
    if !config.background_work {
        tracing::warn!(
            "background work is off (RIJKSINCASSO_ACHTERGRONDWERK=uit): no webhook is delivered, \
             no daily samenloop check, mandate watch or deletion of expired proposals runs"
        );
        return None;
    }
    let every = config.samenloop_check_every;
    let relay = relay::start(services.clone());
    let (stop, stopped) = mpsc::channel::<()>();
    let thread = std::thread::spawn(move || {
        while let Err(RecvTimeoutError::Timeout) = stopped.recv_timeout(every) {
            run_daily_check(&services);
            run_mandate_watch(&services);
            run_proposal_retention(&services);
        }
    });
    Some(Jobs {
        stop: Some(stop),
        thread: Some(thread),
        relay: Some(relay),
    })
}

fn run_daily_check(services: &Services) {
    let context = services.context(services.now());
    let outcome =
        services.db.get().map_err(Into::into).and_then(|mut conn| {
            samenloop::daily_check(&mut conn, &context, || services.now().utc)
        });
    match outcome {
        Ok(Some(rechecked)) => tracing::info!(rechecked, "daily samenloop check done"),
        Ok(None) => {}
        // Tried again at the next tick; the checked date only advances with the work done.
        Err(error) => tracing::warn!(%error, "daily samenloop check failed"),
    }
}

fn run_mandate_watch(services: &Services) {
    run_counting(
        services,
        schuldhulptrajecten::watch_mandates,
        "lapsed mandates of trajectories handled",
        "watch on counsellors' mandates failed",
    );
}

fn run_proposal_retention(services: &Services) {
    run_counting(
        services,
        arrangements::forget_unaccepted_proposals,
        "expired proposals nobody accepted deleted",
        "deleting expired proposals failed",
    );
}

/// Runs a piece of the background work that says how many it handled: logged when it handled
/// any, and when it failed (it is tried again at the next tick).
fn run_counting(
    services: &Services,
    work: impl FnOnce(&mut DbConnection, &Context<'_>) -> Result<usize, ServiceError>,
    done: &str,
    failed: &str,
) {
    let context = services.context(services.now());
    let outcome = services
        .db
        .get()
        .map_err(Into::into)
        .and_then(|mut conn| work(&mut conn, &context));
    match outcome {
        Ok(0) => {}
        Ok(count) => tracing::info!(count, "{done}"),
        Err(error) => tracing::warn!(%error, "{failed}"),
    }
}

impl Drop for Jobs {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
        drop(self.relay.take());
    }
}
