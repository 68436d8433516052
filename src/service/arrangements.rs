//! Betalingsregeling Rijk: making proposals (a question: nothing changes), accepting them
//! (recomputed, not trusted), reading and ending arrangements.

use std::collections::BTreeMap;

use crate::domain::access::Action;
use crate::domain::arrangement::{
    Arrangement, ArrangementError, ArrangementView, Assessment, DuringDebtHelp, Proposal, assess,
};
use crate::domain::authorization::{Access, Operation};
use crate::domain::beslagvrije_voet::{self, NormInput};
use crate::domain::caller::Caller;
use crate::domain::claims::RecordedChange;
use crate::domain::creditor::Creditor;
use crate::domain::decision::{AccessRecord, Decision};
use crate::domain::money::Money;
use crate::domain::overview::ClaimRecord;
use crate::domain::person::PersonId;
use crate::domain::planner::CandidateClaim;
use crate::domain::samenloop::{Circumstances, Detection};
use crate::store::{
    self, DbConnection, arrangements as arrangement_store, claims as claim_store, proposals,
    trajectories,
};

use super::norms;
use super::unit_of_work::{Context, UnitOfWork};
use super::{ServiceError, Whom, samenloop};

const PROPOSAL: &str = "dit voorstel";
const ARRANGEMENT: &str = "deze betalingsregeling";

/// A proposal with everything it was computed from, and samenloop as it would stand if the
/// person's situation were the proposal's.
pub struct Proposed {
    pub proposal: Proposal,
    pub assessment: Assessment,
    pub samenloop: Detection,
    /// The registry, to name the creditors.
    pub creditors: Vec<Creditor>,
    /// What the person's running trajectory, if any, means for it.
    pub during: Option<DuringDebtHelp>,
}

/// The person's claims as candidates for an arrangement.
fn candidates(claims: &[ClaimRecord]) -> Vec<CandidateClaim> {
    claims.iter().map(CandidateClaim::from).collect()
}

fn assessment(
    uow: &UnitOfWork<'_>,
    claims: &[ClaimRecord],
    situation: &NormInput,
    circumstances: &Circumstances,
) -> Result<Assessment, ServiceError> {
    let tables = &uow.reference.norm_tables;
    let norm = beslagvrije_voet::compute(situation, tables).map_err(norms::invalid_norm)?;
    let later = beslagvrije_voet::compute_later(situation, tables).map_err(norms::invalid_norm)?;
    let candidates = candidates(claims);
    Ok(assess(
        situation,
        norm,
        &later,
        circumstances,
        candidates,
        &uow.reference.creditors,
        &uow.settings.policy,
        uow.now.today,
    ))
}

/// Makes and keeps a proposal for the person's situation. Nobody is notified and no flag
/// changes; the samenloop it shows is what would hold with this situation.
pub fn propose(
    uow: &mut UnitOfWork<'_>,
    caller: &Caller,
    whom: &Whom,
    situation: &NormInput,
) -> Result<Proposed, ServiceError> {
    let (person, access) = uow.authorize_person(caller, Operation::Propose, whom)?;
    let person = &person;
    let (circumstances, claims, trajectory) =
        samenloop::circumstances_and_claims(uow.conn(), person)?;
    let assessment = assessment(uow, &claims, situation, &circumstances)?;
    let id = uow.new_id();
    let samenloop = circumstances.evaluate_as_if(
        situation,
        assessment.as_running(&id, &uow.settings.coordinator),
        &uow.reference.norm_tables,
        &uow.reference.creditors,
        uow.now.today,
    );
    let decision = Proposal::make(
        person,
        &access,
        id,
        situation.clone(),
        &assessment,
        uow.settings,
        uow.now,
    );
    let proposal = uow.commit(decision)?;
    Ok(Proposed {
        proposal,
        assessment,
        samenloop,
        creditors: uow.reference.creditors.clone(),
        during: trajectory.as_ref().and_then(DuringDebtHelp::of),
    })
}

/// What accepting a proposal came to.
#[derive(Debug)]
pub enum Acceptance {
    /// The arrangement it started.
    Started(Box<ArrangementView>),
    /// It was accepted before (a second click, a retried call): the id of the arrangement it
    /// started then. Nothing changed.
    Earlier(String),
}

