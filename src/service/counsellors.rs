//! The registry of counsellor organisations: public reading, administrator changes.

use crate::domain::authorization::Operation;
use crate::domain::caller::Caller;
use crate::domain::counsellor::{self, CounsellorOrganisation};
use crate::store::counsellors;

use super::ServiceError;
use super::unit_of_work::UnitOfWork;

/// The registry, from memory.
pub fn list(uow: &mut UnitOfWork<'_>) -> Vec<CounsellorOrganisation> {
    uow.reference.counsellors.clone()
}

/// Adds an organisation or replaces its entry; `true` when it is new.
pub fn put(
    uow: &mut UnitOfWork<'_>,
    caller: &Caller,
    organisation: &CounsellorOrganisation,
) -> Result<bool, ServiceError> {
    let access = uow.authorize(caller, Operation::ManageReferenceData)?;
    uow.hold_registers()?;
    let existing = counsellors::all(uow.conn())?
        .into_iter()
        .find(|c| c.id == organisation.id);
    let decision = counsellor::put(&access, organisation.clone(), existing.as_ref())?;
    uow.commit(decision)
}
