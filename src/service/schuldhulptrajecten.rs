//! Debt-help trajectories: registering, changing, ending and reading them; what a batch of
//! claim events or a new attachment during the pause sets off (asked by the unit of work); and
//! the watch on the counsellors' mandates.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;

use crate::domain::access::Action;
use crate::domain::arrangement::Arrangement;
use crate::domain::attachment::Attachment;
use crate::domain::authorization::{Access, Operation};
use crate::domain::caller::Caller;
use crate::domain::claims::{ClaimBatch, ClaimEvent};
use crate::domain::counsellor::CounsellorOrganisation;
use crate::domain::decision::{AccessRecord, Decision};
use crate::domain::mandate::Mandate;
use crate::domain::notification::Notification;
use crate::domain::person::PersonId;
use crate::domain::schuldhulptraject::{
    self, Debts, Registration, Trajectory, TrajectoryActor, TrajectoryChange, TrajectoryPhase,
};
use crate::store::{DbConnection, arrangements, claims, mandates, trajectories};

use super::unit_of_work::{self, Context, UnitOfWork};
use super::{ServiceError, Whom};

const TRAJECTORY: &str = "dit schuldhulptraject";

/// The mandate a counsellor acts under (the one authorization found live).
fn acting_mandate(uow: &mut UnitOfWork<'_>, access: &Access) -> Result<Mandate, ServiceError> {
    let id = access
        .mandate_id
        .as_deref()
        .ok_or_else(|| ServiceError::Forbidden("Alleen voor schuldhulpverleners.".into()))?;
    mandates::find(uow.conn(), id)?.ok_or(ServiceError::NotFound("deze machtiging"))
}

/// A counsellor registers that the citizen (named by BSN or by mandate) is in municipal debt
/// help; every creditor with an open claim is told.
pub fn register(
    uow: &mut UnitOfWork<'_>,
    caller: &Caller,
    whom: &Whom,
    registration: &Registration,
) -> Result<Trajectory, ServiceError> {
    let (person, access) = uow.authorize_person(caller, Operation::RegisterTrajectory, whom)?;
    let mandate = acting_mandate(uow, &access)?;
    let arrangements = if registration.phase.is_schuldsanering() {
        schuldsanering_begins(uow, &person)?
    } else {
        Vec::new()
    };
    let running = trajectories::running_of(uow.conn(), &person)?;
    let claims = claims::for_person(uow.conn(), &person)?;
    let reference = uow.reference.clone();
    let id = uow.new_id();
    let decision = Trajectory::register(
        &access,
        &person,
        id,
        registration.clone(),
        &mandate,
        reference.counsellor(&mandate.counsellor),
        running.as_ref(),
        Debts {
            claims: &claims,
            arrangements: &arrangements,
        },
        uow.now,
    )?;
    uow.commit(decision)
}

/// The schuldsanering begins: no Betalingsregeling Rijk starts in it, so an acceptance racing
/// its start, which holds the same claims (`arrangements::accept`), waits for this change and
/// then sees it. Returns the person's arrangements, whose coordinators are told.
fn schuldsanering_begins(
    uow: &mut UnitOfWork<'_>,
    person: &PersonId,
) -> Result<Vec<Arrangement>, ServiceError> {
    uow.hold_claims_of(person)?;
    Ok(arrangements::of_person(uow.conn(), person)?)
}

/// Loads a trajectory the caller may see (the citizen's own, or a mandated counsellor's); any
/// other id is "not found".
fn load(
    uow: &mut UnitOfWork<'_>,
    caller: &Caller,
    operation: Operation,
    id: &str,
) -> Result<(Trajectory, Access), ServiceError> {
    let trajectory = uow.find(caller, operation, TRAJECTORY, |c| trajectories::find(c, id))?;
    let access = uow.authorize_record(
        caller,
        operation,
        &trajectory.person,
        Some(&trajectory.counsellor),
        TRAJECTORY,
    )?;
    Ok((trajectory, access))
}

