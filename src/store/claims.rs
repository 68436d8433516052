//! Claims with their folded ledger, and their events.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::backend::Backend;
use diesel::expression::{AppearsOnTable, ValidGrouping};
use diesel::prelude::*;
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::sql_types::{Array, BigInt, Bool, Date, Nullable, Text, Timestamp};

use super::key_probe::KeyProbe;
use super::schema::{claim_events, claims};
use super::{DbConnection, StoreError};
use crate::domain::claims::{
    BalanceChange, Claim, ClaimEvent, EventType, KeyedEvent, Ledger, Phase, RecordedChange,
    RecordedEvent, ReversiblePayment, SurchargeCategory, Withdrawal,
};
use crate::domain::money::Money;
use crate::domain::overview::{ClaimRecord, SurchargeLine};
use crate::domain::person::PersonId;

/// Rows per INSERT statement: well inside the bind-parameter limits of both backends.
const INSERT_CHUNK: usize = 500;

/// A claim as it is inserted. Flat, not with the read side's `RecordRow` and `LedgerRow`
/// embedded: diesel's COPY (`copy_from(..).from_insertable`) takes no embedded `Insertable`.
#[derive(Insertable)]
#[diesel(table_name = claims, treat_none_as_default_value = false)]
struct ClaimRow {
    id: String,
    creditor_code: String,
    claim_key: String,
    case_key: Option<String>,
    person: String,
    claim_type: String,
    description: String,
    original_cents: i64,
    surcharges_cents: i64,
    paid_cents: i64,
    remitted_cents: i64,
    withdrawn_on: Option<NaiveDate>,
    withdrawal_reason: Option<String>,
    phase: String,
    disputed: bool,
    imposed_on: NaiveDate,
    due_date: NaiveDate,
    version: i64,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

/// A claim as it is read: what a `ClaimRecord` shows, and whose it is and its version.
#[derive(Queryable, QueryableByName, Selectable)]
#[diesel(table_name = claims)]
struct StoredClaim {
    #[diesel(embed)]
    shown: RecordRow,
    person: String,
    version: i64,
}

/// Only the columns of a claim that a `ClaimRecord` shows: the overview reads 50 claims or so
/// per request, and leaving out the person, version and timestamps makes PostgreSQL's part of
/// that query about a seventh cheaper (docs/performance.md).
#[derive(Queryable, QueryableByName, Selectable)]
#[diesel(table_name = claims)]
pub(super) struct RecordRow {
    id: String,
    creditor_code: String,
    claim_key: String,
    case_key: Option<String>,
    claim_type: String,
    description: String,
    imposed_on: NaiveDate,
    due_date: NaiveDate,
    #[diesel(embed)]
    ledger: LedgerRow,
}

/// A claim's folded ledger.
#[derive(Queryable, QueryableByName, Selectable)]
#[diesel(table_name = claims)]
pub(super) struct LedgerRow {
    original_cents: i64,
    surcharges_cents: i64,
    paid_cents: i64,
    remitted_cents: i64,
    withdrawn_on: Option<NaiveDate>,
    withdrawal_reason: Option<String>,
    phase: String,
    disputed: bool,
}

fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Corrupt(format!("unknown {what} '{value}'"))
}

impl TryFrom<LedgerRow> for Ledger {
    type Error = StoreError;
    fn try_from(row: LedgerRow) -> Result<Ledger, StoreError> {
        let phase = Phase::from_code(&row.phase).ok_or_else(|| corrupt("phase", &row.phase))?;
        let withdrawal = row.withdrawn_on.map(|date| Withdrawal {
            date,
            reason: row.withdrawal_reason.unwrap_or_default(),
        });
        Ok(Ledger {
            original: Money::from_cents(row.original_cents),
            surcharges: Money::from_cents(row.surcharges_cents),
            paid: Money::from_cents(row.paid_cents),
            remitted: Money::from_cents(row.remitted_cents),
            withdrawal,
            phase,
            disputed: row.disputed,
        })
    }
}

impl TryFrom<StoredClaim> for Claim {
    type Error = StoreError;
    fn try_from(row: StoredClaim) -> Result<Claim, StoreError> {
        let shown = row.shown;
        Ok(Claim {
            id: shown.id,
            creditor_code: shown.creditor_code,
            claim_key: shown.claim_key,
            person: PersonId::from_stored(row.person),
            case_key: shown.case_key,
            claim_type: shown.claim_type,
            description: shown.description,
            imposed_on: shown.imposed_on,
            due_date: shown.due_date,
            ledger: Ledger::try_from(shown.ledger)?,
            version: row.version,
        })
    }
}

