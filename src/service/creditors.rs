//! The creditor registry: public reading, administrator changes.

use crate::clock::Moment;
use crate::domain::creditor::{self, Creditor};
use crate::domain::validation::FieldIssue;
use crate::store::{self, DbConnection, creditors};

use super::ServiceError;

pub fn list(conn: &mut DbConnection) -> Result<Vec<Creditor>, ServiceError> {
    Ok(creditors::all(conn)?)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Saved {
    Created,
    Updated,
}

/// Adds a creditor or replaces its registry entry in full.
pub fn put(
    conn: &mut DbConnection,
    creditor: &Creditor,
    now: Moment,
) -> Result<Saved, ServiceError> {
    let issues = creditor::validate(creditor);
    if !issues.is_empty() {
        return Err(ServiceError::Invalid(issues));
    }
    store::transaction(conn, |conn| {
        if creditors::prefix_taken_by_other(conn, &creditor.claim_type_prefix, &creditor.code)? {
            return Err(ServiceError::Invalid(vec![FieldIssue::new(
                "vorderingtypeVoorvoegsel",
                "al_in_gebruik",
                "is al in gebruik bij een andere schuldeiser",
            )]));
        }
        match creditors::find(conn, &creditor.code)? {
            Some(_) => {
                creditors::update(conn, creditor, now.utc)?;
                Ok(Saved::Updated)
            }
            None => {
                creditors::insert(conn, creditor, now.utc)?;
                Ok(Saved::Created)
            }
        }
    })
}
