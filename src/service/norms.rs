//! Norm tables and norm computations.

use crate::domain::authorization::Operation;
use crate::domain::caller::Caller;
use crate::domain::norm::{self, NormError, NormInput, NormResult, NormTable};
use crate::domain::time::Moment;
use crate::domain::validation::FieldIssue;
use crate::store::{self, DbConnection, norms};

use super::ServiceError;
use super::unit_of_work::UnitOfWork;

/// Who added the tables this service starts with.
const SEEDED_BY: &str = "seed";

/// Stores the seeded tables when there are none yet; later tables come from the beheerder.
pub fn seed_if_empty(conn: &mut DbConnection, now: Moment) -> Result<(), ServiceError> {
    store::transaction(conn, |conn| {
        if norms::count(conn)? == 0 {
            for table in norm::seed_tables() {
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

/// Adds the next table. Validated against the existing ones; nothing existing changes.
pub fn add_table(
    uow: &mut UnitOfWork<'_>,
    caller: &Caller,
    table: &NormTable,
) -> Result<NormTable, ServiceError> {
    uow.authorize(caller, Operation::ManageReferenceData)?;
    let decision = norm::add_table(table.clone(), &uow.reference.norm_tables)?;
    uow.commit(decision)
}

/// Computes the common norm with the current tables. Holds no personal data: nothing is logged.
pub fn compute(uow: &mut UnitOfWork<'_>, input: &NormInput) -> Result<NormResult, ServiceError> {
    norm::compute(input, &uow.reference.norm_tables).map_err(invalid_peildatum)
}

/// The only input that can make the computation impossible is the date.
pub fn invalid_peildatum(error: NormError) -> ServiceError {
    ServiceError::Invalid(vec![FieldIssue::new(
        "peildatum",
        "geen_normtabel",
        error.to_string(),
    )])
}