fn to_row(claim: &Claim, now: NaiveDateTime) -> ClaimRow {
    let ledger = &claim.ledger;
    ClaimRow {
        id: claim.id.clone(),
        creditor_code: claim.creditor_code.clone(),
        claim_key: claim.claim_key.clone(),
        case_key: claim.case_key.clone(),
        person: claim.person.as_str().to_owned(),
        claim_type: claim.claim_type.clone(),
        description: claim.description.clone(),
        original_cents: ledger.original.cents(),
        surcharges_cents: ledger.surcharges.cents(),
        paid_cents: ledger.paid.cents(),
        remitted_cents: ledger.remitted.cents(),
        withdrawn_on: ledger.withdrawal.as_ref().map(|w| w.date),
        withdrawal_reason: ledger.withdrawal.as_ref().map(|w| w.reason.clone()),
        phase: ledger.phase.code().to_owned(),
        disputed: ledger.disputed,
        imposed_on: claim.imposed_on,
        due_date: claim.due_date,
        version: claim.version,
        created_at: now,
        updated_at: now,
    }
}

fn convert(rows: Vec<StoredClaim>) -> Result<Vec<Claim>, StoreError> {
    rows.into_iter().map(Claim::try_from).collect()
}

/// The claims with these ids, by primary key, in chunks.
pub fn find_by_ids(conn: &mut DbConnection, ids: &[&str]) -> Result<Vec<Claim>, StoreError> {
    let mut found = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(INSERT_CHUNK) {
        let rows: Vec<StoredClaim> = claims::table
            .filter(claims::id.eq_any(chunk))
            .select(StoredClaim::as_select())
            .load(conn)?;
        found.extend(convert(rows)?);
    }
    Ok(found)
}

/// The creditor's claims with these keys, for a change of them: on PostgreSQL locked until the
/// transaction ends (`FOR UPDATE`), so a second batch changing one of them waits for the first
/// and reads what it wrote, where it would otherwise lose the race on the claim's version and
/// start again (four writers on one claim lost ten times in a row under load). It locks them in
/// key order, so that batches sharing claims lock them in the same order.
///
/// On PostgreSQL one statement that probes the unique index on (claim_key, creditor_code) once
/// per key, whatever the statistics: `= ANY($1)` is planned as a scan of the whole table while
/// it has no statistics yet (right after a deploy), so a bulk load slowed down batch by batch,
/// and a plain join against the keys is hashed over the whole table. The `LIMIT 1` (at most one
/// row matches) keeps the planner from turning the lateral subquery into such a join.
pub fn find_by_keys(
    conn: &mut DbConnection,
    creditor: &str,
    keys: &[&str],
) -> Result<Vec<Claim>, StoreError> {
    if let DbConnection::Postgres(c) = conn {
        let mut ordered = keys.to_vec();
        ordered.sort_unstable();
        ordered.dedup();
        let rows: Vec<StoredClaim> = KeyProbe {
            sql: "SELECT c.* FROM unnest({keys}::text[]) AS k(claim_key) CROSS JOIN LATERAL \
                  (SELECT * FROM claims WHERE claim_key = k.claim_key \
                  AND creditor_code = {creditor} LIMIT 1 FOR UPDATE) c",
            keys: &ordered,
            creditor: Some(creditor),
        }
        .load(c)?;
        return convert(rows);
    }
    // By key alone, so the query probes the key-first unique index; the rare same key of
    // another creditor is dropped here.
    let mut found = Vec::with_capacity(keys.len());
    for chunk in keys.chunks(INSERT_CHUNK) {
        let rows: Vec<StoredClaim> = claims::table
            .filter(claims::claim_key.eq_any(chunk))
            .select(StoredClaim::as_select())
            .load(conn)?;
        found.extend(convert(
            rows.into_iter()
                .filter(|r| r.shown.creditor_code == creditor)
                .collect(),
        )?);
    }
    Ok(found)
}

pub fn for_person(conn: &mut DbConnection, person: &PersonId) -> Result<Vec<Claim>, StoreError> {
    let rows = claims::table
        .filter(claims::person.eq(person.as_str()))
        .select(StoredClaim::as_select())
        .load(conn)?;
    convert(rows)
}

/// Category, amount, date, description and id of a surcharge event joined to its claim; all
/// absent for a claim without surcharges.
pub(super) type JoinedSurcharge = (
    Option<String>,
    Option<i64>,
    Option<NaiveDate>,
    Option<String>,
    Option<i64>,
);

