//! A claim with its folded ledger, and applying a batch of events to the claims they concern:
//! replays skipped, reused event keys refused, every other event folded in order.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;

use super::event::{ClaimEvent, ImposedClaim, KeyedEvent};
use super::ledger::{Ledger, LedgerError};
use crate::domain::access::Action;
use crate::domain::authorization::Access;
use crate::domain::decision::{AccessRecord, Decision, Effects, Write};
use crate::domain::overview::{ClaimRecord, SurchargeLine};
use crate::domain::person::PersonId;
use crate::domain::validation::FieldIssue;

/// A claim: its identity, what it is, its ledger, and the version for optimistic
/// concurrency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub id: String,
    pub creditor_code: String,
    pub claim_key: String,
    pub person: PersonId,
    pub case_key: Option<String>,
    pub claim_type: String,
    pub description: String,
    pub imposed_on: NaiveDate,
    pub due_date: NaiveDate,
    pub ledger: Ledger,
    pub version: i64,
}

impl Claim {
    /// A claim that has just been imposed and is not stored yet.
    pub fn imposed(
        id: String,
        creditor_code: &str,
        claim_key: &str,
        claim: &ImposedClaim,
    ) -> Claim {
        Claim {
            id,
            creditor_code: creditor_code.to_owned(),
            claim_key: claim_key.to_owned(),
            person: claim.person.clone(),
            case_key: claim.case_key.clone(),
            claim_type: claim.claim_type.clone(),
            description: claim.description.clone(),
            imposed_on: claim.imposed_on,
            due_date: claim.due_date,
            ledger: Ledger::open(claim.amount),
            version: 0,
        }
    }

    pub fn into_record(self, surcharges: Vec<SurchargeLine>, in_arrangement: bool) -> ClaimRecord {
        ClaimRecord {
            id: self.id,
            creditor_code: self.creditor_code,
            claim_key: self.claim_key,
            case_key: self.case_key,
            claim_type: self.claim_type,
            description: self.description,
            imposed_on: self.imposed_on,
            due_date: self.due_date,
            ledger: self.ledger,
            surcharges,
            in_arrangement,
        }
    }
}

/// How a batch left a claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Touched {
    Unchanged,
    New,
    Updated,
}

/// What a batch of events comes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimBatch {
    pub creditor: String,
    pub new_claims: Vec<Claim>,
    /// Claims with a changed ledger, still at the version they were read at.
    pub updated_claims: Vec<Claim>,
    /// The events to store, each with the id of its claim.
    pub events: Vec<(KeyedEvent, String)>,
}

/// How many events a batch held and how many were new.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BatchSummary {
    pub received: usize,
    pub processed: usize,
    pub already_processed: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BatchError {
    /// Event keys used before for other content: nothing is stored (409).
    Reused(Vec<(usize, FieldIssue)>),
    /// Events the ledger cannot take (unknown claim, more paid than owed, …): nothing is stored.
    Refused(Vec<(usize, FieldIssue)>),
}

