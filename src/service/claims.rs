//! An agency reading its own claims.

use crate::domain::access::Action;
use crate::domain::authorization::{Access, Operation};
use crate::domain::caller::Caller;
use crate::domain::claims::Claim;
use crate::domain::claims::RecordedEvent;
use crate::domain::decision::{AccessRecord, Decision};
use crate::domain::overview::ClaimRecord;
use crate::store::claims as claim_store;
use crate::store::{DbConnection, arrangements};

use super::unit_of_work::UnitOfWork;
use super::{Page, ServiceError, Whom};

pub struct ClaimPage {
    pub claims: Vec<ClaimRecord>,
    /// Cursor for the next page; `None` on the last page.
    pub next: Option<String>,
}

pub struct ClaimDetail {
    pub claim: ClaimRecord,
    pub events: Vec<RecordedEvent>,
}

/// The creditor code of an agency caller; the authorization already refused anyone else.
fn creditor(caller: &Caller) -> Result<&str, ServiceError> {
    caller
        .creditor()
        .ok_or_else(|| ServiceError::Forbidden("Alleen voor organisaties (schuldeisers).".into()))
}

/// A page of the creditor's own claims, oldest first, after cursor `after`.
pub fn page_for_creditor(
    uow: &mut UnitOfWork<'_>,
    caller: &Caller,
    after: Option<&str>,
    limit: usize,
) -> Result<ClaimPage, ServiceError> {
    let access = uow.authorize(caller, Operation::ReadOwnClaims)?;
    let code = creditor(caller)?;
    let conn = uow.conn();
    let Page {
        items: claims,
        next,
    } = Page::load(
        limit,
        |size| claim_store::page_for_creditor(conn, code, after, size),
        |claim| claim.id.clone(),
    )?;
    let reads = claims
        .iter()
        .map(|c| AccessRecord::new(&c.person, &access, Action::ClaimRead, Some(&c.id)))
        .collect();
    let page = ClaimPage {
        claims: records(uow.conn(), claims)?,
        next,
    };
    uow.commit(Decision::reads(page, reads))
}

/// One of the creditor's own claims with all its events. Another creditor's claim is "not
/// found": its existence is not the asker's business.
pub fn detail_for_creditor(
    uow: &mut UnitOfWork<'_>,
    caller: &Caller,
    id: &str,
) -> Result<ClaimDetail, ServiceError> {
    let access = uow.authorize(caller, Operation::ReadOwnClaims)?;
    let code = creditor(caller)?;
    let claim = claim_store::find_for_creditor(uow.conn(), code, id)?;
    creditors_detail(uow, &access, claim)
}

/// The creditor's own claim under `key`, its own key, with all its events: found without its
/// id. A key it does not use is "not found".
pub fn detail_by_key_for_creditor(
    uow: &mut UnitOfWork<'_>,
    caller: &Caller,
    key: &str,
) -> Result<ClaimDetail, ServiceError> {
    let access = uow.authorize(caller, Operation::ReadOwnClaims)?;
    let code = creditor(caller)?;
    let claim = claim_store::find_by_key(uow.conn(), code, key)?;
    creditors_detail(uow, &access, claim)
}

/// A claim of the creditor's, found, with all its events; its reading logged.
fn creditors_detail(
    uow: &mut UnitOfWork<'_>,
    access: &Access,
    claim: Option<Claim>,
) -> Result<ClaimDetail, ServiceError> {
    let claim = claim.ok_or(ServiceError::NotFound("deze vordering"))?;
    let read = AccessRecord::new(&claim.person, access, Action::ClaimRead, Some(&claim.id));
    let events = claim_store::events_of_claim(uow.conn(), &claim.id)?;
    let claim = records(uow.conn(), vec![claim])?.remove(0);
    uow.commit(Decision::read(ClaimDetail { claim, events }, read))
}

/// One claim of the person a page is about (their own, or a counsellor's mandated citizen by
/// mandate id) with all its events. A claim of anyone else is "not found", also when the caller
/// may see it under another mandate: a page about one citizen shows only that citizen's claims.
pub fn detail_of(
    uow: &mut UnitOfWork<'_>,
    caller: &Caller,
    whom: &Whom,
    id: &str,
) -> Result<ClaimDetail, ServiceError> {
    let (person, access) = uow.authorize_person(caller, Operation::ReadOverview, whom)?;
    let claim = claim_store::find_by_ids(uow.conn(), &[id])?
        .pop()
        .filter(|c| c.person == person)
        .ok_or(ServiceError::NotFound("deze vordering"))?;
    let read = AccessRecord::new(
        &claim.person,
        &access,
        Action::OverviewRead,
        Some(&claim.id),
    );
    let events = claim_store::events_of_claim(uow.conn(), &claim.id)?;
    let claim = records(uow.conn(), vec![claim])?.remove(0);
    uow.commit(Decision::read(ClaimDetail { claim, events }, read))
}

/// Completes stored claims with their surcharge lines and whether each is in a running
/// arrangement: two queries for all of them together.
pub fn records(
    conn: &mut DbConnection,
    claims: Vec<Claim>,
) -> Result<Vec<ClaimRecord>, ServiceError> {
    let ids: Vec<&str> = claims.iter().map(|c| c.id.as_str()).collect();
    let mut surcharges = claim_store::surcharges_of_claims(conn, &ids)?;
    let arranged = arrangements::arranged(conn, &ids)?;
    Ok(claims
        .into_iter()
        .map(|c| {
            let lines = surcharges.remove(&c.id).unwrap_or_default();
            let in_arrangement = arranged.contains_key(&c.id);
            c.into_record(lines, in_arrangement)
        })
        .collect())
}
