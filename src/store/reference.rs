//! The version of the reference data (creditor registry, norm tables): raised by every change of
//! it, in the same transaction, so that every instance's cache notices within its check interval.

use diesel::prelude::*;

use super::schema::reference_versions;
use super::{DbConnection, StoreError};

const ROW: i32 = 1;

pub fn version(conn: &mut DbConnection) -> Result<i64, StoreError> {
    Ok(reference_versions::table
        .find(ROW)
        .select(reference_versions::version)
        .first(conn)?)
}

pub fn raise(conn: &mut DbConnection) -> Result<(), StoreError> {
    diesel::update(reference_versions::table.find(ROW))
        .set(reference_versions::version.eq(reference_versions::version + 1))
        .execute(conn)?;
    Ok(())
}
