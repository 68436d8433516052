//! An administrator reading the audit trail of reference-data changes.

use crate::domain::audit::RecordedChange;
use crate::domain::authorization::Operation;
use crate::domain::caller::Caller;
use crate::store::audit_trail;

use super::unit_of_work::UnitOfWork;
use super::{Page, ServiceError};

/// A page of the trail, newest first, below entry `before`. Only administrators, who make the
/// changes, read it; it names no person.
pub fn page(
    uow: &mut UnitOfWork<'_>,
    caller: &Caller,
    before: Option<i64>,
    limit: usize,
) -> Result<Page<RecordedChange>, ServiceError> {
    uow.authorize(caller, Operation::ManageReferenceData)?;
    let conn = uow.conn();
    Page::load(
        limit,
        |size| audit_trail::page(conn, before, size),
        |change| change.id.to_string(),
    )
}
