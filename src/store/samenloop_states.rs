//! Per person the flags of the last samenloop evaluation, to tell creditors what changed.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::samenloop_states;
use super::{DbConnection, StoreError};
use crate::domain::person::PersonId;
use crate::domain::samenloop::Flag;

pub fn load(conn: &mut DbConnection, person: &PersonId) -> Result<Vec<Flag>, StoreError> {
    let flags: Option<String> = samenloop_states::table
        .find(person.as_str())
        .select(samenloop_states::flags)
        .first(conn)
        .optional()?;
    match flags {
        None => Ok(Vec::new()),
        Some(json) => serde_json::from_str(&json)
            .map_err(|e| StoreError::Corrupt(format!("samenloop state: {e}"))),
    }
}

pub fn save(
    conn: &mut DbConnection,
    person: &PersonId,
    flags: &[Flag],
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    let json = serde_json::to_string(flags)
        .map_err(|e| StoreError::Corrupt(format!("samenloop state: {e}")))?;
    let updated = diesel::update(samenloop_states::table.find(person.as_str()))
        .set((
            samenloop_states::flags.eq(&json),
            samenloop_states::evaluated_at.eq(now),
        ))
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(samenloop_states::table)
            .values((
                samenloop_states::person.eq(person.as_str()),
                samenloop_states::flags.eq(&json),
                samenloop_states::evaluated_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}
