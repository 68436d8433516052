//! The access-log rows of reads, committed in groups. A read answers only after its rows are
//! committed, as before, but concurrent reads share one commit, as a database groups the commits
//! of its own log: the first read to arrive while no group is being committed writes every row
//! waiting at that moment (`unit_of_work::record_reads`) on the connection it read with; the
//! reads that arrive meanwhile wait for that commit to end and form the next group.

use std::panic::{self, AssertUnwindSafe};
use std::sync::{Arc, Condvar, Mutex, OnceLock};

use crate::domain::decision::AccessRecord;
use crate::lock;
use crate::store::{DbConnection, StoreError};

use super::{ServiceError, Services, unit_of_work};

#[derive(Default)]
pub struct AccessLogGroups {
    state: Mutex<State>,
    /// Told whenever a group's commit ended.
    ended: Condvar,
}

#[derive(Default)]
struct State {
    /// The rows of the open group, which is not being committed yet.
    rows: Vec<AccessRecord>,
    open: Arc<Group>,
    /// Whether a group's commit is under way.
    committing: bool,
}

/// How a group's commit ended, for every read in it: an error is passed on as its text.
#[derive(Default)]
struct Group {
    outcome: OnceLock<Result<(), String>>,
}

impl AccessLogGroups {
    /// Records `rows` and returns when they are committed, or with the reason they are not (the
    /// read must then not answer with what it read). The rows are logged at their commit.
    pub fn record(
        &self,
        conn: &mut DbConnection,
        services: &Services,
        rows: Vec<AccessRecord>,
    ) -> Result<(), ServiceError> {
        if rows.is_empty() {
            return Ok(());
        }
        let mut state = lock(&self.state);
        state.rows.extend(rows);
        let group = state.open.clone();
        loop {
            if let Some(outcome) = group.outcome.get() {
                return outcome.clone().map_err(|error| {
                    ServiceError::Store(StoreError::Unavailable(format!(
                        "access log not written: {error}"
                    )))
                });
            }
            if !state.committing {
                // Our group is the open one: a group is closed only by the read that commits it,
                // which sets its outcome before the next can start.
                state.committing = true;
                let rows = std::mem::take(&mut state.rows);
                state.open = Arc::default();
                drop(state);
                let written = panic::catch_unwind(AssertUnwindSafe(|| {
                    unit_of_work::record_reads(conn, services.now(), &rows)
                }));
                let outcome = match &written {
                    Ok(Ok(())) => Ok(()),
                    Ok(Err(error)) => Err(error.to_string()),
                    Err(_) => Err("the commit panicked".to_owned()),
                };
                let mut state = lock(&self.state);
                state.committing = false;
                let _ = group.outcome.set(outcome);
                drop(state);
                self.ended.notify_all();
                return written.unwrap_or_else(|panicked| panic::resume_unwind(panicked));
            }
            state = self
                .ended
                .wait(state)
                .unwrap_or_else(|poisoned| poisoned.into_inner());
        }
    }
}