/// `claim_events.event_type = 'OphogingOpgelegd'`, the condition of the partial index
/// `claim_surcharges_by_claim`, spelled as in its migration. A literal, not a bind parameter:
/// a prepared statement's generic plan can only use a partial index whose condition the
/// statement's own text implies. A type of its own, not `dsl::sql`, so that diesel still keeps
/// the statement prepared per connection.
#[derive(Debug, Clone, Copy, QueryId, ValidGrouping)]
struct IsSurchargeEvent;

const SURCHARGE_EVENTS: &str = "claim_events.event_type = 'OphogingOpgelegd'";

impl Expression for IsSurchargeEvent {
    type SqlType = Bool;
}

impl<DB: Backend> QueryFragment<DB> for IsSurchargeEvent {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_sql(SURCHARGE_EVENTS);
        Ok(())
    }
}

impl<QS> AppearsOnTable<QS> for IsSurchargeEvent {}

/// The columns of a person's claims as the overview and the proposals show them, for the
/// person file's query (`person_file::load_with_claims`): a `RecordRow`, whether the claim is in
/// a running arrangement, and one surcharge line or none, so a row per surcharge.
pub(super) const RECORD_COLUMNS: [&str; 22] = [
    "claims.id",
    "claims.creditor_code",
    "claims.claim_key",
    "claims.case_key",
    "claims.claim_type",
    "claims.description",
    "claims.imposed_on",
    "claims.due_date",
    "claims.original_cents",
    "claims.surcharges_cents",
    "claims.paid_cents",
    "claims.remitted_cents",
    "claims.withdrawn_on",
    "claims.withdrawal_reason",
    "claims.phase",
    "claims.disputed",
    "arranged_claims.claim_id",
    "claim_events.category",
    "claim_events.amount_cents",
    "claim_events.event_date",
    "claim_events.description",
    "claim_events.id",
];

/// Where [`RECORD_COLUMNS`] come from, before the condition on the person. The surcharges are
/// joined on [`SURCHARGE_EVENTS`], so that they are found through their partial index.
pub(super) fn record_source() -> String {
    format!(
        "FROM claims LEFT JOIN arranged_claims ON arranged_claims.claim_id = claims.id \
         LEFT JOIN claim_events ON claim_events.claim_id = claims.id AND {SURCHARGE_EVENTS}"
    )
}

/// The SQL types of [`RECORD_COLUMNS`], each nullable, as the rows of the person file's query
/// carry them.
pub(super) type RecordSql = (
    Nullable<(
        Text,
        Text,
        Text,
        Nullable<Text>,
        Text,
        Text,
        Date,
        Date,
        (
            BigInt,
            BigInt,
            BigInt,
            BigInt,
            Nullable<Date>,
            Nullable<Text>,
            Text,
            Bool,
        ),
    )>,
    Nullable<Text>,
    (
        Nullable<Text>,
        Nullable<BigInt>,
        Nullable<Date>,
        Nullable<Text>,
        Nullable<BigInt>,
    ),
);

/// One row of [`RECORD_COLUMNS`]: no claim on the person file's own row.
pub(super) type RecordLine = (Option<RecordRow>, Option<String>, JoinedSurcharge);

/// The person's claims from their rows, each with its surcharge lines, in id order. The rows
/// are put in order here, not by the database: without ORDER BY PostgreSQL's plan has no sort
/// nodes, which it set up anew on every read (docs/performance.md).
pub(super) fn records(
    mut rows: Vec<(RecordRow, Option<String>, JoinedSurcharge)>,
) -> Result<Vec<ClaimRecord>, StoreError> {
    rows.sort_unstable_by(|(a, _, a_line), (b, _, b_line)| {
        (&a.id, a_line.4).cmp(&(&b.id, b_line.4))
    });
    let mut records: Vec<ClaimRecord> = Vec::new();
    for (row, arranged, (category, amount, date, description, event)) in rows {
        if records.last().is_none_or(|last| last.id != row.id) {
            records.push(ClaimRecord {
                id: row.id,
                creditor_code: row.creditor_code,
                claim_key: row.claim_key,
                case_key: row.case_key,
                claim_type: row.claim_type,
                description: row.description,
                imposed_on: row.imposed_on,
                due_date: row.due_date,
                ledger: Ledger::try_from(row.ledger)?,
                surcharges: Vec::new(),
                in_arrangement: arranged.is_some(),
            });
        }
        if event.is_some() {
            let record = records.last_mut().expect("pushed above");
            let line = surcharge_line(&record.id, category, amount, date, description)?;
            record.surcharges.push(line);
        }
    }
    Ok(records)
}

