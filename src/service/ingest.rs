//! Receiving a batch of claim events from an agency: all or nothing, idempotent per event key.

use std::collections::{BTreeSet, HashMap};

use crate::clock::Moment;
use crate::domain::access::{Action, Actor, Role};
use crate::domain::claims::{
    ClaimEvent, KeyedEvent, LedgerError, ValidationContext, validate_batch,
};
use crate::domain::person::PersonId;
use crate::domain::validation::FieldIssue;
use crate::store::access_log::{self, Entry};
use crate::store::arrangements as arrangement_store;
use crate::store::claims::{self as claim_store, StoredClaim};
use crate::store::{self, DbConnection, creditors};

use super::{ServiceError, at_index, new_id, samenloop};

const LIST: &str = "gebeurtenissen";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IngestSummary {
    pub received: usize,
    pub processed: usize,
    pub already_processed: usize,
}

/// One event of a batch as the API read it: the event, if all of it could be read, and the
/// problems found while reading (field names relative to the event).
pub struct ReadEvent {
    pub event: Option<KeyedEvent>,
    pub issues: Vec<FieldIssue>,
}

/// Processes a batch for creditor `creditor_code`: reports every problem of every event at once
/// (those found reading it and those against the rules), skips events already stored with the
/// same content, refuses the batch if any event key was used for other content, folds the rest
/// into the claims' ledgers and stores everything in one transaction.
pub fn ingest(
    conn: &mut DbConnection,
    creditor_code: &str,
    batch: Vec<ReadEvent>,
    now: Moment,
) -> Result<IngestSummary, ServiceError> {
    let creditor = creditors::find(conn, creditor_code)?.ok_or_else(|| {
        ServiceError::Forbidden("uw organisatie staat niet in het schuldeisersregister".into())
    })?;
    let received = batch.len();
    let mut issues: Vec<(usize, FieldIssue)> = Vec::new();
    let mut events: Vec<(usize, KeyedEvent)> = Vec::with_capacity(received);
    for (index, read) in batch.into_iter().enumerate() {
        issues.extend(read.issues.into_iter().map(|p| (index, p)));
        events.extend(read.event.map(|e| (index, e)));
    }
    let ctx = ValidationContext {
        today: now.today,
        claim_type_prefix: &creditor.claim_type_prefix,
    };
    issues.extend(validate_batch(events.iter().map(|(i, e)| (*i, e)), &ctx));
    if !issues.is_empty() {
        // Reading already applied the single-field rules to every readable field; the full
        // check of complete events finds those again.
        let mut reported = std::collections::HashSet::new();
        issues.retain(|(index, issue)| reported.insert((*index, issue.field.clone(), issue.code)));
        issues.sort_by_key(|(index, _)| *index);
        return Err(ServiceError::Invalid(
            issues
                .into_iter()
                .map(|(i, issue)| at_index(LIST, i, issue))
                .collect(),
        ));
    }
    store::transaction(conn, |conn| {
        apply_batch(conn, creditor_code, &events, received, now)
    })
}