/// Accepts a proposal: recomputed against the claims and deductions as they are now, refused
/// with every change listed if anything differs.
pub fn accept(
    uow: &mut UnitOfWork<'_>,
    caller: &Caller,
    within: Option<&Whom>,
    proposal_id: &str,
) -> Result<Acceptance, ServiceError> {
    let proposal = uow.find(caller, Operation::AcceptProposal, PROPOSAL, |c| {
        proposals::find(c, proposal_id)
    })?;
    only_within(
        uow,
        caller,
        Operation::AcceptProposal,
        within,
        &proposal.person,
        PROPOSAL,
    )?;
    let access = uow.authorize_record(
        caller,
        Operation::AcceptProposal,
        &proposal.person,
        None,
        PROPOSAL,
    )?;
    // Whether each claim joins is decided on all of them as they are: a payment in flight
    // commits first, or is tried again once the claim is in the arrangement.
    uow.hold_claims_of(&proposal.person)?;
    let (circumstances, claims, debt_help) =
        samenloop::circumstances_and_claims(uow.conn(), &proposal.person)?;
    let situation = proposal.situation_on(uow.now.today);
    let current = assessment(uow, &claims, &situation, &circumstances)?;
    let id = uow.new_id();
    let decision = match proposal.accept(
        &access,
        id,
        &current,
        &uow.reference.creditors,
        uow.settings,
        debt_help.as_ref(),
        uow.now,
    ) {
        Ok(decision) => decision,
        Err(ArrangementError::AlreadyAccepted(arrangement)) => {
            return Ok(Acceptance::Earlier(arrangement));
        }
        Err(refused) => return Err(refused.into()),
    };
    uow.commit(decision)
        .map(|view| Acceptance::Started(Box::new(view)))
}

/// A page is about one person (`within`: the citizen's own, or a counsellor's client by mandate
/// id): a record of anyone else is "not found" there, also when the caller may act on it under
/// another mandate, so that a page about one client never shows or changes another's. The API
/// names no person (`None`).
fn only_within(
    uow: &mut UnitOfWork<'_>,
    caller: &Caller,
    operation: Operation,
    within: Option<&Whom>,
    owner: &PersonId,
    what: &'static str,
) -> Result<(), ServiceError> {
    match within {
        Some(whom) if uow.authorize_person(caller, operation, whom)?.0 != *owner => {
            Err(ServiceError::NotFound(what))
        }
        _ => Ok(()),
    }
}

/// An arrangement the caller may act on, with the changes to its claims since it started.
fn load(
    uow: &mut UnitOfWork<'_>,
    caller: &Caller,
    operation: Operation,
    within: Option<&Whom>,
    id: &str,
) -> Result<(Arrangement, Access, Vec<RecordedChange>), ServiceError> {
    let (arrangement, access) = authorized(uow, caller, operation, within, id)?;
    let changes = changes_of(uow, &arrangement)?;
    Ok((arrangement, access, changes))
}

/// The arrangement, if the caller may do `operation` on it.
fn authorized(
    uow: &mut UnitOfWork<'_>,
    caller: &Caller,
    operation: Operation,
    within: Option<&Whom>,
    id: &str,
) -> Result<(Arrangement, Access), ServiceError> {
    let arrangement = uow.find(caller, operation, ARRANGEMENT, |c| {
        arrangement_store::find(c, id)
    })?;
    only_within(
        uow,
        caller,
        operation,
        within,
        &arrangement.person,
        ARRANGEMENT,
    )?;
    let access = uow.authorize_record(caller, operation, &arrangement.person, None, ARRANGEMENT)?;
    Ok((arrangement, access))
}

fn changes_of(
    uow: &mut UnitOfWork<'_>,
    arrangement: &Arrangement,
) -> Result<Vec<RecordedChange>, ServiceError> {
    let ids: Vec<&str> = arrangement.claim_ids().collect();
    Ok(claim_store::changes_since(
        uow.conn(),
        &ids,
        arrangement.started_at,
    )?)
}

pub fn get(
    uow: &mut UnitOfWork<'_>,
    caller: &Caller,
    within: Option<&Whom>,
    id: &str,
) -> Result<ArrangementView, ServiceError> {
    let (arrangement, access, changes) = load(uow, caller, Operation::ReadArrangement, within, id)?;
    let record = AccessRecord::new(
        &arrangement.person,
        &access,
        Action::ArrangementRead,
        Some(&arrangement.id),
    );
    let outstanding = outstanding_now(uow, std::slice::from_ref(&arrangement))?;
    let debt_help = trajectories::running_of(uow.conn(), &arrangement.person)?;
    let view = arrangement.view(&changes, &outstanding, debt_help.as_ref(), uow.now.today)?;
    uow.commit(Decision::read(view, record))
}

