//! The access log: who read or changed a person's data.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::access_log;
use super::{DbConnection, StoreError};
use crate::domain::access::{AccessLogEntry, Action, Actor, Role};
use crate::domain::decision::AccessRecord;
use crate::domain::person::PersonId;

const INSERT_CHUNK: usize = 1000;

#[derive(Insertable)]
#[diesel(table_name = access_log, treat_none_as_default_value = false)]
struct NewRow<'a> {
    person: &'a str,
    occurred_at: NaiveDateTime,
    actor_role: &'static str,
    actor_organisation: Option<&'a str>,
    action: &'static str,
    subject_id: Option<&'a str>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = access_log)]
struct Row {
    id: i64,
    occurred_at: NaiveDateTime,
    actor_role: String,
    actor_organisation: Option<String>,
    action: String,
    subject_id: Option<String>,
}

pub fn record(
    conn: &mut DbConnection,
    entries: &[AccessRecord],
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    let rows: Vec<NewRow<'_>> = entries
        .iter()
        .map(|e| NewRow {
            person: e.person.as_str(),
            occurred_at: now,
            actor_role: e.actor.role.code(),
            actor_organisation: e.actor.organisation.as_deref(),
            action: e.action.code(),
            subject_id: e.subject_id.as_deref(),
        })
        .collect();
    bulk_insert!(conn, access_log::table, &rows, INSERT_CHUNK);
    Ok(())
}

/// A page of a person's log, newest first, continuing below entry id `before`.
pub fn page_of_person(
    conn: &mut DbConnection,
    person: &PersonId,
    before: Option<i64>,
    limit: i64,
) -> Result<Vec<AccessLogEntry>, StoreError> {
    let mut query = access_log::table
        .filter(access_log::person.eq(person.as_str()))
        .order(access_log::id.desc())
        .limit(limit)
        .select(Row::as_select())
        .into_boxed();
    if let Some(before) = before {
        query = query.filter(access_log::id.lt(before));
    }
    query
        .load(conn)?
        .into_iter()
        .map(|row| {
            let role = Role::from_code(&row.actor_role)
                .ok_or_else(|| StoreError::Corrupt(format!("unknown role '{}'", row.actor_role)))?;
            let action = Action::from_code(&row.action)
                .ok_or_else(|| StoreError::Corrupt(format!("unknown action '{}'", row.action)))?;
            Ok(AccessLogEntry {
                id: row.id,
                occurred_at: row.occurred_at,
                actor: Actor {
                    role,
                    organisation: row.actor_organisation,
                },
                action,
                subject_id: row.subject_id,
            })
        })
        .collect()
}