/// The registering counsellor changes the phase or ends it; the citizen may end it.
/// Changes a trajectory; also says whether the change changed anything (see
/// [`Trajectory::changes_anything`]).
pub fn change(
    uow: &mut UnitOfWork<'_>,
    caller: &Caller,
    id: &str,
    change: &TrajectoryChange,
) -> Result<(Trajectory, bool), ServiceError> {
    let (trajectory, access) = load(uow, caller, Operation::ChangeTrajectory, id)?;
    let arrangements = if change.phase.is_some_and(TrajectoryPhase::is_schuldsanering) {
        schuldsanering_begins(uow, &trajectory.person)?
    } else if change.end.is_some() {
        // Its creditors are told to resume, except on claims in a running arrangement.
        arrangements::of_person(uow.conn(), &trajectory.person)?
    } else {
        Vec::new()
    };
    let mandate = match caller {
        Caller::Counsellor { .. } => Some(acting_mandate(uow, &access)?),
        _ => None,
    };
    let actor = mandate
        .as_ref()
        .map_or(TrajectoryActor::Citizen, TrajectoryActor::Counsellor);
    let claims = claims::for_person(uow.conn(), &trajectory.person)?;
    let reference = uow.reference.clone();
    let registry = reference.counsellor(&trajectory.counsellor);
    let now = uow.now;
    let changes_anything = trajectory.changes_anything(change);
    let debts = Debts {
        claims: &claims,
        arrangements: &arrangements,
    };
    let decision = trajectory.change(actor, &access, change.clone(), registry, debts, now)?;
    Ok((uow.commit(decision)?, changes_anything))
}

/// Changes the trajectory `id` of the person named by `whom` (the citizen's own, or by a
/// mandate): a trajectory of anyone else is "not found", so the page of one client never changes
/// another's.
pub fn change_of(
    uow: &mut UnitOfWork<'_>,
    caller: &Caller,
    whom: &Whom,
    id: &str,
    requested: &TrajectoryChange,
) -> Result<(Trajectory, bool), ServiceError> {
    of_person(uow, caller, whom, id)?;
    change(uow, caller, id, requested)
}

/// For the page that asks once more: the trajectory `id` of the person named by `whom` that
/// ending on `end` would end, authorized as the ending itself and with `end` checked; read.
pub fn to_end(
    uow: &mut UnitOfWork<'_>,
    caller: &Caller,
    whom: &Whom,
    id: &str,
    end: NaiveDate,
) -> Result<Trajectory, ServiceError> {
    let trajectory = of_person(uow, caller, whom, id)?;
    let access = uow.authorize_record(
        caller,
        Operation::ChangeTrajectory,
        &trajectory.person,
        Some(&trajectory.counsellor),
        TRAJECTORY,
    )?;
    let issues = trajectory.check_end(end, uow.now.today);
    if !issues.is_empty() {
        return Err(ServiceError::Invalid(issues));
    }
    uow.commit(trajectory.read(&access))
}

/// The trajectory `id` if it is of the person `whom` names (the citizen's own, or by a
/// mandate): one of anyone else is "not found", so the page of one client never reaches
/// another's.
fn of_person(
    uow: &mut UnitOfWork<'_>,
    caller: &Caller,
    whom: &Whom,
    id: &str,
) -> Result<Trajectory, ServiceError> {
    let (person, _) = uow.authorize_person(caller, Operation::ChangeTrajectory, whom)?;
    match trajectories::find(uow.conn(), id)? {
        Some(trajectory) if trajectory.person == person => Ok(trajectory),
        _ => Err(ServiceError::NotFound(TRAJECTORY)),
    }
}

pub fn get(
    uow: &mut UnitOfWork<'_>,
    caller: &Caller,
    id: &str,
) -> Result<Trajectory, ServiceError> {
    let (trajectory, access) = load(uow, caller, Operation::ReadTrajectory, id)?;
    uow.commit(trajectory.read(&access))
}

