//! Citizens granting, listing and revoking mandates for counsellor organisations.

use crate::domain::access::Action;
use crate::domain::authorization::Operation;
use crate::domain::caller::Caller;
use crate::domain::decision::{AccessRecord, Decision};
use crate::domain::mandate::{Grant, Mandate};
use crate::domain::person::PersonId;
use crate::store::mandates as mandate_store;

use super::ServiceError;
use super::unit_of_work::UnitOfWork;

pub fn grant(
    uow: &mut UnitOfWork<'_>,
    caller: &Caller,
    person: &PersonId,
    grant: &Grant,
) -> Result<Mandate, ServiceError> {
    let access = uow.authorize_person(caller, Operation::ManageMandates, person)?;
    let existing = mandate_store::of_person_for(uow.conn(), person, &grant.counsellor)?;
    let id = uow.new_id();
    let decision = Mandate::grant(&access, person, id, grant.clone(), &existing, uow.now)?;
    uow.commit(decision)
}

pub fn list(
    uow: &mut UnitOfWork<'_>,
    caller: &Caller,
    person: &PersonId,
) -> Result<Vec<Mandate>, ServiceError> {
    let access = uow.authorize_person(caller, Operation::ManageMandates, person)?;
    let mandates = mandate_store::of_person(uow.conn(), person)?;
    uow.commit(Decision::read(
        mandates,
        AccessRecord::new(person, &access, Action::MandatesRead, None),
    ))
}

/// Revokes one of the person's mandates. Revoking twice is harmless; someone else's mandate is
/// "not found".
pub fn revoke(uow: &mut UnitOfWork<'_>, caller: &Caller, id: &str) -> Result<(), ServiceError> {
    let not_found = ServiceError::NotFound("machtiging");
    let mandate = mandate_store::find(uow.conn(), id)?.ok_or(not_found)?;
    let access = uow.authorize_record(
        caller,
        Operation::ManageMandates,
        &mandate.person,
        None,
        "machtiging",
    )?;
    let decision = mandate.revoke(&access, uow.now);
    uow.commit(decision)
}
