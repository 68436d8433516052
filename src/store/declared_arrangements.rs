//! Arrangements a citizen has with other parties, as they declared them.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Deserialize;

use super::schema::declared_arrangements;
use super::{DbConnection, StoreError};
use crate::domain::access::{Actor, Role};
use crate::domain::attachment::DeclaredArrangement;
use crate::domain::money::Money;
use crate::domain::person::PersonId;

#[derive(Queryable, Selectable, Insertable, Deserialize)]
#[diesel(table_name = declared_arrangements, treat_none_as_default_value = false)]
pub(super) struct Row {
    id: String,
    person: String,
    party_name: String,
    monthly_amount_cents: i64,
    starts_on: NaiveDate,
    ends_on: Option<NaiveDate>,
    declared_by_role: String,
    declared_by_organisation: Option<String>,
    #[serde(deserialize_with = "super::json_rows::moment")]
    created_at: NaiveDateTime,
    #[serde(deserialize_with = "super::json_rows::moment")]
    updated_at: NaiveDateTime,
}

pub fn insert(
    conn: &mut DbConnection,
    a: &DeclaredArrangement,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    diesel::insert_into(declared_arrangements::table)
        .values(Row {
            id: a.id.clone(),
            person: a.person.as_str().to_owned(),
            party_name: a.party.clone(),
            monthly_amount_cents: a.monthly_amount.cents(),
            starts_on: a.start,
            ends_on: a.end,
            declared_by_role: a.declared_by.role.code().to_owned(),
            declared_by_organisation: a.declared_by.organisation.clone(),
            created_at: now,
            updated_at: now,
        })
        .execute(conn)?;
    Ok(())
}

/// The advisory lock class of changes to a declared arrangement (any constant; "da" in ASCII).
const CHANGE_LOCK: i32 = 0x6461;

/// Holds the declared arrangement until the transaction ends; taken before it is read for a
/// change, so that two changes at once (the citizen's and their counsellor's) are made one
/// after the other and the second keeps the first's.
pub fn hold(conn: &mut DbConnection, id: &str) -> Result<(), StoreError> {
    super::hold(conn, CHANGE_LOCK, id)
}

pub fn update(
    conn: &mut DbConnection,
    a: &DeclaredArrangement,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    diesel::update(declared_arrangements::table.find(&a.id))
        .set((
            declared_arrangements::party_name.eq(&a.party),
            declared_arrangements::monthly_amount_cents.eq(a.monthly_amount.cents()),
            declared_arrangements::starts_on.eq(a.start),
            declared_arrangements::ends_on.eq(a.end),
            declared_arrangements::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

pub(super) fn from_row(row: Row) -> Result<DeclaredArrangement, StoreError> {
    Ok(DeclaredArrangement {
        id: row.id,
        person: PersonId::from_stored(row.person),
        party: row.party_name,
        monthly_amount: Money::from_cents(row.monthly_amount_cents),
        start: row.starts_on,
        end: row.ends_on,
        declared_by: Actor {
            role: Role::from_code(&row.declared_by_role).ok_or_else(|| {
                StoreError::Corrupt("declared arrangement with unknown role".into())
            })?,
            organisation: row.declared_by_organisation,
        },
    })
}

pub fn find(conn: &mut DbConnection, id: &str) -> Result<Option<DeclaredArrangement>, StoreError> {
    let row = declared_arrangements::table
        .find(id)
        .select(Row::as_select())
        .first(conn)
        .optional()?;
    row.map(from_row).transpose()
}