/// One page of a creditor's claims in id order (ids are time-ordered UUIDv7), after `after`.
pub fn page_for_creditor(
    conn: &mut DbConnection,
    creditor: &str,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<Claim>, StoreError> {
    let mut query = claims::table
        .filter(claims::creditor_code.eq(creditor))
        .order(claims::id)
        .limit(limit)
        .select(StoredClaim::as_select())
        .into_boxed();
    if let Some(after) = after {
        query = query.filter(claims::id.gt(after));
    }
    convert(query.load(conn)?)
}

/// Whether the creditor has any claim (by the index of its claims' pages).
pub fn any_of_creditor(conn: &mut DbConnection, creditor: &str) -> Result<bool, StoreError> {
    Ok(diesel::select(diesel::dsl::exists(
        claims::table.filter(claims::creditor_code.eq(creditor)),
    ))
    .get_result(conn)?)
}

/// The creditor's claim under `key`, if any. By key alone, so the query can only probe the
/// key-first unique index, whatever the planner's statistics (with the creditor too, an empty
/// table's plan walks the creditor's pages instead); another creditor's same key is dropped here.
pub fn find_by_key(
    conn: &mut DbConnection,
    creditor: &str,
    key: &str,
) -> Result<Option<Claim>, StoreError> {
    let rows: Vec<StoredClaim> = claims::table
        .filter(claims::claim_key.eq(key))
        .select(StoredClaim::as_select())
        .load(conn)?;
    let own = rows
        .into_iter()
        .filter(|r| r.shown.creditor_code == creditor)
        .collect();
    Ok(convert(own)?.pop())
}

pub fn find_for_creditor(
    conn: &mut DbConnection,
    creditor: &str,
    id: &str,
) -> Result<Option<Claim>, StoreError> {
    let row = claims::table
        .filter(claims::id.eq(id))
        .filter(claims::creditor_code.eq(creditor))
        .select(StoredClaim::as_select())
        .first(conn)
        .optional()?;
    row.map(Claim::try_from).transpose()
}

pub fn insert_new(
    conn: &mut DbConnection,
    new: &[&Claim],
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    let rows: Vec<ClaimRow> = new.iter().map(|c| to_row(c, now)).collect();
    bulk_insert!(conn, claims::table, &rows, INSERT_CHUNK);
    Ok(())
}

/// Writes changed ledgers, provided nobody else changed any of these claims since they were
/// read; otherwise nothing is written and the unit of work retries. On PostgreSQL in one
/// statement, the new values as arrays.
pub fn update_ledgers(
    conn: &mut DbConnection,
    changed: &[Claim],
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    if changed.is_empty() {
        return Ok(());
    }
    let DbConnection::Postgres(c) = conn else {
        return changed
            .iter()
            .try_for_each(|claim| update_ledger(conn, claim, now));
    };
    let column = |f: fn(&Claim) -> i64| changed.iter().map(f).collect::<Vec<_>>();
    let withdrawals = changed.iter().map(|c| c.ledger.withdrawal.as_ref());
    let updated = diesel::sql_query(
        "UPDATE claims AS c SET surcharges_cents = u.surcharges_cents, \
         paid_cents = u.paid_cents, remitted_cents = u.remitted_cents, \
         withdrawn_on = u.withdrawn_on, withdrawal_reason = u.withdrawal_reason, \
         phase = u.phase, disputed = u.disputed, version = u.version + 1, updated_at = $10 \
         FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[], \
                     $6::date[], $7::text[], $8::text[], $9::bool[]) \
           AS u(id, version, surcharges_cents, paid_cents, remitted_cents, withdrawn_on, \
                withdrawal_reason, phase, disputed) \
         WHERE c.id = u.id AND c.version = u.version",
    )
    .bind::<Array<Text>, _>(changed.iter().map(|c| c.id.as_str()).collect::<Vec<_>>())
    .bind::<Array<BigInt>, _>(column(|c| c.version))
    .bind::<Array<BigInt>, _>(column(|c| c.ledger.surcharges.cents()))
    .bind::<Array<BigInt>, _>(column(|c| c.ledger.paid.cents()))
    .bind::<Array<BigInt>, _>(column(|c| c.ledger.remitted.cents()))
    .bind::<Array<Nullable<Date>>, _>(
        withdrawals
            .clone()
            .map(|w| w.map(|w| w.date))
            .collect::<Vec<_>>(),
    )
    .bind::<Array<Nullable<Text>>, _>(
        withdrawals
            .map(|w| w.map(|w| w.reason.as_str()))
            .collect::<Vec<_>>(),
    )
    .bind::<Array<Text>, _>(
        changed
            .iter()
            .map(|c| c.ledger.phase.code())
            .collect::<Vec<_>>(),
    )
    .bind::<Array<Bool>, _>(
        changed
            .iter()
            .map(|c| c.ledger.disputed)
            .collect::<Vec<_>>(),
    )
    .bind::<Timestamp, _>(now)
    .execute(c)?;
    if updated == changed.len() {
        Ok(())
    } else {
        Err(StoreError::Concurrent)
    }
}

/// Writes a changed ledger, provided nobody else changed the claim since it was read.
fn update_ledger(
    conn: &mut DbConnection,
    claim: &Claim,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    let ledger = &claim.ledger;
    let updated = diesel::update(
        claims::table
            .filter(claims::id.eq(&claim.id))
            .filter(claims::version.eq(claim.version)),
    )
    .set((
        claims::surcharges_cents.eq(ledger.surcharges.cents()),
        claims::paid_cents.eq(ledger.paid.cents()),
        claims::remitted_cents.eq(ledger.remitted.cents()),
        claims::withdrawn_on.eq(ledger.withdrawal.as_ref().map(|w| w.date)),
        claims::withdrawal_reason.eq(ledger.withdrawal.as_ref().map(|w| w.reason.clone())),
        claims::phase.eq(ledger.phase.code()),
        claims::disputed.eq(ledger.disputed),
        claims::version.eq(claim.version + 1),
        claims::updated_at.eq(now),
    ))
    .execute(conn)?;
    if updated == 1 {
        Ok(())
    } else {
        Err(StoreError::Concurrent)
    }
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = claim_events)]
struct EventRow {
    event_key: String,
    event_type: String,
    amount_cents: Option<i64>,
    event_date: Option<NaiveDate>,
    category: Option<String>,
    description: Option<String>,
    phase: Option<String>,
    disputed: Option<bool>,
    received_at: NaiveDateTime,
    reverses_event_key: Option<String>,
}