/// What is open now on each claim of the running ones of `arrangements`, by claim id: one query.
fn outstanding_now(
    uow: &mut UnitOfWork<'_>,
    arrangements: &[Arrangement],
) -> Result<BTreeMap<String, Money>, ServiceError> {
    let ids: Vec<&str> = arrangements
        .iter()
        .filter(|a| a.is_running())
        .flat_map(Arrangement::claim_ids)
        .collect();
    if ids.is_empty() {
        return Ok(BTreeMap::new());
    }
    Ok(claim_store::find_by_ids(uow.conn(), &ids)?
        .into_iter()
        .map(|claim| (claim.id, claim.ledger.outstanding()))
        .collect())
}

/// The person's arrangements, most recent first, each with its schedule and progress: the
/// changes to the claims of all of them in one query.
pub fn of_person(
    uow: &mut UnitOfWork<'_>,
    caller: &Caller,
    whom: &Whom,
) -> Result<Vec<ArrangementView>, ServiceError> {
    let (person, access) = uow.authorize_person(caller, Operation::ListArrangements, whom)?;
    let person = &person;
    let arrangements = arrangement_store::of_person(uow.conn(), person)?;
    let Some(earliest) = arrangements.iter().map(|a| a.started_at).min() else {
        return Ok(Vec::new());
    };
    let ids: Vec<&str> = arrangements
        .iter()
        .flat_map(Arrangement::claim_ids)
        .collect();
    let changes = claim_store::changes_since(uow.conn(), &ids, earliest)?;
    let outstanding = outstanding_now(uow, &arrangements)?;
    let debt_help = trajectories::running_of(uow.conn(), person)?;
    let today = uow.now.today;
    let views = arrangements
        .into_iter()
        .map(|a| a.view(&changes, &outstanding, debt_help.as_ref(), today))
        .collect::<Result<Vec<_>, _>>()?;
    uow.commit(Decision::read(
        views,
        AccessRecord::new(person, &access, Action::ArrangementRead, None),
    ))
}

/// Ends a running arrangement; every creditor in it is told where its own collection may
/// resume, or that the person's running debt-help trajectory still holds it back.
pub fn end(
    uow: &mut UnitOfWork<'_>,
    caller: &Caller,
    within: Option<&Whom>,
    id: &str,
    reason: &str,
) -> Result<ArrangementView, ServiceError> {
    let (arrangement, access) = authorized(uow, caller, Operation::EndArrangement, within, id)?;
    // Held before its claims are read, as for an acceptance: a batch that read the arrangement
    // as running and commits after this ending is tried again, and tells its coordinator nothing
    // about an arrangement that has ended.
    uow.hold_claims_of(&arrangement.person)?;
    let changes = changes_of(uow, &arrangement)?;
    let outstanding = outstanding_now(uow, std::slice::from_ref(&arrangement))?;
    // Read after the hold: a Wsnp begun beside this ending (which holds the same claims) is seen.
    let trajectory = trajectories::running_of(uow.conn(), &arrangement.person)?;
    let decision = arrangement.end(
        &access,
        reason.to_owned(),
        &changes,
        &outstanding,
        trajectory.as_ref(),
        uow.now,
    )?;
    uow.commit(decision)
}

/// Proposals deleted per transaction by [`forget_unaccepted_proposals`].
const FORGET_BATCH: i64 = 100;

/// Deletes the proposals nobody accepted once they are no longer kept
/// (`ArrangementSettings::unaccepted_proposals_kept_from`), a batch per transaction; how many.
/// Retention, not a person's action: it needs no unit of work and is in nobody's access log.
/// Instances doing it at once delete each proposal once.
pub fn forget_unaccepted_proposals(
    conn: &mut DbConnection,
    context: &Context<'_>,
) -> Result<usize, ServiceError> {
    let cutoff = context
        .settings
        .unaccepted_proposals_kept_from(context.now.utc);
    let mut forgotten = 0;
    loop {
        let batch = store::transaction(conn, |conn| -> Result<usize, ServiceError> {
            let ids = proposals::unaccepted_expired_before(conn, cutoff, FORGET_BATCH)?;
            for id in &ids {
                proposals::delete_unaccepted(conn, id)?;
            }
            Ok(ids.len())
        })?;
        forgotten += batch;
        if batch < usize::try_from(FORGET_BATCH).unwrap_or(usize::MAX) {
            return Ok(forgotten);
        }
    }
}
