//! Mandates of citizens to counsellor organisations.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::mandates;
use super::{DbConnection, StoreError};
use crate::domain::mandate::Mandate;
use crate::domain::person::PersonId;

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = mandates)]
struct MandateRow {
    id: String,
    person: String,
    counsellor: String,
    valid_from: NaiveDate,
    valid_until: NaiveDate,
    granted_at: NaiveDateTime,
    revoked_at: Option<NaiveDateTime>,
    counsellor_reference: Option<String>,
}

impl From<MandateRow> for Mandate {
    fn from(row: MandateRow) -> Mandate {
        Mandate {
            id: row.id,
            person: PersonId::from_stored(row.person),
            counsellor: row.counsellor,
            valid_from: row.valid_from,
            valid_until: row.valid_until,
            granted_at: row.granted_at,
            revoked_at: row.revoked_at,
            counsellor_reference: row.counsellor_reference,
        }
    }
}

/// The advisory lock class of grants (any constant; "mg" in ASCII).
const GRANT_LOCK: i32 = 0x6d67;

/// Holds the person's mandates until the transaction ends; taken before they are read, so that
/// two grants at once (a double click) are decided one after the other and the second sees the
/// first.
pub fn hold_of_person(conn: &mut DbConnection, person: &PersonId) -> Result<(), StoreError> {
    super::hold(conn, GRANT_LOCK, person.as_str())
}

pub fn insert(conn: &mut DbConnection, mandate: &Mandate) -> Result<(), StoreError> {
    diesel::insert_into(mandates::table)
        .values(MandateRow {
            id: mandate.id.clone(),
            person: mandate.person.as_str().to_owned(),
            counsellor: mandate.counsellor.clone(),
            valid_from: mandate.valid_from,
            valid_until: mandate.valid_until,
            granted_at: mandate.granted_at,
            revoked_at: mandate.revoked_at,
            counsellor_reference: mandate.counsellor_reference.clone(),
        })
        .execute(conn)?;
    Ok(())
}

/// A person's mandates, most recently granted first.
pub fn of_person(conn: &mut DbConnection, person: &PersonId) -> Result<Vec<Mandate>, StoreError> {
    let rows = mandates::table
        .filter(mandates::person.eq(person.as_str()))
        .order((mandates::granted_at.desc(), mandates::id.desc()))
        .select(MandateRow::as_select())
        .load(conn)?;
    Ok(rows.into_iter().map(Mandate::from).collect())
}

/// The mandates a person gave this counsellor organisation.
pub fn of_person_for(
    conn: &mut DbConnection,
    person: &PersonId,
    counsellor: &str,
) -> Result<Vec<Mandate>, StoreError> {
    let rows = mandates::table
        .filter(mandates::counsellor.eq(counsellor))
        .filter(mandates::person.eq(person.as_str()))
        .select(MandateRow::as_select())
        .load(conn)?;
    Ok(rows.into_iter().map(Mandate::from).collect())
}

/// Revokes the mandate, which the change read as not revoked: if another transaction revoked it
/// meanwhile, the change runs again and decides on the revoked mandate (one revocation, one
/// entry in the access log).
pub fn revoke(conn: &mut DbConnection, id: &str, now: NaiveDateTime) -> Result<(), StoreError> {
    let revoked = diesel::update(
        mandates::table
            .find(id)
            .filter(mandates::revoked_at.is_null()),
    )
    .set(mandates::revoked_at.eq(Some(now)))
    .execute(conn)?;
    if revoked != 1 {
        return Err(StoreError::Concurrent);
    }
    Ok(())
}

pub fn find(conn: &mut DbConnection, id: &str) -> Result<Option<Mandate>, StoreError> {
    let row = mandates::table
        .find(id)
        .select(MandateRow::as_select())
        .first(conn)
        .optional()?;
    Ok(row.map(Mandate::from))
}

/// The mandates of these ids that exist, in no particular order.
pub fn find_many(conn: &mut DbConnection, ids: &[&str]) -> Result<Vec<Mandate>, StoreError> {
    let mut found = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(super::IDS_PER_STATEMENT) {
        let rows = mandates::table
            .filter(mandates::id.eq_any(chunk))
            .select(MandateRow::as_select())
            .load(conn)?;
        found.extend(rows.into_iter().map(Mandate::from));
    }
    Ok(found)
}

/// The counsellor organisation's mandates that have not ended by `today` and are not revoked.
pub fn current_of_counsellor(
    conn: &mut DbConnection,
    counsellor: &str,
    today: NaiveDate,
) -> Result<Vec<Mandate>, StoreError> {
    let rows = mandates::table
        .filter(mandates::counsellor.eq(counsellor))
        .filter(mandates::revoked_at.is_null())
        .filter(mandates::valid_until.ge(today))
        .select(MandateRow::as_select())
        .load(conn)?;
    Ok(rows.into_iter().map(Mandate::from).collect())
}

pub fn set_reference(conn: &mut DbConnection, id: &str, reference: &str) -> Result<(), StoreError> {
    diesel::update(mandates::table.find(id))
        .set(mandates::counsellor_reference.eq(Some(reference)))
        .execute(conn)?;
    Ok(())
}
