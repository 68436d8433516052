//! Norm tables and norm computations.

use crate::domain::authorization::Operation;
use crate::domain::beslagvrije_voet::{self, NormError, NormInput, NormResult, NormTable};
use crate::domain::caller::Caller;
use crate::domain::time::Moment;
use crate::store::{self, DbConnection, StoreError, norms};

use super::ServiceError;
use super::unit_of_work::UnitOfWork;

/// Who added the tables this service starts with.
const SEEDED_BY: &str = "seed";

/// Stores the seeded tables when there are none yet; later tables come from the beheerder.
/// Under the registers' hold: instances starting at once on a fresh database seed one after the
/// other, and the second finds the tables there.
pub fn seed_if_empty(conn: &mut DbConnection, now: Moment) -> Result<(), ServiceError> {
    store::transaction(conn, |conn| {
        store::reference::hold(conn)?;
        if norms::count(conn)? == 0 {
            for table in beslagvrije_voet::seed_tables() {
                norms::insert(conn, &table, SEEDED_BY, now.utc)?;
            }
            store::reference::raise(conn)?;
        }
        Ok(())
    })
}

/// The tables, oldest first, from memory.
pub fn tables(uow: &mut UnitOfWork<'_>) -> Vec<NormTable> {
    uow.reference.norm_tables.clone()
}

/// Adds the next table. Validated against the existing ones as stored, not as this instance's
/// cache has them (seconds behind another instance's change), one change at a time; nothing
/// existing changes.
pub fn add_table(
    uow: &mut UnitOfWork<'_>,
    caller: &Caller,
    table: &NormTable,
) -> Result<NormTable, ServiceError> {
    let access = uow.authorize(caller, Operation::ManageReferenceData)?;
    uow.hold_registers()?;
    let existing = norms::all(uow.conn())?;
    let decision = beslagvrije_voet::add_table(&access, table.clone(), &existing)?;
    uow.commit(decision)
}

/// Computes the legal norm with the current tables. It holds no personal data, so nothing is
/// logged about who asked.
pub fn compute(uow: &mut UnitOfWork<'_>, input: &NormInput) -> Result<NormResult, ServiceError> {
    beslagvrije_voet::compute(input, &uow.reference.norm_tables).map_err(invalid_norm)
}

/// Input the engine refuses is a 400 naming every field; missing reference data is ours.
pub fn invalid_norm(error: NormError) -> ServiceError {
    let issues = error.field_issues();
    if issues.is_empty() {
        ServiceError::Store(StoreError::Corrupt(error.to_string()))
    } else {
        ServiceError::Invalid(issues)
    }
}