#[derive(QueryableByName)]
#[diesel(table_name = claim_events)]
struct HashRow {
    event_key: String,
    content_hash: String,
}

#[derive(Insertable)]
#[diesel(table_name = claim_events, treat_none_as_default_value = false)]
struct NewEventRow<'a> {
    creditor_code: &'a str,
    event_key: &'a str,
    claim_id: &'a str,
    event_type: &'static str,
    content_hash: String,
    amount_cents: Option<i64>,
    event_date: Option<NaiveDate>,
    category: Option<&'static str>,
    description: Option<&'a str>,
    phase: Option<&'static str>,
    disputed: Option<bool>,
    received_at: NaiveDateTime,
    reverses_event_key: Option<&'a str>,
}

/// Content fingerprints of the creditor's events with these keys, by key.
pub fn event_hashes(
    conn: &mut DbConnection,
    creditor: &str,
    keys: &[&str],
) -> Result<HashMap<String, String>, StoreError> {
    if let DbConnection::Postgres(c) = conn {
        // As in `find_by_keys`: the keys joined against the unique index.
        let rows: Vec<HashRow> = KeyProbe {
            sql: "SELECT e.event_key, e.content_hash FROM unnest({keys}::text[]) AS k(event_key) \
                  CROSS JOIN LATERAL (SELECT event_key, content_hash FROM claim_events \
                  WHERE event_key = k.event_key AND creditor_code = {creditor} LIMIT 1) e",
            keys,
            creditor: Some(creditor),
        }
        .load(c)?;
        return Ok(rows
            .into_iter()
            .map(|r| (r.event_key, r.content_hash))
            .collect());
    }
    let mut found = HashMap::with_capacity(keys.len());
    for chunk in keys.chunks(INSERT_CHUNK) {
        // By key alone, as in `find_by_keys`.
        let rows: Vec<(String, String, String)> = claim_events::table
            .filter(claim_events::event_key.eq_any(chunk))
            .select((
                claim_events::creditor_code,
                claim_events::event_key,
                claim_events::content_hash,
            ))
            .load(conn)?;
        found.extend(
            rows.into_iter()
                .filter(|(code, _, _)| code == creditor)
                .map(|(_, key, hash)| (key, hash)),
        );
    }
    Ok(found)
}

