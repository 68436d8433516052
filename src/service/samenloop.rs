//! Samenloop for one person: loading what runs on their income, re-evaluating it within a unit
//! of work, and the daily check for what only the calendar changes.

use std::collections::{HashMap, HashSet};

use chrono::Duration;

use crate::domain::beslagvrije_voet;
use crate::domain::money::Money;
use crate::domain::notification::{self, Notification};
use crate::domain::overview::ClaimRecord;
use crate::domain::person::PersonId;
use crate::domain::samenloop::{self, Circumstances, FlagChange};
use crate::domain::schuldhulptraject::Trajectory;
use crate::domain::time::Moment;
use crate::store::person_file::{self, PersonFile};
use crate::store::{self, DbConnection, StoreError, claims, samenloop_checks, samenloop_states};

use super::ServiceError;
use super::reference::ReferenceData;
use super::unit_of_work::Context;

/// Everything in the person's file that runs or ran on their income, with what is still owed on
/// the claims of their running arrangements (one more query) and the situation they declared.
fn circumstances(conn: &mut DbConnection, file: PersonFile) -> Result<Circumstances, ServiceError> {
    let arranged: Vec<&str> = running_claims(&file).collect();
    let outstanding = claims::find_by_ids(conn, &arranged)?
        .into_iter()
        .map(|c| (c.id, c.ledger.outstanding()))
        .collect();
    Ok(of_file(file, outstanding))
}

/// The person's circumstances and claims as the overview shows them, and their running
/// debt-help trajectory, in one query: the outstanding amounts of the arranged claims come from
/// the person's own claims.
pub fn circumstances_and_claims(
    conn: &mut DbConnection,
    person: &PersonId,
) -> Result<(Circumstances, Vec<ClaimRecord>, Option<Trajectory>), ServiceError> {
    let (file, claims) = person_file::load_with_claims(conn, person)?;
    let trajectory = file.trajectory.clone();
    let arranged: HashSet<&str> = running_claims(&file).collect();
    let outstanding = claims
        .iter()
        .filter(|c| arranged.contains(c.id.as_str()))
        .map(|c| (c.id.clone(), c.ledger.outstanding()))
        .collect();
    Ok((of_file(file, outstanding), claims, trajectory))
}

fn running_claims(file: &PersonFile) -> impl Iterator<Item = &str> {
    file.arrangements
        .iter()
        .filter(|a| a.is_running())
        .flat_map(|a| a.claim_ids())
}

fn of_file(file: PersonFile, outstanding: HashMap<String, Money>) -> Circumstances {
    Circumstances {
        attachments: file.attachments,
        declared: file.declared,
        declared_situation: file.declared_situation,
        arrangements: file.arrangements,
        outstanding,
        schuldsanering: file
            .trajectory
            .as_ref()
            .is_some_and(Trajectory::is_schuldsanering),
        schuldsanering_ruling: file.schuldsanering_ruling,
    }
}

/// Re-evaluates one person against their last evaluation, keeps the new one, and returns what
/// each creditor concerned must be told (only its own part), what the person's counsellors are
/// told (the flags as the citizen sees them), and the codes of the flags raised. Only the unit of
/// work and the daily check call this, inside the transaction of the change.
pub fn reassess(
    conn: &mut DbConnection,
    person: &PersonId,
    reference: &ReferenceData,
    now: Moment,
) -> Result<(Vec<Notification>, Vec<&'static str>), ServiceError> {
    samenloop_states::hold(conn, person)?;
    let mut file = person_file::load(conn, person)?;
    let previous = std::mem::take(&mut file.samenloop);
    let mut detection = circumstances(conn, file)?.evaluate(
        &reference.norm_tables,
        &reference.creditors,
        now.today,
    );
    detection.keep_told(&previous);
    let changes = samenloop::changes(&previous.told(), &detection.told());
    let raised = changes
        .iter()
        .filter_map(|change| match change {
            FlagChange::Raised(flag) => Some(flag.code().code()),
            _ => None,
        })
        .collect();
    if previous != detection {
        samenloop_states::save(conn, person, &detection, now.utc)?;
    }
    let requests = samenloop::new_requests(&previous.requests, &detection.requests)
        .map(|request| notification::data_request(person, request));
    let undecided = detection.shortfall_undecided();
    let for_counsellors = notification::samenloop_for_counsellors(
        person,
        &changes,
        &reference.creditors,
        detection.remaining_capacity,
        undecided,
    );
    let notifications =
        samenloop::notifications_for(&changes, detection.remaining_capacity, undecided)
            .into_iter()
            .map(|n| notification::samenloop(person, n))
            .chain(requests)
            .chain(for_counsellors)
            .collect();
    Ok((notifications, raised))
}

/// Persons re-checked per query of the daily check.
const BATCH: i64 = 500;

/// How long a run of the daily check is held by the instance doing it, renewed with every
/// person; after that another instance may continue it.
fn lease() -> Duration {
    Duration::minutes(5)
}

/// Flags also change with the calendar: an attachment or declared arrangement starts or ends, a
/// norm table takes effect. Once a day, for the days since the last check, re-checks the persons
/// concerned, each in a transaction of its own, so that one failure undoes nothing else and the
/// feed locks are held only briefly. The run records the last person done: an instance that
/// stops halfway leaves it for another (or itself) to continue; `clock` tells the time each
/// person's progress renews the run's lease from. Returns how many persons were re-checked, `None`
/// when no run was due or another instance holds it.
pub fn daily_check(
    conn: &mut DbConnection,
    context: &Context<'_>,
    clock: impl Fn() -> chrono::NaiveDateTime,
) -> Result<Option<usize>, ServiceError> {
    let now = context.now;
    if samenloop_checks::checked_through(conn)? >= now.today {
        return Ok(None);
    }
    let taken = store::transaction(conn, |conn| {
        samenloop_checks::take_run(conn, now.today, now.utc, now.utc + lease())
    })?;
    let Some(mut run) = taken else {
        return Ok(None);
    };
    let everyone = beslagvrije_voet::amounts_change_between(run.after, run.through);
    let mut last = run
        .last_person
        .as_ref()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_default();
    let mut rechecked = 0;
    loop {
        let persons = if everyone {
            samenloop_checks::persons_concerned(conn, &last, BATCH)?
        } else {
            samenloop_checks::persons_with_start_or_end(conn, run.after, run.through, &last, BATCH)?
        };
        let Some(final_person) = persons.last() else {
            break;
        };
        last = final_person.as_str().to_owned();
        for person in &persons {
            // The lease runs from now, not from the run's start: a long run keeps it.
            match super::unit_of_work::recheck(conn, context, person, &mut run, clock() + lease()) {
                Ok(true) => rechecked += 1,
                // Dropped (a norm table for days it went over) or taken over: whoever holds the
                // check now goes on with it.
                Ok(false) => return Ok(Some(rechecked)),
                // What is stored of this one person cannot be read: it would fail again at every
                // tick and hold up everyone after it, so it is reported and passed over.
                // Only which part: what the reader quotes of the stored text may be personal.
                Err(ServiceError::Store(StoreError::Corrupt(error))) => {
                    let part = error.split(':').next().unwrap_or_default();
                    tracing::error!(
                        part,
                        "daily samenloop check passed over a person it cannot read"
                    );
                }
                Err(error) => return Err(error),
            }
        }
    }
    store::transaction(conn, |conn| samenloop_checks::finish_run(conn, &run))?;
    Ok(Some(rechecked))
}
