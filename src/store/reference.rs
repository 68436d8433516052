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

/// The advisory lock class of changes to the registers (any constant; "rg" in ASCII).
const REGISTERS_LOCK: i32 = 0x7267;

/// Holds the registers until the transaction ends; taken before a change reads them, so that two
/// administrators' changes at once are decided one after the other, each on what the other wrote.
pub fn hold(conn: &mut DbConnection) -> Result<(), StoreError> {
    super::hold(conn, REGISTERS_LOCK, "registers")
}

/// Holds the registers against change until the transaction ends, beside other such holders:
/// taken before a write decides on what is stored in them, so that a change waits for it and it
/// for a change under way, and it reads the registers as the change left them.
pub fn share(conn: &mut DbConnection) -> Result<(), StoreError> {
    super::share(conn, REGISTERS_LOCK, "registers")
}

pub fn raise(conn: &mut DbConnection) -> Result<(), StoreError> {
    diesel::update(reference_versions::table.find(ROW))
        .set(reference_versions::version.eq(reference_versions::version + 1))
        .execute(conn)?;
    Ok(())
}
