//! The creditor registry: public reading, administrator changes.

use crate::domain::authorization::Operation;
use crate::domain::caller::Caller;
use crate::domain::creditor::{self, Creditor, Saved};
use crate::store::{claims, creditors};

use super::ServiceError;
use super::unit_of_work::UnitOfWork;

/// The registry, from memory.
pub fn list(uow: &mut UnitOfWork<'_>) -> Vec<Creditor> {
    uow.reference.creditors.clone()
}

/// Adds a creditor or replaces its registry entry in full.
pub fn put(
    uow: &mut UnitOfWork<'_>,
    caller: &Caller,
    creditor: &Creditor,
) -> Result<Saved, ServiceError> {
    let access = uow.authorize(caller, Operation::ManageReferenceData)?;
    uow.hold_registers()?;
    let registry = creditors::all(uow.conn())?;
    let existing = registry.iter().find(|c| c.code == creditor.code);
    let prefix_taken = registry
        .iter()
        .any(|c| c.claim_type_prefix == creditor.claim_type_prefix && c.code != creditor.code);
    let has_claims = existing.is_some() && claims::any_of_creditor(uow.conn(), &creditor.code)?;
    let decision = creditor::put(
        &access,
        creditor.clone(),
        existing,
        prefix_taken,
        has_claims,
    )?;
    uow.commit(decision)
}
