//! An agency reading its own claims.

use crate::clock::Moment;
use crate::domain::access::{Action, Actor, Role};
use crate::domain::overview::ClaimRecord;
use crate::store::access_log::{self, Entry};
use crate::store::claims::{self as claim_store, StoredClaim, StoredEvent};
use crate::store::{DbConnection, arrangements};

use super::ServiceError;

pub struct ClaimPage {
    pub claims: Vec<ClaimRecord>,
    /// Cursor for the next page; `None` on the last page.
    pub next: Option<String>,
}

pub struct ClaimDetail {
    pub claim: ClaimRecord,
    pub events: Vec<StoredEvent>,
}

/// A page of the creditor's own claims, oldest first, after cursor `after`.
pub fn page_for_creditor(
    conn: &mut DbConnection,
    creditor: &str,
    after: Option<&str>,
    limit: usize,
    now: Moment,
) -> Result<ClaimPage, ServiceError> {
    let page_size = i64::try_from(limit).unwrap_or(i64::MAX);
    let mut claims =
        claim_store::page_for_creditor(conn, creditor, after, page_size.saturating_add(1))?;
    let next = if claims.len() > limit {
        claims.truncate(limit);
        claims.last().map(|c| c.id.clone())
    } else {
        None
    };
    log_reads(conn, creditor, &claims, now)?;
    Ok(ClaimPage {
        claims: records(conn, claims)?,
        next,
    })
}

/// One of the creditor's own claims with all its events. Another creditor's claim is "not
/// found": its existence is not the asker's business.
pub fn detail_for_creditor(
    conn: &mut DbConnection,
    creditor: &str,
    id: &str,
    now: Moment,
) -> Result<ClaimDetail, ServiceError> {
    let claim = claim_store::find_for_creditor(conn, creditor, id)?
        .ok_or(ServiceError::NotFound("vordering"))?;
    log_reads(conn, creditor, std::slice::from_ref(&claim), now)?;
    let events = claim_store::events_of_claim(conn, &claim.id)?;
    let claim = records(conn, vec![claim])?.remove(0);
    Ok(ClaimDetail { claim, events })
}

/// Completes stored claims with their surcharge lines and whether each is in a running
/// arrangement: two queries for all of them together.
pub fn records(
    conn: &mut DbConnection,
    claims: Vec<StoredClaim>,
) -> Result<Vec<ClaimRecord>, ServiceError> {
    let ids: Vec<&str> = claims.iter().map(|c| c.id.as_str()).collect();
    let mut surcharges = claim_store::surcharges_of_claims(conn, &ids)?;
    let arranged = arrangements::arranged(conn, &ids)?;
    Ok(claims
        .into_iter()
        .map(|c| {
            let lines = surcharges.remove(&c.id).unwrap_or_default();
            let in_arrangement = arranged.contains(&c.id);
            c.into_record(lines, in_arrangement)
        })
        .collect())
}

fn log_reads(
    conn: &mut DbConnection,
    creditor: &str,
    claims: &[StoredClaim],
    now: Moment,
) -> Result<(), ServiceError> {
    let actor = Actor::organisation(Role::Organisatie, creditor);
    let entries: Vec<Entry> = claims
        .iter()
        .map(|c| Entry {
            person: c.person.clone(),
            actor: actor.clone(),
            action: Action::ClaimRead,
            subject_id: Some(c.id.clone()),
        })
        .collect();
    access_log::record(conn, &entries, now.utc)?;
    Ok(())
}
