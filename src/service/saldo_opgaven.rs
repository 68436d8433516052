//! Saldo-opgaven: made for the citizen or a mandated counsellor from every government claim of
//! the person, kept, and read back unchanged.

use chrono::NaiveDate;

use crate::domain::authorization::Operation;
use crate::domain::caller::Caller;
use crate::domain::saldo_opgave::{self, BewaardeSaldoOpgave, ClaimHistory, Request, SaldoOpgave};
use crate::store::{arrangements, balance_statements, claims, mandates, trajectories};

use super::unit_of_work::UnitOfWork;
use super::{ServiceError, Whom};

const STATEMENT: &str = "deze saldo-opgave";

/// The person's saldo-opgave as of `reference_date` (default today), kept under a new id.
pub fn make(
    uow: &mut UnitOfWork<'_>,
    caller: &Caller,
    whom: &Whom,
    reference_date: Option<NaiveDate>,
) -> Result<SaldoOpgave, ServiceError> {
    let (person, access) = uow.authorize_person(caller, Operation::MakeBalanceStatement, whom)?;
    let date = reference_date.unwrap_or(uow.now.today);
    let counsellor_reference = match &access.mandate_id {
        Some(id) => mandates::find(uow.conn(), id)?.and_then(|m| m.counsellor_reference),
        None => None,
    };
    let stored = claims::for_person(uow.conn(), &person)?;
    let ids: Vec<&str> = stored.iter().map(|c| c.id.as_str()).collect();
    let mut events = claims::events_of_claims(uow.conn(), &ids)?;
    let arranged = saldo_opgave::arranged_on(&arrangements::of_person(uow.conn(), &person)?, date);
    let histories = stored
        .into_iter()
        .map(|claim| ClaimHistory {
            events: events.remove(&claim.id).unwrap_or_default(),
            in_arrangement: arranged.contains(&claim.id),
            claim,
        })
        .collect();
    let trajectories = trajectories::of_person(uow.conn(), &person)?;
    let reference = uow.reference.clone();
    let request = Request {
        id: uow.new_id(),
        reference_date: date,
        counsellor_reference,
        creditors: &reference.creditors,
        trajectories: &trajectories,
    };
    let decision = saldo_opgave::make(&access, &person, request, histories, uow.now)?;
    uow.commit(decision)
}

/// A kept saldo-opgave, for the citizen or a counsellor with the citizen's live mandate; any
/// other id is "not found".
pub fn get(
    uow: &mut UnitOfWork<'_>,
    caller: &Caller,
    id: &str,
) -> Result<SaldoOpgave, ServiceError> {
    let stored = uow.find(caller, Operation::ReadBalanceStatement, STATEMENT, |c| {
        balance_statements::find(c, id)
    })?;
    let access = uow.authorize_record(
        caller,
        Operation::ReadBalanceStatement,
        &stored.person,
        None,
        STATEMENT,
    )?;
    uow.commit(saldo_opgave::read(stored, &access))
}

/// A kept saldo-opgave of the person named by `whom` (the citizen's own, or by a mandate): an
/// opgave of anyone else is "not found", so the page of one client never shows another's.
pub fn get_of(
    uow: &mut UnitOfWork<'_>,
    caller: &Caller,
    whom: &Whom,
    id: &str,
) -> Result<SaldoOpgave, ServiceError> {
    let (person, access) = uow.authorize_person(caller, Operation::ReadBalanceStatement, whom)?;
    let stored = balance_statements::find(uow.conn(), id)?
        .filter(|s| s.person == person)
        .ok_or(ServiceError::NotFound(STATEMENT))?;
    uow.commit(saldo_opgave::read(stored, &access))
}

/// The saldo-opgaven kept of the person named by `whom`, newest first.
pub fn list(
    uow: &mut UnitOfWork<'_>,
    caller: &Caller,
    whom: &Whom,
) -> Result<Vec<BewaardeSaldoOpgave>, ServiceError> {
    let (person, access) = uow.authorize_person(caller, Operation::ReadBalanceStatement, whom)?;
    let kept = balance_statements::of_person(uow.conn(), &person)?;
    uow.commit(saldo_opgave::list(kept, &person, &access))
}
