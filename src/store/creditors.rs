//! The creditor registry.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::creditors;
use super::{DbConnection, StoreError};
use crate::domain::creditor::{Contact, Creditor};

#[derive(Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = creditors)]
#[diesel(treat_none_as_null = true)]
struct CreditorRow {
    code: String,
    name: String,
    claim_type_prefix: String,
    brr_from: Option<NaiveDate>,
    connected_from: Option<NaiveDate>,
    contact_website: Option<String>,
    contact_phone: Option<String>,
    updated_at: NaiveDateTime,
    preference_rank: Option<i32>,
}

impl CreditorRow {
    fn new(creditor: &Creditor, now: NaiveDateTime) -> CreditorRow {
        CreditorRow {
            code: creditor.code.clone(),
            name: creditor.name.clone(),
            claim_type_prefix: creditor.claim_type_prefix.clone(),
            brr_from: creditor.brr_from,
            connected_from: creditor.connected_from,
            contact_website: creditor.contact.website.clone(),
            contact_phone: creditor.contact.phone.clone(),
            updated_at: now,
            preference_rank: creditor
                .preference_rank
                .map(|r| i32::try_from(r).expect("a rank is at most MAX_PREFERENCE_RANK")),
        }
    }
}

impl From<CreditorRow> for Creditor {
    fn from(row: CreditorRow) -> Creditor {
        Creditor {
            code: row.code,
            name: row.name,
            claim_type_prefix: row.claim_type_prefix,
            brr_from: row.brr_from,
            connected_from: row.connected_from,
            contact: Contact {
                website: row.contact_website,
                phone: row.contact_phone,
            },
            preference_rank: row.preference_rank.and_then(|r| u32::try_from(r).ok()),
        }
    }
}

pub fn all(conn: &mut DbConnection) -> Result<Vec<Creditor>, StoreError> {
    let rows = creditors::table
        .order(creditors::code)
        .select(CreditorRow::as_select())
        .load(conn)?;
    Ok(rows.into_iter().map(Creditor::from).collect())
}

/// The creditor's claim-type prefix as stored now, if it is registered.
pub fn claim_type_prefix(
    conn: &mut DbConnection,
    code: &str,
) -> Result<Option<String>, StoreError> {
    Ok(creditors::table
        .find(code)
        .select(creditors::claim_type_prefix)
        .first(conn)
        .optional()?)
}

pub fn insert(
    conn: &mut DbConnection,
    creditor: &Creditor,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    diesel::insert_into(creditors::table)
        .values(CreditorRow::new(creditor, now))
        .execute(conn)?;
    Ok(())
}

pub fn update(
    conn: &mut DbConnection,
    creditor: &Creditor,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    diesel::update(creditors::table.find(&creditor.code))
        .set(CreditorRow::new(creditor, now))
        .execute(conn)?;
    Ok(())
}
