//! Arrangements: what each was planned with, which claims it holds, and whether it runs.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Deserialize;

use super::key_probe::KeyProbe;
use super::schema::{arranged_claims, arrangement_claims, arrangements};
use super::{DbConnection, StoreError};
use crate::domain::access::{Actor, Role};
use crate::domain::arrangement::{ArrangedIn, Arrangement, ArrangementClaim, Ending};
use crate::domain::money::Money;
use crate::domain::person::PersonId;
use crate::domain::planner::{EligibleClaim, Policy, SplitStrategy};

#[derive(Queryable, Selectable, Insertable, Deserialize)]
#[diesel(table_name = arrangements, treat_none_as_default_value = false)]
pub(super) struct ArrangementRow {
    id: String,
    person: String,
    proposal_id: String,
    coordinator: String,
    capacity_cents: i64,
    instalment_cents: i64,
    max_term_months: i32,
    min_instalment_cents: i64,
    split_strategy: String,
    first_due: NaiveDate,
    started_on: NaiveDate,
    #[serde(deserialize_with = "super::json_rows::moment")]
    started_at: NaiveDateTime,
    #[serde(deserialize_with = "super::json_rows::optional_moment")]
    ended_at: Option<NaiveDateTime>,
    end_reason: Option<String>,
    ended_by_role: Option<String>,
    ended_by_organisation: Option<String>,
}

#[derive(Queryable, Selectable, Insertable, Deserialize)]
#[diesel(table_name = arrangement_claims, treat_none_as_default_value = false)]
pub(super) struct ClaimRow {
    arrangement_id: String,
    claim_id: String,
    creditor_code: String,
    claim_key: String,
    outstanding_cents: i64,
    due_date: NaiveDate,
    creditor_rank: Option<i32>,
}

pub fn insert(conn: &mut DbConnection, arrangement: &Arrangement) -> Result<(), StoreError> {
    let a = arrangement;
    diesel::insert_into(arrangements::table)
        .values(ArrangementRow {
            id: a.id.clone(),
            person: a.person.as_str().to_owned(),
            proposal_id: a.proposal_id.clone(),
            coordinator: a.coordinator.clone(),
            capacity_cents: a.capacity.cents(),
            instalment_cents: a.instalment.cents(),
            max_term_months: i32::try_from(a.policy.max_term_months).unwrap_or(i32::MAX),
            min_instalment_cents: a.policy.min_instalment.cents(),
            split_strategy: a.policy.split.code().to_owned(),
            first_due: a.first_due,
            started_on: a.started_on,
            started_at: a.started_at,
            ended_at: None,
            end_reason: None,
            ended_by_role: None,
            ended_by_organisation: None,
        })
        .execute(conn)?;
    let claims: Vec<ClaimRow> = a
        .claims
        .iter()
        .map(|c| ClaimRow {
            arrangement_id: a.id.clone(),
            claim_id: c.claim.claim_id.clone(),
            creditor_code: c.claim.creditor.clone(),
            claim_key: c.claim.claim_key.clone(),
            outstanding_cents: c.claim.outstanding.cents(),
            due_date: c.claim.due_date,
            creditor_rank: c.creditor_rank.and_then(|r| i32::try_from(r).ok()),
        })
        .collect();
    let locks: Vec<(String, String)> = a
        .claims
        .iter()
        .map(|c| (c.claim.claim_id.clone(), a.id.clone()))
        .collect();
    for chunk in claims.chunks(super::IDS_PER_STATEMENT) {
        insert_rows!(conn, arrangement_claims::table, chunk)?;
    }
    // A claim already in a running arrangement makes this a unique violation: the caller's
    // retry then sees the claim as arranged.
    for chunk in locks.chunks(super::IDS_PER_STATEMENT) {
        let rows: Vec<_> = chunk
            .iter()
            .map(|(claim, arrangement)| {
                (
                    arranged_claims::claim_id.eq(claim),
                    arranged_claims::arrangement_id.eq(arrangement),
                )
            })
            .collect();
        insert_rows!(conn, arranged_claims::table, &rows)?;
    }
    Ok(())
}

fn corrupt(what: &str) -> StoreError {
    StoreError::Corrupt(format!("arrangement with unknown {what}"))
}

pub(super) fn assemble(
    rows: Vec<ArrangementRow>,
    claims: Vec<ClaimRow>,
) -> Result<Vec<Arrangement>, StoreError> {
    let mut by_arrangement: HashMap<String, Vec<ArrangementClaim>> = HashMap::new();
    for c in claims {
        by_arrangement
            .entry(c.arrangement_id)
            .or_default()
            .push(ArrangementClaim {
                claim: EligibleClaim {
                    claim_id: c.claim_id,
                    claim_key: c.claim_key,
                    creditor: c.creditor_code,
                    outstanding: Money::from_cents(c.outstanding_cents),
                    due_date: c.due_date,
                },
                creditor_rank: c.creditor_rank.and_then(|r| u32::try_from(r).ok()),
            });
    }
    rows.into_iter()
        .map(|row| {
            let split = SplitStrategy::from_code(&row.split_strategy)
                .ok_or_else(|| corrupt("split strategy"))?;
            let ending = match (row.ended_at, row.ended_by_role) {
                (Some(at), Some(role)) => Some(Ending {
                    at,
                    reason: row.end_reason.unwrap_or_default(),
                    by: Actor {
                        role: Role::from_code(&role).ok_or_else(|| corrupt("role"))?,
                        organisation: row.ended_by_organisation,
                    },
                }),
                _ => None,
            };
            Ok(Arrangement {
                claims: by_arrangement.remove(&row.id).unwrap_or_default(),
                id: row.id,
                person: PersonId::from_stored(row.person),
                proposal_id: row.proposal_id,
                coordinator: row.coordinator,
                capacity: Money::from_cents(row.capacity_cents),
                instalment: Money::from_cents(row.instalment_cents),
                policy: Policy {
                    max_term_months: u32::try_from(row.max_term_months).unwrap_or(0),
                    min_instalment: Money::from_cents(row.min_instalment_cents),
                    split,
                },
                first_due: row.first_due,
                started_on: row.started_on,
                started_at: row.started_at,
                ending,
            })
        })
        .collect()
}