fn apply_batch(
    conn: &mut DbConnection,
    creditor: &str,
    events: &[(usize, KeyedEvent)],
    received: usize,
    now: Moment,
) -> Result<IngestSummary, ServiceError> {
    // Claims before events: a concurrent batch commits both at once, so events read after the
    // claims include every event behind a claim already seen, and a claim imposed meanwhile is
    // recognised as a replay instead of being imposed twice.
    let claim_keys: Vec<&str> = events.iter().map(|(_, e)| e.claim_key.as_str()).collect();
    let mut claims: HashMap<String, (StoredClaim, Change)> =
        claim_store::find_by_keys(conn, creditor, &claim_keys)?
            .into_iter()
            .map(|c| (c.claim_key.clone(), (c, Change::Unchanged)))
            .collect();
    let event_keys: Vec<&str> = events.iter().map(|(_, e)| e.event_key.as_str()).collect();
    let stored_hashes = claim_store::event_hashes(conn, creditor, &event_keys)?;

    let mut conflicts = Vec::new();
    let mut fresh: Vec<(usize, &KeyedEvent)> = Vec::new();
    let mut seen_in_batch = std::collections::HashSet::new();
    for (index, event) in events {
        match stored_hashes.get(&event.event_key) {
            Some(hash) if *hash == event.content_hash() => {}
            Some(_) => conflicts.push(at_index(
                LIST,
                *index,
                FieldIssue::new(
                    "gebeurteniskenmerk",
                    "al_gebruikt",
                    "is al eerder gebruikt voor een gebeurtenis met een andere inhoud",
                ),
            )),
            // A key repeated within the batch with the same content counts once.
            None if seen_in_batch.insert(event.event_key.as_str()) => fresh.push((*index, event)),
            None => {}
        }
    }
    if !conflicts.is_empty() {
        return Err(ServiceError::Conflict {
            detail:
                "Een of meer gebeurteniskenmerken zijn al gebruikt voor een andere gebeurtenis. \
                     Er is niets opgeslagen."
                    .into(),
            issues: conflicts,
        });
    }

    let mut refused = Vec::new();
    for (index, keyed) in &fresh {
        if let Err(error) = fold(&mut claims, creditor, keyed) {
            let field = match error {
                LedgerError::ExceedsOutstanding { .. } | LedgerError::TooLarge => "bedrag",
                _ => "vorderingkenmerk",
            };
            refused.push(at_index(
                LIST,
                *index,
                FieldIssue::new(
                    field,
                    "niet_verwerkbaar",
                    format!("vordering '{}': {error}", keyed.claim_key),
                ),
            ));
        }
    }
    if !refused.is_empty() {
        return Err(ServiceError::Invalid(refused));
    }

    let new_claims: Vec<&StoredClaim> = claims
        .values()
        .filter(|(_, change)| *change == Change::New)
        .map(|(claim, _)| claim)
        .collect();
    claim_store::insert_new(conn, &new_claims, now.utc)?;
    for (claim, change) in claims.values() {
        if *change == Change::Updated {
            claim_store::update_ledger(conn, claim, now.utc)?;
        }
    }
    let stored_events: Vec<(&KeyedEvent, &str)> = fresh
        .iter()
        .map(|(_, e)| (*e, claims[&e.claim_key].0.id.as_str()))
        .collect();
    claim_store::insert_events(conn, creditor, &stored_events, now.utc)?;

    let actor = Actor::organisation(Role::Organisatie, creditor);
    let log: Vec<Entry> = fresh
        .iter()
        .map(|(_, e)| {
            let claim = &claims[&e.claim_key].0;
            Entry {
                person: claim.person.clone(),
                actor: actor.clone(),
                action: Action::ClaimEventRecorded(e.event.event_type()),
                subject_id: Some(claim.id.clone()),
            }
        })
        .collect();
    access_log::record(conn, &log, now.utc)?;
    reassess_arranged(conn, &claims, now)?;

    Ok(IngestSummary {
        received,
        processed: fresh.len(),
        already_processed: received - fresh.len(),
    })
}

/// A claim event changes samenloop only for a claim in a running Betalingsregeling Rijk: once
/// paid, remitted or withdrawn it no longer collides with an attachment, and an arrangement with
/// nothing left owing no longer takes from the income. Only those claims' persons are re-checked.
fn reassess_arranged(
    conn: &mut DbConnection,
    claims: &HashMap<String, (StoredClaim, Change)>,
    now: Moment,
) -> Result<(), ServiceError> {
    let updated: Vec<&str> = claims
        .values()
        .filter(|(_, change)| *change == Change::Updated)
        .map(|(claim, _)| claim.id.as_str())
        .collect();
    let arranged = arrangement_store::arranged(conn, &updated)?;
    let persons: BTreeSet<&PersonId> = claims
        .values()
        .filter(|(claim, _)| arranged.contains(&claim.id))
        .map(|(claim, _)| &claim.person)
        .collect();
    for person in persons {
        samenloop::reassess(conn, person, now)?;
    }
    Ok(())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Change {
    Unchanged,
    New,
    Updated,
}

/// Applies one event to the claims in hand: a new claim for `VorderingOpgelegd`, otherwise a
/// ledger step on a claim stored earlier or imposed earlier in this batch.
fn fold(
    claims: &mut HashMap<String, (StoredClaim, Change)>,
    creditor: &str,
    keyed: &KeyedEvent,
) -> Result<(), LedgerError> {
    match (&keyed.event, claims.get_mut(&keyed.claim_key)) {
        (ClaimEvent::Imposed(_), Some(_)) => Err(LedgerError::AlreadyImposed),
        (ClaimEvent::Imposed(imposed), None) => {
            let claim = StoredClaim::imposed(new_id(), creditor, &keyed.claim_key, imposed);
            claims.insert(keyed.claim_key.clone(), (claim, Change::New));
            Ok(())
        }
        (_, None) => Err(LedgerError::Unknown),
        (event, Some((claim, change))) => {
            claim.ledger.apply(event)?;
            if *change == Change::Unchanged {
                *change = Change::Updated;
            }
            Ok(())
        }
    }
}
