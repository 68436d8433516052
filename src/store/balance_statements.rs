//! Saldo-opgaven, kept as they were given.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::balance_statements;
use super::{DbConnection, StoreError};
use crate::domain::access::{Actor, Role};
use crate::domain::person::PersonId;
use crate::domain::saldo_opgave::StoredStatement;

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = balance_statements, treat_none_as_default_value = false)]
struct Row {
    id: String,
    person: String,
    reference_date: NaiveDate,
    made_by_role: String,
    made_by_organisation: Option<String>,
    made_at: NaiveDateTime,
    content: String,
}

pub fn insert(conn: &mut DbConnection, stored: &StoredStatement) -> Result<(), StoreError> {
    let content = serde_json::to_string(&stored.statement)
        .map_err(|e| StoreError::Corrupt(format!("saldo-opgave: {e}")))?;
    diesel::insert_into(balance_statements::table)
        .values(Row {
            id: stored.statement.id.clone(),
            person: stored.person.as_str().to_owned(),
            reference_date: stored.statement.peildatum,
            made_by_role: stored.made_by.role.code().to_owned(),
            made_by_organisation: stored.made_by.organisation.clone(),
            made_at: stored.made_at,
            content,
        })
        .execute(conn)?;
    Ok(())
}

pub fn find(conn: &mut DbConnection, id: &str) -> Result<Option<StoredStatement>, StoreError> {
    let row: Option<Row> = balance_statements::table
        .find(id)
        .select(Row::as_select())
        .first(conn)
        .optional()?;
    row.map(convert).transpose()
}

/// The person's saldo-opgaven, newest first (ids are time-ordered, so two made at the same
/// moment keep the order they were made in).
pub fn of_person(
    conn: &mut DbConnection,
    person: &PersonId,
) -> Result<Vec<StoredStatement>, StoreError> {
    let rows: Vec<Row> = balance_statements::table
        .filter(balance_statements::person.eq(person.as_str()))
        .order((
            balance_statements::made_at.desc(),
            balance_statements::id.desc(),
        ))
        .select(Row::as_select())
        .load(conn)?;
    rows.into_iter().map(convert).collect()
}

fn convert(row: Row) -> Result<StoredStatement, StoreError> {
    let role = Role::from_code(&row.made_by_role)
        .ok_or_else(|| StoreError::Corrupt(format!("unknown role '{}'", row.made_by_role)))?;
    let statement = serde_json::from_str(&row.content)
        .map_err(|e| StoreError::Corrupt(format!("saldo-opgave {}: {e}", row.id)))?;
    Ok(StoredStatement {
        person: PersonId::from_stored(row.person),
        made_by: Actor {
            role,
            organisation: row.made_by_organisation,
        },
        made_at: row.made_at,
        statement,
    })
}