/// Stores events, each with the id of the claim it belongs to.
pub fn insert_events(
    conn: &mut DbConnection,
    creditor: &str,
    events: &[(&KeyedEvent, &str)],
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    let rows: Vec<NewEventRow<'_>> = events
        .iter()
        .map(|(keyed, claim_id)| {
            let mut row = NewEventRow {
                creditor_code: creditor,
                event_key: &keyed.event_key,
                claim_id,
                event_type: keyed.event.event_type().code(),
                content_hash: keyed.content_hash(),
                amount_cents: keyed.event.amount().map(Money::cents),
                event_date: keyed.event.date(),
                category: None,
                description: None,
                phase: None,
                disputed: None,
                received_at: now,
                reverses_event_key: None,
            };
            match &keyed.event {
                ClaimEvent::Imposed(claim) => row.description = Some(&claim.description),
                ClaimEvent::Surcharge {
                    category,
                    description,
                    ..
                } => {
                    row.category = Some(category.code());
                    row.description = Some(description);
                }
                ClaimEvent::Withdrawal { reason, .. } => row.description = Some(reason),
                ClaimEvent::PaymentReversal {
                    payment_key,
                    reason,
                    ..
                } => {
                    row.description = Some(reason);
                    row.reverses_event_key = Some(payment_key);
                }
                ClaimEvent::PhaseChange { phase, disputed } => {
                    row.phase = Some(phase.code());
                    row.disputed = Some(*disputed);
                }
                ClaimEvent::Payment { .. } | ClaimEvent::Remission { .. } => {}
            }
            row
        })
        .collect();
    bulk_insert!(conn, claim_events::table, &rows, INSERT_CHUNK);
    Ok(())
}

fn to_stored_event(row: EventRow) -> Result<RecordedEvent, StoreError> {
    Ok(RecordedEvent {
        event_type: EventType::from_code(&row.event_type)
            .ok_or_else(|| corrupt("event type", &row.event_type))?,
        category: row
            .category
            .map(|c| SurchargeCategory::from_code(&c).ok_or_else(|| corrupt("category", &c)))
            .transpose()?,
        phase: row
            .phase
            .map(|p| Phase::from_code(&p).ok_or_else(|| corrupt("phase", &p)))
            .transpose()?,
        event_key: row.event_key,
        amount: row.amount_cents.map(Money::from_cents),
        date: row.event_date,
        description: row.description,
        disputed: row.disputed,
        reverses: row.reverses_event_key,
        received_at: row.received_at,
    })
}

/// [`reversible_payments`] in statements any backend plans on its indexes: the payments by key
/// (the unique index), then what was booked back of them by their claims.
fn reversible_payment_rows(
    conn: &mut DbConnection,
    creditor: &str,
    keys: &[&str],
) -> Result<Vec<PaymentRow>, StoreError> {
    type Found = (
        String,
        String,
        String,
        Option<i64>,
        Option<NaiveDate>,
        NaiveDateTime,
    );
    let mut rows = Vec::new();
    for chunk in keys.chunks(super::IDS_PER_STATEMENT) {
        let found: Vec<Found> = claim_events::table
            .filter(claim_events::event_key.eq_any(chunk))
            .filter(claim_events::event_type.eq(EventType::BetalingVerwerkt.code()))
            .select((
                claim_events::creditor_code,
                claim_events::event_key,
                claim_events::claim_id,
                claim_events::amount_cents,
                claim_events::event_date,
                claim_events::received_at,
            ))
            .load(conn)?;
        let found: Vec<Found> = found.into_iter().filter(|f| f.0 == creditor).collect();
        let claim_ids: Vec<&str> = found.iter().map(|f| f.2.as_str()).collect();
        let reversals: Vec<(Option<String>, Option<i64>)> = claim_events::table
            .filter(claim_events::claim_id.eq_any(&claim_ids))
            .filter(claim_events::event_type.eq(EventType::BetalingTeruggeboekt.code()))
            .select((claim_events::reverses_event_key, claim_events::amount_cents))
            .load(conn)?;
        let mut reversed: HashMap<String, i64> = HashMap::new();
        for (reverses, cents) in reversals {
            if let (Some(key), Some(cents)) = (reverses, cents) {
                *reversed.entry(key).or_default() += cents;
            }
        }
        for (_, event_key, claim_id, amount, date, received_at) in found {
            let (Some(amount_cents), Some(event_date)) = (amount, date) else {
                return Err(corrupt("payment", &event_key));
            };
            let reversed_cents = reversed.get(&event_key).copied().unwrap_or_default();
            rows.push(PaymentRow {
                event_key,
                claim_id,
                amount_cents,
                event_date,
                received_at,
                reversed_cents,
            });
        }
    }
    Ok(rows)
}

