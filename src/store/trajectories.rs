//! Debt-help trajectories and the creditors told of them.

use std::collections::{BTreeSet, HashMap};

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Deserialize;

use super::schema::{debt_help_trajectories, debt_help_trajectory_creditors};
use super::{DbConnection, StoreError};
use crate::domain::person::PersonId;
use crate::domain::schuldhulptraject::{Trajectory, TrajectoryPhase};

#[derive(Queryable, Selectable, Insertable, Deserialize)]
#[diesel(table_name = debt_help_trajectories, treat_none_as_default_value = false)]
pub(super) struct Row {
    id: String,
    person: String,
    counsellor: String,
    mandate_id: String,
    mandate_valid_until: NaiveDate,
    #[serde(deserialize_with = "super::json_rows::flag")]
    mandate_end_told: bool,
    phase: String,
    starts_on: NaiveDate,
    ends_on: Option<NaiveDate>,
    #[serde(deserialize_with = "super::json_rows::moment")]
    registered_at: NaiveDateTime,
    #[serde(deserialize_with = "super::json_rows::moment")]
    changed_at: NaiveDateTime,
    #[serde(deserialize_with = "super::json_rows::optional_moment")]
    ended_at: Option<NaiveDateTime>,
    version: i64,
    ruling_date: Option<NaiveDate>,
}

fn to_row(t: &Trajectory) -> Row {
    Row {
        id: t.id.clone(),
        person: t.person.as_str().to_owned(),
        counsellor: t.counsellor.clone(),
        mandate_id: t.mandate_id.clone(),
        mandate_valid_until: t.mandate_valid_until,
        mandate_end_told: t.mandate_end_told,
        phase: t.phase.code().to_owned(),
        starts_on: t.start,
        ends_on: t.end,
        registered_at: t.registered_at,
        changed_at: t.changed_at,
        ended_at: t.ended_at,
        version: t.version,
        ruling_date: t.ruling,
    }
}

/// The trajectories of these rows, each with the creditors told of it, in one more query.
fn with_creditors(conn: &mut DbConnection, rows: Vec<Row>) -> Result<Vec<Trajectory>, StoreError> {
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    let mut informed: HashMap<String, BTreeSet<String>> = HashMap::new();
    for chunk in ids.chunks(super::IDS_PER_STATEMENT) {
        let pairs: Vec<(String, String)> = debt_help_trajectory_creditors::table
            .filter(debt_help_trajectory_creditors::trajectory_id.eq_any(chunk))
            .select((
                debt_help_trajectory_creditors::trajectory_id,
                debt_help_trajectory_creditors::creditor_code,
            ))
            .load(conn)?;
        for (trajectory, creditor) in pairs {
            informed.entry(trajectory).or_default().insert(creditor);
        }
    }
    rows.into_iter()
        .map(|row| {
            let told = informed.remove(&row.id).unwrap_or_default();
            from_row(row, told)
        })
        .collect()
}

/// A trajectory from its row and the creditors told of it.
pub(super) fn from_row(row: Row, informed: BTreeSet<String>) -> Result<Trajectory, StoreError> {
    let phase = TrajectoryPhase::from_code(&row.phase)
        .ok_or_else(|| StoreError::Corrupt(format!("unknown trajectory phase '{}'", row.phase)))?;
    Ok(Trajectory {
        informed,
        id: row.id,
        person: PersonId::from_stored(row.person),
        counsellor: row.counsellor,
        mandate_id: row.mandate_id,
        mandate_valid_until: row.mandate_valid_until,
        mandate_end_told: row.mandate_end_told,
        phase,
        ruling: row.ruling_date,
        start: row.starts_on,
        end: row.ends_on,
        registered_at: row.registered_at,
        changed_at: row.changed_at,
        ended_at: row.ended_at,
        version: row.version,
    })
}

pub fn insert(conn: &mut DbConnection, trajectory: &Trajectory) -> Result<(), StoreError> {
    diesel::insert_into(debt_help_trajectories::table)
        .values(to_row(trajectory))
        .execute(conn)?;
    Ok(())
}

/// Writes a changed trajectory, provided nobody else changed it since it was read.
pub fn update(conn: &mut DbConnection, trajectory: &Trajectory) -> Result<(), StoreError> {
    let row = Row {
        version: trajectory.version + 1,
        ..to_row(trajectory)
    };
    let updated = diesel::update(
        debt_help_trajectories::table
            .filter(debt_help_trajectories::id.eq(&trajectory.id))
            .filter(debt_help_trajectories::version.eq(trajectory.version)),
    )
    .set((
        debt_help_trajectories::mandate_id.eq(row.mandate_id),
        debt_help_trajectories::mandate_valid_until.eq(row.mandate_valid_until),
        debt_help_trajectories::mandate_end_told.eq(row.mandate_end_told),
        debt_help_trajectories::phase.eq(row.phase),
        debt_help_trajectories::ruling_date.eq(row.ruling_date),
        debt_help_trajectories::ends_on.eq(row.ends_on),
        debt_help_trajectories::changed_at.eq(row.changed_at),
        debt_help_trajectories::ended_at.eq(row.ended_at),
        debt_help_trajectories::version.eq(row.version),
    ))
    .execute(conn)?;
    if updated == 1 {
        Ok(())
    } else {
        Err(StoreError::Concurrent)
    }
}