/// The citizen's own trajectories, or those a counsellor organisation registered for the
/// citizens who mandate it now; newest first. Each citizen's log shows the reading.
pub fn list(uow: &mut UnitOfWork<'_>, caller: &Caller) -> Result<Vec<Trajectory>, ServiceError> {
    let (list, access) = match caller {
        Caller::Citizen { person } => {
            let whom = Whom::Person(person.clone());
            let (person, access) =
                uow.authorize_person(caller, Operation::ReadTrajectory, &whom)?;
            (trajectories::of_person(uow.conn(), &person)?, access)
        }
        _ => {
            let access = uow.authorize(caller, Operation::ReadTrajectory)?;
            let organisation = caller.counsellor().unwrap_or_default();
            let today = uow.now.today;
            let mandated: HashMap<_, _> =
                mandates::current_of_counsellor(uow.conn(), organisation, today)?
                    .into_iter()
                    .filter(|m| m.is_live(today))
                    .map(|m| (m.person, m.id))
                    .collect();
            let list = trajectories::of_counsellor(uow.conn(), organisation)?
                .into_iter()
                .filter(|t| mandated.contains_key(&t.person))
                .collect();
            (list, access)
        }
    };
    let reads = list
        .iter()
        .map(|t| AccessRecord::new(&t.person, &access, Action::TrajectoryRead, Some(&t.id)))
        .collect();
    uow.commit(Decision::reads(list, reads))
}

/// The ended trajectories of the person a page is about (`whom`), newest first: all of a
/// citizen's own; for a counsellor organisation, those it registered, as `list` gives them.
/// Each shown is logged as read.
pub fn ended_of(
    uow: &mut UnitOfWork<'_>,
    caller: &Caller,
    whom: &Whom,
) -> Result<Vec<Trajectory>, ServiceError> {
    let (person, access) = uow.authorize_person(caller, Operation::ReadTrajectory, whom)?;
    let organisation = caller.counsellor();
    let ended: Vec<Trajectory> = trajectories::of_person(uow.conn(), &person)?
        .into_iter()
        .filter(|t| !t.is_running() && organisation.is_none_or(|o| t.counsellor == o))
        .collect();
    let reads = ended
        .iter()
        .map(|t| AccessRecord::new(&t.person, &access, Action::TrajectoryRead, Some(&t.id)))
        .collect();
    uow.commit(Decision::reads(ended, reads))
}

/// A mandate was revoked: the counsellor is told if its trajectory runs on.
pub fn mandate_revoked(uow: &mut UnitOfWork<'_>, revoked: &Mandate) -> Result<(), ServiceError> {
    if let Some(trajectory) = trajectories::running_of(uow.conn(), &revoked.person)?
        .filter(|t| t.counsellor == revoked.counsellor)
    {
        let today = uow.now.today;
        uow.commit(trajectory.mandate_ended(revoked, today))?;
    }
    Ok(())
}

/// A mandate was granted: a trajectory of the same organisation is watched under it.
pub fn mandate_granted(uow: &mut UnitOfWork<'_>, granted: &Mandate) -> Result<(), ServiceError> {
    if let Some(trajectory) = trajectories::running_of(uow.conn(), &granted.person)? {
        let today = uow.now.today;
        uow.commit(trajectory.adopt_mandate(granted, today))?;
    }
    Ok(())
}