/// A payment of the creditor, with what of it was booked back so far.
#[derive(QueryableByName)]
struct PaymentRow {
    #[diesel(sql_type = Text)]
    event_key: String,
    #[diesel(sql_type = Text)]
    claim_id: String,
    #[diesel(sql_type = BigInt)]
    amount_cents: i64,
    #[diesel(sql_type = Date)]
    event_date: NaiveDate,
    #[diesel(sql_type = Timestamp)]
    received_at: NaiveDateTime,
    #[diesel(sql_type = BigInt)]
    reversed_cents: i64,
}

/// The creditor's payments with these event keys (`BetalingVerwerkt`), with what of each is left
/// to book back, by key: what a batch booking payments back is decided on. Read after the batch
/// holds its claims, so no other batch books one back meanwhile.
pub fn reversible_payments(
    conn: &mut DbConnection,
    creditor: &str,
    keys: &[&str],
) -> Result<HashMap<String, ReversiblePayment>, StoreError> {
    let rows: Vec<PaymentRow> = if let DbConnection::Postgres(c) = conn {
        // As in `event_hashes`: the keys joined against the unique index; what was booked back
        // of each from its claim's events.
        KeyProbe {
            sql: "SELECT e.event_key, e.claim_id, e.amount_cents, e.event_date, e.received_at, \
                  COALESCE((SELECT SUM(r.amount_cents) FROM claim_events r \
                  WHERE r.claim_id = e.claim_id AND r.reverses_event_key = e.event_key \
                  AND r.event_type = 'BetalingTeruggeboekt'), 0)::BIGINT AS reversed_cents \
                  FROM unnest({keys}::text[]) AS k(event_key) CROSS JOIN LATERAL \
                  (SELECT event_key, claim_id, amount_cents, event_date, received_at \
                  FROM claim_events WHERE event_key = k.event_key AND creditor_code = {creditor} \
                  AND event_type = 'BetalingVerwerkt' LIMIT 1) e",
            keys,
            creditor: Some(creditor),
        }
        .load(c)?
    } else {
        reversible_payment_rows(conn, creditor, keys)?
    };
    Ok(rows
        .into_iter()
        .map(|r| {
            let payment = ReversiblePayment {
                claim_id: r.claim_id,
                date: r.event_date,
                left: Money::from_cents(r.amount_cents - r.reversed_cents),
                recorded_at: Some(r.received_at),
            };
            (r.event_key, payment)
        })
        .collect())
}

pub fn events_of_claim(
    conn: &mut DbConnection,
    claim_id: &str,
) -> Result<Vec<RecordedEvent>, StoreError> {
    let rows = claim_events::table
        .filter(claim_events::claim_id.eq(claim_id))
        .order(claim_events::id)
        .select(EventRow::as_select())
        .load(conn)?;
    rows.into_iter().map(to_stored_event).collect()
}

/// The events of these claims, by claim id, each claim's in the order they were received, in
/// one query per chunk.
pub fn events_of_claims(
    conn: &mut DbConnection,
    claim_ids: &[&str],
) -> Result<HashMap<String, Vec<RecordedEvent>>, StoreError> {
    let mut events: HashMap<String, Vec<RecordedEvent>> = HashMap::new();
    for chunk in claim_ids.chunks(INSERT_CHUNK) {
        let rows: Vec<(String, EventRow)> = claim_events::table
            .filter(claim_events::claim_id.eq_any(chunk))
            .order(claim_events::id)
            .select((claim_events::claim_id, EventRow::as_select()))
            .load(conn)?;
        for (claim_id, row) in rows {
            events
                .entry(claim_id)
                .or_default()
                .push(to_stored_event(row)?);
        }
    }
    Ok(events)
}

/// Claim id, category, amount, date and description of one surcharge event.
type SurchargeRow = (
    String,
    Option<String>,
    Option<i64>,
    Option<NaiveDate>,
    Option<String>,
);

fn surcharge_line(
    claim_id: &str,
    category: Option<String>,
    amount: Option<i64>,
    date: Option<NaiveDate>,
    description: Option<String>,
) -> Result<SurchargeLine, StoreError> {
    let (Some(category), Some(amount), Some(date)) = (category, amount, date) else {
        return Err(StoreError::Corrupt(format!(
            "incomplete surcharge on claim {claim_id}"
        )));
    };
    Ok(SurchargeLine {
        category: SurchargeCategory::from_code(&category)
            .ok_or_else(|| corrupt("category", &category))?,
        amount: Money::from_cents(amount),
        date,
        description: description.unwrap_or_default(),
    })
}

