//! The audit trail of administrators' changes to reference data.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::audit_trail;
use super::{DbConnection, StoreError};
use crate::domain::access::{Actor, Role};
use crate::domain::audit::{AuditEntry, FieldChange, RecordedChange, Register};

#[derive(Insertable)]
#[diesel(table_name = audit_trail, treat_none_as_default_value = false)]
struct NewRow<'a> {
    changed_at: NaiveDateTime,
    actor_role: &'static str,
    actor_subject: Option<&'a str>,
    register: &'static str,
    entry_key: &'a str,
    changes: String,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = audit_trail)]
struct Row {
    id: i64,
    changed_at: NaiveDateTime,
    actor_role: String,
    actor_subject: Option<String>,
    register: String,
    entry_key: String,
    changes: String,
}

pub fn record(
    conn: &mut DbConnection,
    entries: &[AuditEntry],
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    if entries.is_empty() {
        return Ok(());
    }
    let rows = entries
        .iter()
        .map(|e| {
            Ok(NewRow {
                changed_at: now,
                actor_role: e.actor.role.code(),
                actor_subject: e.actor.organisation.as_deref(),
                register: e.register.code(),
                entry_key: &e.key,
                changes: serde_json::to_string(&e.changes)
                    .map_err(|e| StoreError::Corrupt(e.to_string()))?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    insert_rows!(conn, audit_trail::table, &rows)?;
    Ok(())
}

/// A page of the trail, newest first, continuing below entry id `before`.
pub fn page(
    conn: &mut DbConnection,
    before: Option<i64>,
    limit: i64,
) -> Result<Vec<RecordedChange>, StoreError> {
    let mut query = audit_trail::table
        .order(audit_trail::id.desc())
        .limit(limit)
        .select(Row::as_select())
        .into_boxed();
    if let Some(before) = before {
        query = query.filter(audit_trail::id.lt(before));
    }
    query.load(conn)?.into_iter().map(recorded).collect()
}

fn recorded(row: Row) -> Result<RecordedChange, StoreError> {
    let corrupt = |what: &str| StoreError::Corrupt(format!("audit trail {}: {what}", row.id));
    let role = Role::from_code(&row.actor_role).ok_or_else(|| corrupt("unknown role"))?;
    let register = Register::from_code(&row.register).ok_or_else(|| corrupt("unknown register"))?;
    let changes: Vec<FieldChange> =
        serde_json::from_str(&row.changes).map_err(|_| corrupt("unreadable changes"))?;
    Ok(RecordedChange {
        id: row.id,
        at: row.changed_at,
        entry: AuditEntry {
            actor: Actor {
                role,
                organisation: row.actor_subject,
            },
            register,
            key: row.entry_key,
            changes,
        },
    })
}
