//! The registry of counsellor organisations.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::counsellor_organisations;
use super::{DbConnection, StoreError};
use crate::domain::counsellor::CounsellorOrganisation;
use crate::domain::creditor::Contact;

#[derive(Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = counsellor_organisations)]
#[diesel(treat_none_as_null = true)]
struct Row {
    id: String,
    name: String,
    contact_website: Option<String>,
    contact_phone: Option<String>,
    updated_at: NaiveDateTime,
}

impl Row {
    fn new(organisation: &CounsellorOrganisation, now: NaiveDateTime) -> Row {
        Row {
            id: organisation.id.clone(),
            name: organisation.name.clone(),
            contact_website: organisation.contact.website.clone(),
            contact_phone: organisation.contact.phone.clone(),
            updated_at: now,
        }
    }
}

pub fn all(conn: &mut DbConnection) -> Result<Vec<CounsellorOrganisation>, StoreError> {
    let rows: Vec<Row> = counsellor_organisations::table
        .order(counsellor_organisations::id)
        .select(Row::as_select())
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|row| CounsellorOrganisation {
            id: row.id,
            name: row.name,
            contact: Contact {
                website: row.contact_website,
                phone: row.contact_phone,
            },
        })
        .collect())
}

pub fn insert(
    conn: &mut DbConnection,
    organisation: &CounsellorOrganisation,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    diesel::insert_into(counsellor_organisations::table)
        .values(Row::new(organisation, now))
        .execute(conn)?;
    Ok(())
}

pub fn update(
    conn: &mut DbConnection,
    organisation: &CounsellorOrganisation,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    diesel::update(counsellor_organisations::table.find(&organisation.id))
        .set(Row::new(organisation, now))
        .execute(conn)?;
    Ok(())
}
