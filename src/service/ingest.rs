//! Receiving a batch of claim events from an agency: all or nothing, idempotent per event key.

use std::collections::HashMap;

use crate::domain::authorization::{Access, Operation};
use crate::domain::caller::Caller;
use crate::domain::claims::{
    BatchError, BatchSummary, ClaimEvent, KeyedEvent, ValidationContext, apply_batch,
    apply_batch_of_new_claims, validate_batch,
};
use crate::domain::decision::Decision;
use crate::domain::validation::FieldIssue;
use crate::store::{arrangements, claims as claim_store, creditors as creditor_store};

use super::unit_of_work::UnitOfWork;
use super::{ServiceError, at_index};

const LIST: &str = "gebeurtenissen";

/// One event of a batch as the API read it: the event, if all of it could be read, and the
/// problems found while reading (field names relative to the event).
#[derive(Debug, Clone)]
pub struct ReadEvent {
    pub event: Option<KeyedEvent>,
    pub issues: Vec<FieldIssue>,
}

fn listed(issues: Vec<(usize, FieldIssue)>) -> Vec<FieldIssue> {
    issues
        .into_iter()
        .map(|(i, issue)| at_index(LIST, i, issue))
        .collect()
}

/// Processes a batch of the caller's events: reports every problem of every event at once
/// (those found reading it and those against the rules), skips events already stored with the
/// same content, refuses the batch if any event key was used for other content, and folds the
/// rest into the claims' ledgers, all in the unit of work's one transaction.
pub fn ingest(
    uow: &mut UnitOfWork<'_>,
    caller: &Caller,
    batch: &[ReadEvent],
) -> Result<BatchSummary, ServiceError> {
    let access = uow.authorize(caller, Operation::PostClaimEvents)?;
    let not_a_creditor =
        || ServiceError::Forbidden("Alleen voor organisaties (schuldeisers).".into());
    let code = caller.creditor().ok_or_else(not_a_creditor)?.to_owned();
    // The prefix as stored, not as this instance last loaded the registry: a batch decided on a
    // prefix changed meanwhile (on another instance, or while it waited) would store claims a
    // creditor can never send again. The change waits for this batch, and sees its claims.
    uow.share_registers()?;
    let claim_type_prefix =
        creditor_store::claim_type_prefix(uow.conn(), &code)?.ok_or_else(not_a_creditor)?;
    let mut issues: Vec<(usize, FieldIssue)> = Vec::new();
    let mut events: Vec<(usize, &KeyedEvent)> = Vec::with_capacity(batch.len());
    for (index, read) in batch.iter().enumerate() {
        issues.extend(read.issues.iter().cloned().map(|p| (index, p)));
        events.extend(read.event.as_ref().map(|e| (index, e)));
    }
    let ctx = ValidationContext {
        today: uow.now.today,
        claim_type_prefix: &claim_type_prefix,
    };
    issues.extend(validate_batch(events.iter().copied(), &ctx));
    if !issues.is_empty() {
        // Reading already applied the single-field rules to every readable field; the full
        // check of complete events finds those again.
        let mut reported = std::collections::HashSet::new();
        issues.retain(|(index, issue)| reported.insert((*index, issue.field.clone(), issue.code)));
        issues.sort_by_key(|(index, _)| *index);
        return Err(ServiceError::Invalid(listed(issues)));
    }
    // New claims only, as in a bulk load: decided first without looking anything up. A key
    // stored before then makes the write fail on its unique key, the unit of work rolls back,
    // and its next attempt decides on what is stored.
    let on_nothing_stored = if uow.first_attempt {
        apply_batch_of_new_claims(&access, &code, &events, batch.len(), || uow.new_id())
    } else {
        None
    };
    let decision = match on_nothing_stored {
        Some(decision) => decision,
        None => decide_on_stored(uow, &access, &code, &events, batch.len())?,
    };
    uow.commit(decision)
}

/// Decides the batch on the stored claims and events of its keys.
fn decide_on_stored(
    uow: &mut UnitOfWork<'_>,
    access: &Access,
    creditor: &str,
    events: &[(usize, &KeyedEvent)],
    received: usize,
) -> Result<Decision<BatchSummary>, ServiceError> {
    // Claims before events: a concurrent batch commits both at once, so events read after the
    // claims include every event behind a claim already seen, and a claim imposed meanwhile is
    // recognised as a replay instead of being imposed twice.
    let claim_keys: Vec<&str> = events.iter().map(|(_, e)| e.claim_key.as_str()).collect();
    let claims = claim_store::find_by_keys(uow.conn(), creditor, &claim_keys)?;
    let event_keys: Vec<&str> = events.iter().map(|(_, e)| e.event_key.as_str()).collect();
    let stored_hashes = claim_store::event_hashes(uow.conn(), creditor, &event_keys)?;
    let ids: Vec<&str> = claims.iter().map(|c| c.id.as_str()).collect();
    let arranged = arrangements::arranged(uow.conn(), &ids)?;
    // Only a batch that books payments back looks them up.
    let booked_back: Vec<&str> = events
        .iter()
        .filter_map(|(_, e)| match &e.event {
            ClaimEvent::PaymentReversal { payment_key, .. } => Some(payment_key.as_str()),
            _ => None,
        })
        .collect();
    let payments = if booked_back.is_empty() {
        HashMap::new()
    } else {
        claim_store::reversible_payments(uow.conn(), creditor, &booked_back)?
    };
    apply_batch(
        access,
        creditor,
        events,
        received,
        claims,
        &stored_hashes,
        payments,
        &arranged,
        || uow.new_id(),
    )
    .map_err(|error| match error {
        BatchError::Reused(issues) => ServiceError::Conflict {
            detail:
                "Een of meer gebeurteniskenmerken zijn al gebruikt voor een andere gebeurtenis. \
                     Er is niets opgeslagen."
                    .into(),
            issues: listed(issues),
        },
        BatchError::Refused(issues) => ServiceError::Invalid(listed(issues)),
    })
}
