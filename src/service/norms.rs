//! Norm tables and norm computations.

use crate::clock::Moment;
use crate::domain::norm::{self, NormError, NormInput, NormResult, NormTable, validate_new_table};
use crate::domain::validation::FieldIssue;
use crate::store::{self, DbConnection, norms};

use super::ServiceError;

/// Who added the tables this service starts with.
const SEEDED_BY: &str = "seed";

/// Stores the seeded tables when there are none yet; later tables come from the beheerder.
pub fn seed_if_empty(conn: &mut DbConnection, now: Moment) -> Result<(), ServiceError> {
    store::transaction(conn, |conn| {
        if norms::count(conn)? == 0 {
            for table in norm::seed_tables() {
                norms::insert(conn, &table, SEEDED_BY, now.utc)?;
            }
        }
        Ok(())
    })
}

pub fn tables(conn: &mut DbConnection) -> Result<Vec<NormTable>, ServiceError> {
    Ok(norms::all(conn)?)
}

/// Adds the next table. Validated against the stored ones; nothing existing changes.
pub fn add_table(
    conn: &mut DbConnection,
    table: &NormTable,
    now: Moment,
) -> Result<(), ServiceError> {
    store::transaction(conn, |conn| {
        let issues = validate_new_table(table, &norms::all(conn)?);
        if !issues.is_empty() {
            return Err(ServiceError::Invalid(issues));
        }
        norms::insert(conn, table, "beheerder", now.utc)?;
        Ok(())
    })
}

/// Computes the common norm with the stored tables.
pub fn compute(conn: &mut DbConnection, input: &NormInput) -> Result<NormResult, ServiceError> {
    let tables = norms::all(conn)?;
    norm::compute(input, &tables).map_err(invalid_peildatum)
}

/// The only input that can make the computation impossible is the date.
pub fn invalid_peildatum(error: NormError) -> ServiceError {
    ServiceError::Invalid(vec![FieldIssue::new(
        "peildatum",
        "geen_normtabel",
        error.to_string(),
    )])
}
