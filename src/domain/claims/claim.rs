//! A claim with its folded ledger, and applying a batch of events to the claims they concern:
//! replays skipped, reused event keys refused, every other event folded in order.

use std::collections::{HashMap, HashSet};

use chrono::{NaiveDate, NaiveDateTime};

use super::event::{ClaimEvent, ImposedClaim, KeyedEvent};
use super::ledger::{Ledger, LedgerError};
use crate::domain::access::Action;
use crate::domain::arrangement::ArrangedIn;
use crate::domain::authorization::Access;
use crate::domain::decision::{AccessRecord, Decision, Effects, Write};
use crate::domain::money::Money;
use crate::domain::notification::{self, Notification};
use crate::domain::overview::{ClaimRecord, SurchargeLine};
use crate::domain::person::PersonId;
use crate::domain::text;
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

/// A payment that may be booked back: on which claim, dated when, what of it is not booked back
/// yet, and when it was recorded (`None`: in the batch at hand).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReversiblePayment {
    pub claim_id: String,
    pub date: NaiveDate,
    pub left: Money,
    pub recorded_at: Option<NaiveDateTime>,
}

/// Applies `events` (with their place in the batch) of `creditor` to the claims they concern.
/// `claims` are the stored claims of the batch's claim keys, `stored_hashes` the content
/// fingerprints of its event keys already stored, `payments` the stored payments the batch books
/// back, by event key, `arranged` which of those claims (by id) are in a running arrangement. An
/// event stored before with the same content is a replay and skipped; a key repeated within the
/// batch counts once. Only a claim in a running arrangement changes
/// samenloop (paid, remitted or withdrawn, it no longer collides with an attachment), so only
/// those persons are re-evaluated; and its arrangement's coordinator is told of a surcharge,
/// payment booked back, remission or withdrawal on it ([`told_to_coordinators`]).
#[allow(clippy::too_many_arguments)]
pub fn apply_batch(
    access: &Access,
    creditor: &str,
    events: &[(usize, &KeyedEvent)],
    received: usize,
    claims: Vec<Claim>,
    stored_hashes: &HashMap<String, String>,
    mut payments: HashMap<String, ReversiblePayment>,
    arranged: &HashMap<String, ArrangedIn>,
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
    // The ledgers, before this batch, of the claims in another creditor's arrangement.
    let before: HashMap<String, Ledger> = claims
        .values()
        .filter(|(claim, _)| {
            arranged
                .get(&claim.id)
                .is_some_and(|a| a.coordinator != creditor)
        })
        .map(|(claim, _)| (claim.id.clone(), claim.ledger.clone()))
        .collect();
    let mut refused = Vec::new();
    for (index, keyed) in &fresh {
        if let Err(error) = fold(&mut claims, &mut payments, creditor, keyed, &mut new_id) {
            let field = match error {
                LedgerError::ExceedsOutstanding { .. }
                | LedgerError::ExceedsPaid { .. }
                | LedgerError::ExceedsPayment { .. }
                | LedgerError::TooLarge => "bedrag",
                LedgerError::BeforeImposed { .. } | LedgerError::BeforePayment { .. } => "datum",
                LedgerError::UnknownPayment => "betalingskenmerk",
                _ => "vorderingkenmerk",
            };
            // Named by the claim, as the agency keys it; its free text could hold a BSN, which
            // no problem repeats.
            refused.push((
                *index,
                FieldIssue::new(
                    field,
                    "niet_verwerkbaar",
                    format!(
                        "vordering '{}': {error}",
                        text::without_long_numbers(&keyed.claim_key)
                    ),
                ),
            ));
        }
    }
    if !refused.is_empty() {
        return Err(BatchError::Refused(refused));
    }

    let mut effects = Effects {
        notifications: told_to_coordinators(&fresh, &claims, arranged, &before, &payments),
        ..Effects::default()
    };
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
                if arranged.contains_key(&claim.id) {
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

/// A batch of new claims only, as in a bulk load, decided without the stored claims and events
/// of its keys: when every claim the batch touches is imposed in the batch itself, it is decided
/// as if none of its keys were stored. When that succeeds, every claim key and event key it holds
/// is written as new, so if any of them was stored before, the unique keys refuse the write and
/// the batch must be decided again on what is stored (`apply_batch`). `None` when the batch
/// touches a claim it does not impose, or is refused on nothing stored (it may be a replay).
pub fn apply_batch_of_new_claims(
    access: &Access,
    creditor: &str,
    events: &[(usize, &KeyedEvent)],
    received: usize,
    new_id: impl FnMut() -> String,
) -> Option<Decision<BatchSummary>> {
    if !imposes_every_claim_it_touches(events) {
        return None;
    }
    apply_batch(
        access,
        creditor,
        events,
        received,
        Vec::new(),
        &HashMap::new(),
        HashMap::new(),
        &HashMap::new(),
        new_id,
    )
    .ok()
}

/// What a batch did to a claim in a running arrangement beside payments, for its coordinator:
/// raised, a payment booked back (one the arrangement counted, or one recorded before it
/// started, which its schedule took as paid), remitted, or withdrawn with what was still open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArrangedClaimChange {
    Raised { amount: Money, date: NaiveDate },
    PaymentReversed { amount: Money, date: NaiveDate },
    PaymentBeforeStartReversed { amount: Money, date: NaiveDate },
    Remitted { amount: Money, date: NaiveDate },
    Withdrawn { open: Money, date: NaiveDate },
}

/// The coordinator of a running Betalingsregeling Rijk collects by a schedule planned on its
/// claims' balances at the start, which nothing changes by itself (docs/choices.md). So when
/// another creditor raises, remits or withdraws one of those claims, or books a payment on it
/// back, the coordinator is told:
/// once per claim and batch. `before` holds the ledgers, before the batch, of the claims in
/// another creditor's arrangement; replaying the batch's events on them in order gives what was
/// open when a claim was withdrawn. A payment is what the schedule expects; a withdrawal of a
/// claim with nothing open changes nothing.
fn told_to_coordinators(
    fresh: &[(usize, &KeyedEvent)],
    claims: &HashMap<String, (Claim, Touched)>,
    arranged: &HashMap<String, ArrangedIn>,
    before: &HashMap<String, Ledger>,
    payments: &HashMap<String, ReversiblePayment>,
) -> Vec<Notification> {
    let mut changed: Vec<(&Claim, Ledger, Vec<ArrangedClaimChange>)> = Vec::new();
    let mut place: HashMap<&str, usize> = HashMap::new();
    for (_, keyed) in fresh {
        let claim = &claims[&keyed.claim_key].0;
        let Some(start) = before.get(&claim.id) else {
            continue;
        };
        let at = *place.entry(&claim.id).or_insert_with(|| {
            changed.push((claim, start.clone(), Vec::new()));
            changed.len() - 1
        });
        let (_, ledger, changes) = &mut changed[at];
        let open = ledger.outstanding();
        changes.extend(match &keyed.event {
            ClaimEvent::Surcharge { amount, date, .. } => Some(ArrangedClaimChange::Raised {
                amount: *amount,
                date: *date,
            }),
            ClaimEvent::Remission { amount, date } => Some(ArrangedClaimChange::Remitted {
                amount: *amount,
                date: *date,
            }),
            ClaimEvent::PaymentReversal {
                payment_key,
                amount,
                date,
                ..
            } => {
                let started = arranged[&claim.id].started_at;
                let counted = payments
                    .get(payment_key)
                    .and_then(|p| p.recorded_at)
                    .is_none_or(|at| at > started);
                let (amount, date) = (*amount, *date);
                Some(if counted {
                    ArrangedClaimChange::PaymentReversed { amount, date }
                } else {
                    ArrangedClaimChange::PaymentBeforeStartReversed { amount, date }
                })
            }
            ClaimEvent::Withdrawal { date, .. } if open > Money::ZERO => {
                Some(ArrangedClaimChange::Withdrawn { open, date: *date })
            }
            _ => None,
        });
        // `fold` applied this event to this ledger in this order already, so it applies again.
        ledger.apply(&keyed.event).ok();
    }
    changed
        .into_iter()
        .filter(|(_, _, changes)| !changes.is_empty())
        .map(|(claim, _, changes)| {
            notification::arranged_claim_changed(&arranged[&claim.id], claim, &changes)
        })
        .collect()
}

fn imposes_every_claim_it_touches(events: &[(usize, &KeyedEvent)]) -> bool {
    let imposed: HashSet<&str> = events
        .iter()
        .filter(|(_, e)| matches!(e.event, ClaimEvent::Imposed(_)))
        .map(|(_, e)| e.claim_key.as_str())
        .collect();
    events
        .iter()
        .all(|(_, e)| imposed.contains(e.claim_key.as_str()))
}

/// Applies one event to the claims in hand: a new claim for `VorderingOpgelegd`, otherwise a
/// ledger step on a claim stored earlier or imposed earlier in this batch. A payment booked back
/// must be one on that claim (stored, or earlier in this batch), dated on or after it, and at
/// most what of it is not booked back yet.
fn fold(
    claims: &mut HashMap<String, (Claim, Touched)>,
    payments: &mut HashMap<String, ReversiblePayment>,
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
            // Nothing happens to a claim before it exists; a saldo-opgave dated in between
            // would otherwise count a payment or surcharge on a claim it does not hold.
            if let Some(date) = event.date()
                && date < claim.imposed_on
            {
                return Err(LedgerError::BeforeImposed {
                    date,
                    imposed_on: claim.imposed_on,
                });
            }
            // Refused as withdrawn before any check of the payment it names.
            claim.ledger.check_takes_events()?;
            match event {
                ClaimEvent::PaymentReversal {
                    payment_key,
                    amount,
                    date,
                    ..
                } => {
                    let payment = payments
                        .get_mut(payment_key)
                        .filter(|p| p.claim_id == claim.id)
                        .ok_or(LedgerError::UnknownPayment)?;
                    if *date < payment.date {
                        return Err(LedgerError::BeforePayment {
                            date: *date,
                            paid_on: payment.date,
                        });
                    }
                    if *amount > payment.left {
                        return Err(LedgerError::ExceedsPayment {
                            amount: *amount,
                            left: payment.left,
                        });
                    }
                    claim.ledger.apply(event)?;
                    payment.left -= *amount;
                }
                ClaimEvent::Payment { amount, date } => {
                    claim.ledger.apply(event)?;
                    payments.insert(
                        keyed.event_key.clone(),
                        ReversiblePayment {
                            claim_id: claim.id.clone(),
                            date: *date,
                            left: *amount,
                            recorded_at: None,
                        },
                    );
                }
                _ => claim.ledger.apply(event)?,
            }
            if *touched == Touched::Unchanged {
                *touched = Touched::Updated;
            }
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::super::event::SurchargeCategory;
    use super::*;
    use crate::domain::access::{Actor, Role};
    use crate::domain::notification::{Melding, Recipient};

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 2, d).unwrap()
    }

    /// Event `n` of a batch: a claim imposed or a payment on one, each with its own event key.
    fn event(n: usize, imposes: bool, claim: u8, cents: i64) -> KeyedEvent {
        let amount = Money::from_cents(cents);
        KeyedEvent {
            event_key: format!("E{n}"),
            claim_key: format!("V{claim}"),
            event: if imposes {
                ClaimEvent::Imposed(ImposedClaim {
                    case_key: None,
                    person: PersonId::from_stored(format!("p{claim}")),
                    claim_type: "cjib_boete".into(),
                    description: "Verkeersboete".into(),
                    amount,
                    imposed_on: day(1),
                    due_date: day(28),
                })
            } else {
                ClaimEvent::Payment {
                    amount,
                    date: day(2),
                }
            },
        }
    }

    fn indexed(events: &[KeyedEvent]) -> Vec<(usize, &KeyedEvent)> {
        events.iter().enumerate().collect()
    }

    fn decide_on_nothing_stored(events: &[KeyedEvent]) -> Option<ClaimBatch> {
        let access = Access {
            actor: Actor::organisation(Role::Organisatie, "CJIB"),
            mandate_id: None,
        };
        let mut ids = 0..;
        let decision =
            apply_batch_of_new_claims(&access, "CJIB", &indexed(events), events.len(), || {
                format!("id-{}", ids.next().unwrap())
            })?;
        match decision.writes.into_iter().next() {
            Some(Write::ClaimBatch(batch)) => Some(batch),
            other => panic!("a batch decides one claim batch, not {other:?}"),
        }
    }

    #[test]
    fn nothing_is_dated_before_its_claim_was_imposed() {
        let mut early = event(1, false, 1, 200);
        early.event = ClaimEvent::Payment {
            amount: Money::from_cents(200),
            date: day(1).pred_opt().unwrap(),
        };
        assert!(decide_on_nothing_stored(&[event(0, true, 1, 500), early]).is_none());
        let mut claims = HashMap::new();
        let mut ids = 0..;
        let mut new_id = || format!("id-{}", ids.next().unwrap());
        fold(
            &mut claims,
            &mut HashMap::new(),
            "CJIB",
            &event(0, true, 1, 500),
            &mut new_id,
        )
        .unwrap();
        let mut early = event(1, false, 1, 200);
        early.event = ClaimEvent::Surcharge {
            category: SurchargeCategory::Rente,
            amount: Money::from_cents(200),
            date: NaiveDate::from_ymd_opt(2026, 1, 31).unwrap(),
            description: "Rente".into(),
        };
        assert_eq!(
            fold(
                &mut claims,
                &mut HashMap::new(),
                "CJIB",
                &early,
                &mut new_id
            ),
            Err(LedgerError::BeforeImposed {
                date: NaiveDate::from_ymd_opt(2026, 1, 31).unwrap(),
                imposed_on: day(1),
            })
        );
        assert_eq!(
            claims["V1"].0.ledger.surcharges,
            Money::ZERO,
            "refused, not applied"
        );
        fold(
            &mut claims,
            &mut HashMap::new(),
            "CJIB",
            &event(2, false, 1, 200),
            &mut new_id,
        )
        .expect("a payment after it was imposed");
    }

    /// A payment booked back of `cents` on claim `claim`, naming payment `payment`, on `date`.
    fn booked_back(n: usize, claim: u8, payment: &str, cents: i64, date: NaiveDate) -> KeyedEvent {
        KeyedEvent {
            event_key: format!("R{n}"),
            claim_key: format!("V{claim}"),
            event: ClaimEvent::PaymentReversal {
                payment_key: payment.into(),
                amount: Money::from_cents(cents),
                date,
                reason: "Incasso gestorneerd".into(),
            },
        }
    }

    #[test]
    fn a_payment_is_booked_back_on_its_own_claim_from_its_day_and_up_to_what_is_left_of_it() {
        let mut claims = HashMap::new();
        let mut payments = HashMap::new();
        let mut ids = 0..;
        let mut new_id = || format!("id-{}", ids.next().unwrap());
        let mut fold_one =
            |e: &KeyedEvent| fold(&mut claims, &mut payments, "CJIB", e, &mut new_id);
        // V1 and V2 of 500.00; 100.00 paid on V1 on 2 February (E2).
        for e in [
            event(0, true, 1, 50_000),
            event(1, true, 2, 50_000),
            event(2, false, 1, 10_000),
        ] {
            fold_one(&e).unwrap();
        }
        assert_eq!(
            fold_one(&booked_back(0, 1, "E9", 100, day(3))),
            Err(LedgerError::UnknownPayment)
        );
        assert_eq!(
            fold_one(&booked_back(1, 2, "E2", 100, day(3))),
            Err(LedgerError::UnknownPayment),
            "another claim's payment"
        );
        assert_eq!(
            fold_one(&booked_back(2, 1, "E0", 100, day(3))),
            Err(LedgerError::UnknownPayment),
            "not a payment"
        );
        assert_eq!(
            fold_one(&booked_back(3, 1, "E2", 100, day(1))),
            Err(LedgerError::BeforePayment {
                date: day(1),
                paid_on: day(2)
            })
        );
        fold_one(&booked_back(4, 1, "E2", 6_000, day(2))).unwrap();
        assert_eq!(
            fold_one(&booked_back(5, 1, "E2", 4_001, day(3))),
            Err(LedgerError::ExceedsPayment {
                amount: Money::from_cents(4_001),
                left: Money::from_cents(4_000)
            })
        );
        fold_one(&booked_back(6, 1, "E2", 4_000, day(3))).unwrap();
        let v1 = &claims["V1"].0.ledger;
        assert_eq!(
            (v1.paid, v1.outstanding()),
            (Money::ZERO, Money::from_cents(50_000))
        );
    }

    /// DUO's stored claims V1 (500.00, in CJIB's arrangement R1) and V2 (700.00, in none), and
    /// what a batch of `events` from `creditor` on them tells whom.
    fn told_about_arranged_claims(creditor: &str, events: &[KeyedEvent]) -> Vec<Notification> {
        let mut claims = HashMap::new();
        let mut ids = 0..;
        let mut new_id = || format!("id-{}", ids.next().unwrap());
        for imposed in [event(0, true, 1, 50_000), event(1, true, 2, 70_000)] {
            fold(
                &mut claims,
                &mut HashMap::new(),
                creditor,
                &imposed,
                &mut new_id,
            )
            .unwrap();
        }
        let stored: Vec<Claim> = claims.into_values().map(|(c, _)| c).collect();
        let v1 = stored
            .iter()
            .find(|c| c.claim_key == "V1")
            .unwrap()
            .id
            .clone();
        let arranged = HashMap::from([(
            v1,
            ArrangedIn {
                arrangement_id: "R1".into(),
                coordinator: "CJIB".into(),
                started_at: day(1).and_hms_opt(9, 0, 0).unwrap(),
            },
        )]);
        let access = Access {
            actor: Actor::organisation(Role::Organisatie, creditor),
            mandate_id: None,
        };
        let decision = apply_batch(
            &access,
            creditor,
            &indexed(events),
            events.len(),
            stored,
            &HashMap::new(),
            HashMap::new(),
            &arranged,
            new_id,
        )
        .unwrap();
        decision.effects.notifications
    }

    fn on_claim(n: usize, claim: u8, event: ClaimEvent) -> KeyedEvent {
        KeyedEvent {
            event_key: format!("E{n}"),
            claim_key: format!("V{claim}"),
            event,
        }
    }

    fn the_notice(told: &[Notification]) -> &notification::RegelingVorderingGewijzigd {
        match told {
            [
                Notification {
                    message: Melding::RegelingVorderingGewijzigd(notice),
                    ..
                },
            ] => notice,
            other => panic!("one notice, not {other:?}"),
        }
    }

    fn surcharge(n: usize, cents: i64) -> KeyedEvent {
        on_claim(
            n,
            1,
            ClaimEvent::Surcharge {
                category: SurchargeCategory::Rente,
                amount: Money::from_cents(cents),
                date: day(4),
                description: "Rente".into(),
            },
        )
    }

    fn withdrawal(n: usize, claim: u8) -> KeyedEvent {
        on_claim(
            n,
            claim,
            ClaimEvent::Withdrawal {
                date: day(5),
                reason: "Vergissing".into(),
            },
        )
    }

    #[test]
    fn the_coordinator_hears_of_a_surcharge_remission_or_withdrawal_on_an_arranged_claim() {
        let remission = ClaimEvent::Remission {
            amount: Money::from_cents(5_000),
            date: day(3),
        };
        let batch = [
            event(10, false, 1, 10_000),
            on_claim(11, 1, remission),
            withdrawal(12, 2),
            surcharge(13, 1_250),
            surcharge(14, 750),
        ];
        let told = told_about_arranged_claims("DUO", &batch);
        assert_eq!(told[0].recipient, Recipient::Creditor("CJIB".into()));
        assert_eq!(told[0].subject_id, "R1");
        let notice = the_notice(&told);
        assert_eq!(notice.schuldeiser, "DUO");
        let kinds: Vec<(&str, Money, u32)> = notice
            .wijzigingen
            .iter()
            .map(|w| (w.soort.as_str(), w.bedrag, w.aantal))
            .collect();
        assert_eq!(
            kinds,
            [
                ("KWIJTSCHELDING", Money::from_cents(5_000), 1),
                ("OPHOGING", Money::from_cents(2_000), 2)
            ],
            "per kind; not the payment, which the schedule expects, nor V2, in no arrangement"
        );
        assert_eq!(
            notice.toelichting,
            "DUO heeft een vordering in de Betalingsregeling Rijk die u coördineert gewijzigd: een \
             kwijtschelding van € 50,00 op 3 februari 2026 en 2 ophogingen van samen € 20,00, de \
             laatste op 4 februari 2026. Het schema van de regeling, en daarmee het aandeel van \
             DUO, verandert daardoor niet vanzelf: de burger of diens schuldhulpverlener kan de \
             regeling beëindigen en een nieuw voorstel laten maken."
        );

        // 500.00, less 100.00 paid in the same batch: 400.00 was open when it was withdrawn.
        let withdrawn =
            told_about_arranged_claims("DUO", &[event(20, false, 1, 10_000), withdrawal(21, 1)]);
        let only = &the_notice(&withdrawn).wijzigingen[0];
        assert_eq!(
            (only.soort.as_str(), only.bedrag),
            ("INTREKKING", Money::from_cents(40_000))
        );

        let paid_off =
            told_about_arranged_claims("DUO", &[event(30, false, 1, 50_000), withdrawal(31, 1)]);
        assert!(paid_off.is_empty(), "nothing was open: {paid_off:?}");
        let own = told_about_arranged_claims("CJIB", &[withdrawal(40, 1)]);
        assert!(
            own.is_empty(),
            "a coordinator knows its own changes: {own:?}"
        );
    }

    #[test]
    fn a_batch_that_pays_on_a_claim_it_does_not_impose_needs_the_stored_claims() {
        let new_claims = [event(0, true, 1, 500), event(1, true, 2, 700)];
        assert!(imposes_every_claim_it_touches(&indexed(&new_claims)));
        let paid_after = [event(0, true, 1, 500), event(1, false, 1, 200)];
        assert!(imposes_every_claim_it_touches(&indexed(&paid_after)));
        let paid_elsewhere = [event(0, true, 1, 500), event(1, false, 2, 200)];
        assert!(!imposes_every_claim_it_touches(&indexed(&paid_elsewhere)));
    }

    proptest! {
        /// What makes skipping the lookups safe: a batch that imposes every claim it touches,
        /// decided on nothing stored, either is refused or writes every one of its claim keys
        /// as a new claim and every one of its event keys as a new event, so a key stored
        /// before cannot slip past the unique keys.
        #[test]
        fn a_batch_imposing_its_claims_writes_every_key_it_holds_as_new(
            steps in proptest::collection::vec((any::<bool>(), 0u8..4, 1i64..100_000), 1..30)
        ) {
            let events: Vec<KeyedEvent> = steps
                .iter()
                .enumerate()
                .map(|(n, (imposes, claim, cents))| event(n, *imposes, *claim, *cents))
                .collect();
            prop_assume!(imposes_every_claim_it_touches(&indexed(&events)));
            if let Some(batch) = decide_on_nothing_stored(&events) {
                let claim_keys: HashSet<&str> =
                    events.iter().map(|e| e.claim_key.as_str()).collect();
                let new_claims: HashSet<&str> =
                    batch.new_claims.iter().map(|c| c.claim_key.as_str()).collect();
                prop_assert_eq!(new_claims, claim_keys);
                prop_assert!(batch.updated_claims.is_empty());
                let event_keys: Vec<&str> = events.iter().map(|e| e.event_key.as_str()).collect();
                let written: Vec<&str> =
                    batch.events.iter().map(|(e, _)| e.event_key.as_str()).collect();
                prop_assert_eq!(written, event_keys);
            }
        }
    }
}