/// The surcharge lines of these claims, by claim id, in one query.
pub fn surcharges_of_claims(
    conn: &mut DbConnection,
    claim_ids: &[&str],
) -> Result<HashMap<String, Vec<SurchargeLine>>, StoreError> {
    let mut lines: HashMap<String, Vec<SurchargeLine>> = HashMap::new();
    for chunk in claim_ids.chunks(INSERT_CHUNK) {
        let rows: Vec<SurchargeRow> = claim_events::table
            .filter(claim_events::claim_id.eq_any(chunk))
            .filter(IsSurchargeEvent)
            .order(claim_events::id)
            .select((
                claim_events::claim_id,
                claim_events::category,
                claim_events::amount_cents,
                claim_events::event_date,
                claim_events::description,
            ))
            .load(conn)?;
        for (claim_id, category, amount, date, description) in rows {
            let line = surcharge_line(&claim_id, category, amount, date, description)?;
            lines.entry(claim_id).or_default().push(line);
        }
    }
    Ok(lines)
}

/// Makes every claim of the person a version newer than any change of them still in flight has
/// read, after waiting for such a change to commit. A change that decides on the person's claims
/// together (accepting an arrangement) then reads them as they are; a change of one of them that
/// read it before (a payment, deciding whether its claim is in an arrangement) fails its version
/// check and is tried again, seeing the other. Needed on PostgreSQL, whose transactions run side
/// by side; SQLite runs one writer at a time.
pub fn hold_of_person(conn: &mut DbConnection, person: &PersonId) -> Result<(), StoreError> {
    diesel::update(claims::table.filter(claims::person.eq(person.as_str())))
        .set(claims::version.eq(claims::version + 1))
        .execute(conn)?;
    Ok(())
}

/// The changes to the balances of `claim_ids` recorded after `since`: payments, surcharges,
/// remissions and withdrawals (what an arrangement reads of its claims).
pub fn changes_since(
    conn: &mut DbConnection,
    claim_ids: &[&str],
    since: NaiveDateTime,
) -> Result<Vec<RecordedChange>, StoreError> {
    let mut changes = Vec::new();
    for chunk in claim_ids.chunks(INSERT_CHUNK) {
        type Row = (
            String,
            String,
            String,
            NaiveDateTime,
            Option<i64>,
            Option<String>,
        );
        let rows: Vec<Row> = claim_events::table
            .filter(claim_events::claim_id.eq_any(chunk))
            .filter(claim_events::event_type.eq_any(BalanceChange::EVENTS.map(EventType::code)))
            .filter(claim_events::received_at.gt(since))
            .select((
                claim_events::claim_id,
                claim_events::event_key,
                claim_events::event_type,
                claim_events::received_at,
                claim_events::amount_cents,
                claim_events::reverses_event_key,
            ))
            .load(conn)?;
        for (claim_id, event_key, event_type, recorded_at, amount, reverses) in rows {
            let Some(change) = EventType::from_code(&event_type)
                .and_then(|t| BalanceChange::of(t, amount.map(Money::from_cents), reverses))
            else {
                return Err(StoreError::Corrupt(format!(
                    "incomplete {event_type} on claim {claim_id}"
                )));
            };
            changes.push(RecordedChange {
                claim_id,
                event_key,
                recorded_at,
                change,
            });
        }
    }
    Ok(changes)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reads can only use the partial index when their statement names the index's
    /// condition: the same event type, as a literal, in both backends' migrations.
    #[test]
    fn the_surcharge_condition_is_the_partial_index_condition_on_both_backends() {
        let literal = format!("event_type = '{}'", EventType::OphogingOpgelegd.code());
        assert_eq!(SURCHARGE_EVENTS, format!("claim_events.{literal}"));
        for migration in [
            include_str!("../../migrations/postgres/2026-12-04-000015_surcharges_by_claim/up.sql"),
            include_str!("../../migrations/sqlite/2026-12-04-000015_surcharges_by_claim/up.sql"),
        ] {
            assert!(
                migration.contains(&format!(
                    "claim_surcharges_by_claim ON claim_events (claim_id, id)\n    WHERE {literal};"
                )),
                "{migration}"
            );
        }
    }
}