/// What a batch of claim events, received `today`, sets off for trajectories; asked by the unit
/// of work before the batch is written (so the phases before it can still be read). Only persons
/// with a new claim, a surcharge or a phase change are looked up.
pub fn on_claim_batch(
    conn: &mut DbConnection,
    batch: &ClaimBatch,
    registry: &[CounsellorOrganisation],
    today: NaiveDate,
) -> Result<Decision<()>, ServiceError> {
    // Claims with a new claim, surcharge or phase change; `true`: with a phase change.
    let mut relevant: HashMap<&str, bool> = HashMap::new();
    for (keyed, claim_id) in &batch.events {
        let phase_change = match keyed.event {
            ClaimEvent::Imposed(_) | ClaimEvent::Surcharge { .. } => false,
            ClaimEvent::PhaseChange { .. } => true,
            _ => continue,
        };
        *relevant.entry(claim_id.as_str()).or_default() |= phase_change;
    }
    let persons = persons_of(batch, |id| relevant.contains_key(id));
    let running = if persons.is_empty() {
        HashMap::new()
    } else {
        trajectories::running_of_persons(conn, &persons)?
    };
    // A surcharge may be dated during a trajectory that has ended since, and a phase change
    // received on the last day of one that ended today falls within it.
    let dated_claims: HashSet<&str> = batch
        .events
        .iter()
        .filter(|(keyed, _)| {
            matches!(
                keyed.event,
                ClaimEvent::Surcharge { .. } | ClaimEvent::PhaseChange { .. }
            )
        })
        .map(|(_, claim_id)| claim_id.as_str())
        .collect();
    let dated = persons_of(batch, |id| dated_claims.contains(id));
    let ended = if dated.is_empty() {
        HashMap::new()
    } else {
        trajectories::ended_of_persons(conn, &dated)?
    };
    if running.is_empty() && ended.is_empty() {
        return Ok(Decision::reads((), Vec::new()));
    }
    let escalating: Vec<&str> = batch
        .updated_claims
        .iter()
        .filter(|c| {
            relevant.get(c.id.as_str()) == Some(&true)
                && (running.contains_key(&c.person) || ended.contains_key(&c.person))
        })
        .map(|c| c.id.as_str())
        .collect();
    let stored_phases = claims::find_by_ids(conn, &escalating)?
        .into_iter()
        .map(|c| (c.id, c.ledger.phase))
        .collect();
    Ok(schuldhulptraject::claim_batch_signals(
        batch,
        &running,
        &ended,
        &stored_phases,
        registry,
        today,
    ))
}

/// The persons of the batch's claims whose id `wanted` picks, sorted, each once.
fn persons_of(batch: &ClaimBatch, wanted: impl Fn(&str) -> bool) -> Vec<&str> {
    let mut persons: Vec<&str> = batch
        .new_claims
        .iter()
        .chain(&batch.updated_claims)
        .filter(|c| wanted(c.id.as_str()))
        .map(|c| c.person.as_str())
        .collect();
    persons.sort_unstable();
    persons.dedup();
    persons
}

/// What a new attachment during the pause sets off; asked by the unit of work.
pub fn on_new_attachment(
    conn: &mut DbConnection,
    attachment: &Attachment,
) -> Result<Vec<Notification>, ServiceError> {
    let trajectories = trajectories::of_person(conn, &attachment.person)?;
    Ok(schuldhulptraject::attachment_signal(
        attachment,
        &trajectories,
    ))
}

/// Trajectories looked at per query of the mandate watch.
const WATCH_BATCH: i64 = 200;

/// The watch on the counsellors' mandates: a running trajectory whose recorded mandate ran out
/// is watched under the organisation's new live mandate, or its counsellor is told, once. Each
/// trajectory in a unit of work of its own, which leaves it no longer lapsed; several instances
/// may run it at once (a trajectory changed by another is re-read). Returns how many were
/// looked at.
pub fn watch_mandates(
    conn: &mut DbConnection,
    context: &Context<'_>,
) -> Result<usize, ServiceError> {
    let mut looked_at = 0;
    loop {
        let lapsed = trajectories::mandate_lapsed(conn, context.now.today, WATCH_BATCH)?;
        if lapsed.is_empty() {
            return Ok(looked_at);
        }
        for trajectory in lapsed {
            unit_of_work::run(conn, context, |uow| {
                let today = uow.now.today;
                match trajectories::find(uow.conn(), &trajectory.id)? {
                    Some(current)
                        if current.is_running()
                            && !current.mandate_end_told
                            && current.mandate_valid_until < today =>
                    {
                        let mandates = mandates::of_person_for(
                            uow.conn(),
                            &current.person,
                            &current.counsellor,
                        )?;
                        uow.commit(current.watch_mandate(&mandates, today))
                    }
                    _ => Ok(()),
                }
            })?;
            looked_at += 1;
        }
    }
}