/// Records creditors told of a trajectory.
pub fn inform(
    conn: &mut DbConnection,
    trajectory_id: &str,
    creditors: &[String],
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    let rows: Vec<_> = creditors
        .iter()
        .map(|code| {
            (
                debt_help_trajectory_creditors::trajectory_id.eq(trajectory_id),
                debt_help_trajectory_creditors::creditor_code.eq(code),
                debt_help_trajectory_creditors::informed_at.eq(now),
            )
        })
        .collect();
    insert_rows!(conn, debt_help_trajectory_creditors::table, &rows)?;
    Ok(())
}

pub fn find(conn: &mut DbConnection, id: &str) -> Result<Option<Trajectory>, StoreError> {
    let rows = debt_help_trajectories::table
        .filter(debt_help_trajectories::id.eq(id))
        .select(Row::as_select())
        .load(conn)?;
    Ok(with_creditors(conn, rows)?.pop())
}

/// The person's running trajectory, if any (there is at most one).
pub fn running_of(
    conn: &mut DbConnection,
    person: &PersonId,
) -> Result<Option<Trajectory>, StoreError> {
    let rows = debt_help_trajectories::table
        .filter(debt_help_trajectories::person.eq(person.as_str()))
        .filter(debt_help_trajectories::ended_at.is_null())
        .select(Row::as_select())
        .load(conn)?;
    Ok(with_creditors(conn, rows)?.pop())
}

/// The latest day a wettelijke schuldsanering of the person was declared, as recorded with any of
/// their trajectories, running or ended.
pub fn latest_ruling(
    conn: &mut DbConnection,
    person: &PersonId,
) -> Result<Option<NaiveDate>, StoreError> {
    Ok(debt_help_trajectories::table
        .filter(debt_help_trajectories::person.eq(person.as_str()))
        .select(diesel::dsl::max(debt_help_trajectories::ruling_date))
        .first(conn)?)
}

/// The trajectories of these persons that run (`running`) or that ended.
fn of_persons(
    conn: &mut DbConnection,
    persons: &[&str],
    running: bool,
) -> Result<Vec<Trajectory>, StoreError> {
    let mut rows = Vec::new();
    for chunk in persons.chunks(super::IDS_PER_STATEMENT) {
        rows.extend(
            debt_help_trajectories::table
                .filter(debt_help_trajectories::person.eq_any(chunk))
                .filter(debt_help_trajectories::ended_at.is_null().eq(running))
                .select(Row::as_select())
                .load(conn)?,
        );
    }
    with_creditors(conn, rows)
}

/// The running trajectories of these persons, by person.
pub fn running_of_persons(
    conn: &mut DbConnection,
    persons: &[&str],
) -> Result<HashMap<PersonId, Trajectory>, StoreError> {
    Ok(of_persons(conn, persons, true)?
        .into_iter()
        .map(|t| (t.person.clone(), t))
        .collect())
}

/// The ended trajectories of these persons, by person.
pub fn ended_of_persons(
    conn: &mut DbConnection,
    persons: &[&str],
) -> Result<HashMap<PersonId, Vec<Trajectory>>, StoreError> {
    let mut ended: HashMap<PersonId, Vec<Trajectory>> = HashMap::new();
    for trajectory in of_persons(conn, persons, false)? {
        ended
            .entry(trajectory.person.clone())
            .or_default()
            .push(trajectory);
    }
    Ok(ended)
}

/// The person's trajectories, running and ended, newest first.
pub fn of_person(
    conn: &mut DbConnection,
    person: &PersonId,
) -> Result<Vec<Trajectory>, StoreError> {
    let rows = debt_help_trajectories::table
        .filter(debt_help_trajectories::person.eq(person.as_str()))
        .order(debt_help_trajectories::registered_at.desc())
        .select(Row::as_select())
        .load(conn)?;
    with_creditors(conn, rows)
}

/// The trajectories a counsellor organisation registered, newest first.
pub fn of_counsellor(
    conn: &mut DbConnection,
    counsellor: &str,
) -> Result<Vec<Trajectory>, StoreError> {
    let rows = debt_help_trajectories::table
        .filter(debt_help_trajectories::counsellor.eq(counsellor))
        .order(debt_help_trajectories::registered_at.desc())
        .select(Row::as_select())
        .load(conn)?;
    with_creditors(conn, rows)
}

/// Running trajectories whose recorded mandate ended before `today` and whose counsellor was
/// not yet told, at most `limit`.
pub fn mandate_lapsed(
    conn: &mut DbConnection,
    today: NaiveDate,
    limit: i64,
) -> Result<Vec<Trajectory>, StoreError> {
    let rows = debt_help_trajectories::table
        .filter(debt_help_trajectories::mandate_valid_until.lt(today))
        .filter(debt_help_trajectories::ended_at.is_null())
        .filter(debt_help_trajectories::mandate_end_told.eq(false))
        .order(debt_help_trajectories::mandate_valid_until)
        .limit(limit)
        .select(Row::as_select())
        .load(conn)?;
    with_creditors(conn, rows)
}