/// Applies `events` (with their place in the batch) of `creditor` to the claims they concern.
/// `claims` are the stored claims of the batch's claim keys, `stored_hashes` the content
/// fingerprints of its event keys already stored, `arranged` which of those claims are in a
/// running arrangement. An event stored before with the same content is a replay and skipped; a
/// key repeated within the batch counts once. Only a claim in a running arrangement changes
/// samenloop (paid, remitted or withdrawn, it no longer collides with an attachment), so only
/// those persons are re-evaluated.
#[allow(clippy::too_many_arguments)]
pub fn apply_batch(
    access: &Access,
    creditor: &str,
    events: &[(usize, &KeyedEvent)],
    received: usize,
    claims: Vec<Claim>,
    stored_hashes: &HashMap<String, String>,
    arranged: &HashSet<String>,
    mut new_id: impl FnMut() -> String,
) -> Result<Decision<BatchSummary>, BatchError> {
    // Sized for the whole batch up front: a batch of 1000 would otherwise rehash its keys often.
    let mut claims: HashMap<String, (Claim, Touched)> = {
        let mut by_key = HashMap::with_capacity(claims.len() + events.len());
        by_key.extend(
            claims
                .into_iter()
                .map(|c| (c.claim_key.clone(), (c, Touched::Unchanged))),
        );
        by_key
    };
    let mut reused = Vec::new();
    let mut fresh: Vec<(usize, &KeyedEvent)> = Vec::with_capacity(events.len());
    let mut seen = HashSet::with_capacity(events.len());
    for (index, event) in events {
        match stored_hashes.get(&event.event_key) {
            Some(hash) if *hash == event.content_hash() => {}
            Some(_) => reused.push((
                *index,
                FieldIssue::new(
                    "gebeurteniskenmerk",
                    "al_gebruikt",
                    "is al eerder gebruikt voor een gebeurtenis met een andere inhoud",
                ),
            )),
            None if seen.insert(event.event_key.as_str()) => fresh.push((*index, *event)),
            None => {}
        }
    }
    if !reused.is_empty() {
        return Err(BatchError::Reused(reused));
    }
    let mut refused = Vec::new();
    for (index, keyed) in &fresh {
        if let Err(error) = fold(&mut claims, creditor, keyed, &mut new_id) {
            let field = match error {
                LedgerError::ExceedsOutstanding { .. } | LedgerError::TooLarge => "bedrag",
                _ => "vorderingkenmerk",
            };
            refused.push((
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
        return Err(BatchError::Refused(refused));
    }

    let mut effects = Effects::default();
    for (_, keyed) in &fresh {
        let claim = &claims[&keyed.claim_key].0;
        effects.access.push(AccessRecord::new(
            &claim.person,
            access,
            Action::ClaimEventRecorded(keyed.event.event_type()),
            Some(&claim.id),
        ));
    }
    let events = fresh
        .iter()
        .map(|(_, e)| ((*e).clone(), claims[&e.claim_key].0.id.clone()))
        .collect();
    let mut batch = ClaimBatch {
        creditor: creditor.to_owned(),
        new_claims: Vec::new(),
        updated_claims: Vec::new(),
        events,
    };
    for (claim, touched) in claims.into_values() {
        match touched {
            Touched::Unchanged => {}
            Touched::New => batch.new_claims.push(claim),
            Touched::Updated => {
                if arranged.contains(&claim.id) {
                    effects.circumstances_changed.insert(claim.person.clone());
                }
                batch.updated_claims.push(claim);
            }
        }
    }
    Ok(Decision {
        value: BatchSummary {
            received,
            processed: fresh.len(),
            already_processed: received - fresh.len(),
        },
        writes: vec![Write::ClaimBatch(batch)],
        effects,
    })
}

/// Applies one event to the claims in hand: a new claim for `VorderingOpgelegd`, otherwise a
/// ledger step on a claim stored earlier or imposed earlier in this batch.
fn fold(
    claims: &mut HashMap<String, (Claim, Touched)>,
    creditor: &str,
    keyed: &KeyedEvent,
    new_id: &mut impl FnMut() -> String,
) -> Result<(), LedgerError> {
    match (&keyed.event, claims.get_mut(&keyed.claim_key)) {
        (ClaimEvent::Imposed(_), Some(_)) => Err(LedgerError::AlreadyImposed),
        (ClaimEvent::Imposed(imposed), None) => {
            let claim = Claim::imposed(new_id(), creditor, &keyed.claim_key, imposed);
            claims.insert(keyed.claim_key.clone(), (claim, Touched::New));
            Ok(())
        }
        (_, None) => Err(LedgerError::Unknown),
        (event, Some((claim, touched))) => {
            claim.ledger.apply(event)?;
            if *touched == Touched::Unchanged {
                *touched = Touched::Updated;
            }
            Ok(())
        }
    }
}