fn with_claims(
    conn: &mut DbConnection,
    rows: Vec<ArrangementRow>,
) -> Result<Vec<Arrangement>, StoreError> {
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    let mut claims = Vec::new();
    for chunk in ids.chunks(super::IDS_PER_STATEMENT) {
        claims.extend(
            arrangement_claims::table
                .filter(arrangement_claims::arrangement_id.eq_any(chunk))
                .order((
                    arrangement_claims::arrangement_id,
                    arrangement_claims::claim_id,
                ))
                .select(ClaimRow::as_select())
                .load(conn)?,
        );
    }
    assemble(rows, claims)
}

pub fn find(conn: &mut DbConnection, id: &str) -> Result<Option<Arrangement>, StoreError> {
    let rows = arrangements::table
        .filter(arrangements::id.eq(id))
        .select(ArrangementRow::as_select())
        .load(conn)?;
    Ok(with_claims(conn, rows)?.pop())
}

/// A person's arrangements, the most recently started first.
pub fn of_person(
    conn: &mut DbConnection,
    person: &PersonId,
) -> Result<Vec<Arrangement>, StoreError> {
    let rows = arrangements::table
        .filter(arrangements::person.eq(person.as_str()))
        .order((arrangements::started_at.desc(), arrangements::id.desc()))
        .select(ArrangementRow::as_select())
        .load(conn)?;
    with_claims(conn, rows)
}

/// Of these claims, the ones in a running arrangement, with that arrangement and its coordinator.
pub fn arranged(
    conn: &mut DbConnection,
    claim_ids: &[&str],
) -> Result<HashMap<String, ArrangedIn>, StoreError> {
    if claim_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<ArrangedRow> = if let DbConnection::Postgres(c) = conn {
        // One probe of the primary keys per id, a plan that does not depend on statistics (see
        // `claims::find_by_keys`).
        KeyProbe {
            sql: "SELECT a.claim_id, a.arrangement_id, a.coordinator, a.started_at FROM \
                  unnest({keys}::text[]) AS k(claim_id) CROSS JOIN LATERAL (SELECT ac.claim_id, \
                  ac.arrangement_id, r.coordinator, r.started_at FROM arranged_claims ac \
                  JOIN arrangements r ON r.id = ac.arrangement_id \
                  WHERE ac.claim_id = k.claim_id LIMIT 1) a",
            keys: claim_ids,
            creditor: None,
        }
        .load(c)?
    } else {
        let mut rows = Vec::new();
        for chunk in claim_ids.chunks(super::IDS_PER_STATEMENT) {
            rows.extend(
                arranged_claims::table
                    .inner_join(arrangements::table)
                    .filter(arranged_claims::claim_id.eq_any(chunk))
                    .select((
                        arranged_claims::claim_id,
                        arranged_claims::arrangement_id,
                        arrangements::coordinator,
                        arrangements::started_at,
                    ))
                    .load::<(String, String, String, NaiveDateTime)>(conn)?
                    .into_iter()
                    .map(
                        |(claim_id, arrangement_id, coordinator, started_at)| ArrangedRow {
                            claim_id,
                            arrangement_id,
                            coordinator,
                            started_at,
                        },
                    ),
            );
        }
        rows
    };
    Ok(rows
        .into_iter()
        .map(|r| {
            let arranged = ArrangedIn {
                arrangement_id: r.arrangement_id,
                coordinator: r.coordinator,
                started_at: r.started_at,
            };
            (r.claim_id, arranged)
        })
        .collect())
}

#[derive(QueryableByName)]
struct ArrangedRow {
    #[diesel(sql_type = diesel::sql_types::Text)]
    claim_id: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    arrangement_id: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    coordinator: String,
    #[diesel(sql_type = diesel::sql_types::Timestamp)]
    started_at: NaiveDateTime,
}

/// Ends a running arrangement and frees its claims.
pub fn end(conn: &mut DbConnection, id: &str, ending: &Ending) -> Result<(), StoreError> {
    let updated = diesel::update(
        arrangements::table
            .find(id)
            .filter(arrangements::ended_at.is_null()),
    )
    .set((
        arrangements::ended_at.eq(Some(ending.at)),
        arrangements::end_reason.eq(Some(&ending.reason)),
        arrangements::ended_by_role.eq(Some(ending.by.role.code())),
        arrangements::ended_by_organisation.eq(ending.by.organisation.as_deref()),
    ))
    .execute(conn)?;
    if updated != 1 {
        return Err(StoreError::Concurrent);
    }
    diesel::delete(arranged_claims::table.filter(arranged_claims::arrangement_id.eq(id)))
        .execute(conn)?;
    Ok(())
}
