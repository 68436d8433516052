//! The fingerprint of the pseudonym key the stored data was written under.

use diesel::prelude::*;

use super::schema::pseudonym_key_check;
use super::{DbConnection, StoreError};

/// The one row of `pseudonym_key_check`.
const ROW: i32 = 1;

/// The fingerprint recorded at the first start, recording `fingerprint` if none was. Two
/// instances starting at once on a new database both get the one that was recorded first.
pub fn recorded_or_record(
    conn: &mut DbConnection,
    fingerprint: &str,
) -> Result<String, StoreError> {
    if let Some(recorded) = recorded(conn)? {
        return Ok(recorded);
    }
    let inserted = diesel::insert_into(pseudonym_key_check::table)
        .values((
            pseudonym_key_check::id.eq(ROW),
            pseudonym_key_check::fingerprint.eq(fingerprint),
        ))
        .execute(conn);
    match inserted {
        Ok(_) => Ok(fingerprint.to_owned()),
        // Another instance recorded one meanwhile: that one counts.
        Err(error) => recorded(conn)?.ok_or_else(|| error.into()),
    }
}

fn recorded(conn: &mut DbConnection) -> Result<Option<String>, StoreError> {
    Ok(pseudonym_key_check::table
        .find(ROW)
        .select(pseudonym_key_check::fingerprint)
        .first(conn)
        .optional()?)
}
