//! Claim events, modelled on the FCID of the Vorderingenoverzicht Rijk: immutable facts; a
//! correction is a new event.

use chrono::{NaiveDate, NaiveDateTime};
use sha2::{Digest, Sha256};

use crate::domain::digest::lower_hex;
use crate::domain::money::Money;
use crate::domain::person::PersonId;
use crate::domain::validation::{FieldIssue, check_text};

/// Most events one request may carry. Large enough for bulk delivery (a million events is a
/// thousand requests), small enough that one all-or-nothing transaction stays short.
pub const MAX_BATCH_SIZE: usize = 1000;

const MAX_KEY_LENGTH: usize = 100;
const MAX_TEXT_LENGTH: usize = 500;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Phase {
    Inning,
    Aanmaning,
    Dwangbevel,
    Beslag,
}

impl Phase {
    pub const ALL: [Phase; 4] = [
        Phase::Inning,
        Phase::Aanmaning,
        Phase::Dwangbevel,
        Phase::Beslag,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Phase::Inning => "INNING",
            Phase::Aanmaning => "AANMANING",
            Phase::Dwangbevel => "DWANGBEVEL",
            Phase::Beslag => "BESLAG",
        }
    }

    pub fn from_code(code: &str) -> Option<Phase> {
        Phase::ALL.into_iter().find(|p| p.code() == code)
    }

    /// As a text names it.
    pub fn in_words(self) -> &'static str {
        match self {
            Phase::Inning => "betaling gevraagd",
            Phase::Aanmaning => "aanmaning",
            Phase::Dwangbevel => "dwangbevel",
            Phase::Beslag => "beslag",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SurchargeCategory {
    Verhoging,
    Rente,
    Administratiekosten,
    Invorderingskosten,
}

impl SurchargeCategory {
    pub const ALL: [SurchargeCategory; 4] = [
        SurchargeCategory::Verhoging,
        SurchargeCategory::Rente,
        SurchargeCategory::Administratiekosten,
        SurchargeCategory::Invorderingskosten,
    ];

    pub fn code(self) -> &'static str {
        match self {
            SurchargeCategory::Verhoging => "VERHOGING",
            SurchargeCategory::Rente => "RENTE",
            SurchargeCategory::Administratiekosten => "ADMINISTRATIEKOSTEN",
            SurchargeCategory::Invorderingskosten => "INVORDERINGSKOSTEN",
        }
    }

    pub fn from_code(code: &str) -> Option<SurchargeCategory> {
        SurchargeCategory::ALL
            .into_iter()
            .find(|c| c.code() == code)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImposedClaim {
    pub case_key: Option<String>,
    pub person: PersonId,
    pub claim_type: String,
    pub description: String,
    pub amount: Money,
    pub imposed_on: NaiveDate,
    pub due_date: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClaimEvent {
    Imposed(ImposedClaim),
    Surcharge {
        category: SurchargeCategory,
        amount: Money,
        date: NaiveDate,
        description: String,
    },
    Payment {
        amount: Money,
        date: NaiveDate,
    },
    /// A payment booked back: returned to the payer (a direct debit reversed by their bank, a
    /// transfer refused) or booked on the wrong claim. The payment stays recorded; this undoes
    /// (part of) it, named by its event key.
    PaymentReversal {
        payment_key: String,
        amount: Money,
        date: NaiveDate,
        reason: String,
    },
    Remission {
        amount: Money,
        date: NaiveDate,
    },
    Withdrawal {
        date: NaiveDate,
        reason: String,
    },
    PhaseChange {
        phase: Phase,
        disputed: bool,
    },
}

/// The event types of the contract, by their API name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventType {
    VorderingOpgelegd,
    OphogingOpgelegd,
    BetalingVerwerkt,
    BetalingTeruggeboekt,
    VorderingKwijtgescholden,
    VorderingIngetrokken,
    FaseGewijzigd,
}

impl EventType {
    pub const ALL: [EventType; 7] = [
        EventType::VorderingOpgelegd,
        EventType::OphogingOpgelegd,
        EventType::BetalingVerwerkt,
        EventType::BetalingTeruggeboekt,
        EventType::VorderingKwijtgescholden,
        EventType::VorderingIngetrokken,
        EventType::FaseGewijzigd,
    ];

    pub fn code(self) -> &'static str {
        match self {
            EventType::VorderingOpgelegd => "VorderingOpgelegd",
            EventType::OphogingOpgelegd => "OphogingOpgelegd",
            EventType::BetalingVerwerkt => "BetalingVerwerkt",
            EventType::BetalingTeruggeboekt => "BetalingTeruggeboekt",
            EventType::VorderingKwijtgescholden => "VorderingKwijtgescholden",
            EventType::VorderingIngetrokken => "VorderingIngetrokken",
            EventType::FaseGewijzigd => "FaseGewijzigd",
        }
    }

    pub fn from_code(code: &str) -> Option<EventType> {
        EventType::ALL.into_iter().find(|t| t.code() == code)
    }

    /// Whether an event of this type raises what is owed by its amount (`Some(true)`: a
    /// surcharge, a payment booked back), lowers it (`Some(false)`: a payment, a remission), or
    /// moves no balance by an amount (`None`: the imposition starts it, a withdrawal ends it, a
    /// phase has none).
    pub fn raises_balance(self) -> Option<bool> {
        match self {
            EventType::OphogingOpgelegd | EventType::BetalingTeruggeboekt => Some(true),
            EventType::BetalingVerwerkt | EventType::VorderingKwijtgescholden => Some(false),
            EventType::VorderingOpgelegd
            | EventType::VorderingIngetrokken
            | EventType::FaseGewijzigd => None,
        }
    }
}

impl ClaimEvent {
    pub fn event_type(&self) -> EventType {
        match self {
            ClaimEvent::Imposed(_) => EventType::VorderingOpgelegd,
            ClaimEvent::Surcharge { .. } => EventType::OphogingOpgelegd,
            ClaimEvent::Payment { .. } => EventType::BetalingVerwerkt,
            ClaimEvent::PaymentReversal { .. } => EventType::BetalingTeruggeboekt,
            ClaimEvent::Remission { .. } => EventType::VorderingKwijtgescholden,
            ClaimEvent::Withdrawal { .. } => EventType::VorderingIngetrokken,
            ClaimEvent::PhaseChange { .. } => EventType::FaseGewijzigd,
        }
    }

    pub fn amount(&self) -> Option<Money> {
        match self {
            ClaimEvent::Imposed(claim) => Some(claim.amount),
            ClaimEvent::Surcharge { amount, .. }
            | ClaimEvent::Payment { amount, .. }
            | ClaimEvent::PaymentReversal { amount, .. }
            | ClaimEvent::Remission { amount, .. } => Some(*amount),
            ClaimEvent::Withdrawal { .. } | ClaimEvent::PhaseChange { .. } => None,
        }
    }

    pub fn date(&self) -> Option<NaiveDate> {
        match self {
            ClaimEvent::Imposed(claim) => Some(claim.imposed_on),
            ClaimEvent::Surcharge { date, .. }
            | ClaimEvent::Payment { date, .. }
            | ClaimEvent::PaymentReversal { date, .. }
            | ClaimEvent::Remission { date, .. }
            | ClaimEvent::Withdrawal { date, .. } => Some(*date),
            ClaimEvent::PhaseChange { .. } => None,
        }
    }
}

/// An event with the creditor's keys: `event_key` (gebeurteniskenmerk) identifies the event,
/// `claim_key` (vorderingkenmerk) the claim, both unique within the creditor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyedEvent {
    pub event_key: String,
    pub claim_key: String,
    pub event: ClaimEvent,
}

impl KeyedEvent {
    /// A fingerprint of everything the event says. Replaying an event with the same key and the
    /// same fingerprint is a no-op; the same key with another fingerprint is a conflict. Built by
    /// hand, field by field, so that it never changes with a refactoring of the types.
    pub fn content_hash(&self) -> String {
        let mut hash = FieldHash::default();
        hash.text(self.event.event_type().code());
        hash.text(&self.claim_key);
        match &self.event {
            ClaimEvent::Imposed(c) => {
                hash.text(c.case_key.as_deref().unwrap_or_default());
                hash.text(c.person.as_str());
                hash.text(&c.claim_type);
                hash.text(&c.description);
                hash.shown(&c.amount);
                hash.shown(&c.imposed_on);
                hash.shown(&c.due_date);
            }
            ClaimEvent::Surcharge {
                category,
                amount,
                date,
                description,
            } => {
                hash.text(category.code());
                hash.shown(amount);
                hash.shown(date);
                hash.text(description);
            }
            ClaimEvent::Payment { amount, date } | ClaimEvent::Remission { amount, date } => {
                hash.shown(amount);
                hash.shown(date);
            }
            ClaimEvent::Withdrawal { date, reason } => {
                hash.shown(date);
                hash.text(reason);
            }
            ClaimEvent::PaymentReversal {
                payment_key,
                amount,
                date,
                reason,
            } => {
                hash.text(payment_key);
                hash.shown(amount);
                hash.shown(date);
                hash.text(reason);
            }
            ClaimEvent::PhaseChange { phase, disputed } => {
                hash.text(phase.code());
                hash.shown(disputed);
            }
        }
        hash.finish()
    }
}

/// Length-prefixed, so that no two different field lists hash alike.
fn add_field(sha: &mut Sha256, text: &str) {
    sha.update((text.len() as u64).to_be_bytes());
    sha.update(text.as_bytes());
}

/// SHA-256 over a list of fields, each as text.
#[derive(Default)]
struct FieldHash {
    sha: Sha256,
    /// Reused for the text of each non-text field, so that hashing allocates once.
    scratch: String,
}

impl FieldHash {
    fn text(&mut self, text: &str) {
        add_field(&mut self.sha, text);
    }

    /// A field as its `Display` text (amounts as `12.50`, dates as `2026-03-01`).
    fn shown(&mut self, value: &impl std::fmt::Display) {
        use std::fmt::Write;
        self.scratch.clear();
        write!(self.scratch, "{value}").unwrap_or_else(|_| unreachable!("writing to a String"));
        add_field(&mut self.sha, &self.scratch);
    }

    fn finish(self) -> String {
        lower_hex(&self.sha.finalize().into())
    }
}

/// What validation needs to know beyond the events themselves.
#[derive(Debug, Clone)]
pub struct ValidationContext<'a> {
    pub today: NaiveDate,
    /// The posting creditor's claim-type prefix, e.g. `cjib`.
    pub claim_type_prefix: &'a str,
}

/// A key (gebeurteniskenmerk, vorderingkenmerk, zaakkenmerk): not blank, at most 100 characters,
/// and no space that makes it another key while it reads the same: none at either end, none but
/// the plain space inside (a key from a system that pads or writes a non-breaking space would
/// otherwise open the same debt twice). Keys are compared as sent, capitals included.
pub fn check_key(field: &str, key: &str) -> Option<FieldIssue> {
    check_text(field, key, MAX_KEY_LENGTH).or_else(|| {
        let padded = key.trim() != key;
        let other_space = key.chars().any(|c| c.is_whitespace() && c != ' ');
        (padded || other_space).then(|| {
            FieldIssue::new(
                field,
                "spaties",
                "mag niet met een spatie beginnen of eindigen, en geen andere spaties bevatten \
                 dan de gewone: een kenmerk dat er hetzelfde uitziet, is anders een ander kenmerk",
            )
        })
    })
}

/// A description or reason: not blank, at most 500 characters.
pub fn check_description(field: &str, text: &str) -> Option<FieldIssue> {
    check_text(field, text, MAX_TEXT_LENGTH)
}

/// Every amount in an event is positive: a correction is an event of another type.
pub fn check_amount(field: &str, amount: Money) -> Option<FieldIssue> {
    (!amount.is_positive())
        .then(|| FieldIssue::new(field, "niet_positief", "moet meer dan € 0,00 zijn"))
}

/// Events report what happened, so their dates are not in the future.
pub fn check_not_future(field: &str, date: NaiveDate, today: NaiveDate) -> Option<FieldIssue> {
    (date > today).then(|| FieldIssue::new(field, "in_toekomst", "mag niet in de toekomst liggen"))
}

/// A claim type is `<org>_<omschrijving>` in lower case, digits and underscores (FCID).
pub fn check_claim_type_format(claim_type: &str) -> Option<FieldIssue> {
    let well_formed = claim_type.len() <= MAX_KEY_LENGTH
        && claim_type.split('_').count() >= 2
        && claim_type.split('_').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        });
    (!well_formed).then(|| {
        FieldIssue::new(
            "vorderingtype",
            "ongeldig_formaat",
            "moet de vorm <organisatie>_<omschrijving> hebben, in kleine letters, cijfers en liggende streepjes",
        )
    })
}

/// Checks every rule an event must satisfy on its own. Issues name fields relative to the event.
fn validate_event(event: &KeyedEvent, ctx: &ValidationContext<'_>) -> Vec<FieldIssue> {
    let mut issues = Vec::new();
    issues.extend(check_key("gebeurteniskenmerk", &event.event_key));
    issues.extend(check_key("vorderingkenmerk", &event.claim_key));
    if let Some(amount) = event.event.amount() {
        issues.extend(check_amount("bedrag", amount));
    }
    if let Some(date) = event.event.date() {
        let field = match event.event {
            ClaimEvent::Imposed(_) => "opgelegdOp",
            _ => "datum",
        };
        issues.extend(check_not_future(field, date, ctx.today));
    }
    match &event.event {
        ClaimEvent::Imposed(claim) => {
            if let Some(case_key) = &claim.case_key {
                issues.extend(check_key("zaakkenmerk", case_key));
            }
            issues.extend(check_claim_type(&claim.claim_type, ctx.claim_type_prefix));
            issues.extend(check_description("omschrijving", &claim.description));
            if claim.due_date < claim.imposed_on {
                issues.push(FieldIssue::new(
                    "vervaldatum",
                    "voor_opleggen",
                    "mag niet vóór opgelegdOp liggen",
                ));
            }
        }
        ClaimEvent::Surcharge { description, .. } => {
            issues.extend(check_description("omschrijving", description));
        }
        ClaimEvent::Withdrawal { reason, .. } => {
            issues.extend(check_description("reden", reason));
        }
        ClaimEvent::PaymentReversal {
            payment_key,
            reason,
            ..
        } => {
            issues.extend(check_key("betalingskenmerk", payment_key));
            issues.extend(check_description("reden", reason));
        }
        ClaimEvent::Payment { .. }
        | ClaimEvent::Remission { .. }
        | ClaimEvent::PhaseChange { .. } => {}
    }
    issues
}

/// Validates a whole batch: every event on its own, and no event key used twice for different
/// content within the batch. Events come with their place in the batch, which the issues carry.
pub fn validate_batch<'a>(
    events: impl IntoIterator<Item = (usize, &'a KeyedEvent)>,
    ctx: &ValidationContext<'_>,
) -> Vec<(usize, FieldIssue)> {
    let mut issues = Vec::new();
    let events = events.into_iter();
    let mut seen: std::collections::HashMap<&str, (usize, &KeyedEvent)> =
        std::collections::HashMap::with_capacity(events.size_hint().0);
    for (index, event) in events {
        issues.extend(validate_event(event, ctx).into_iter().map(|i| (index, i)));
        match seen.get(event.event_key.as_str()) {
            // Only a repeated key needs the fingerprints.
            Some((first, first_event))
                if first_event.content_hash() != event.content_hash() =>
            {
                issues.push((
                    index,
                    FieldIssue::new(
                        "gebeurteniskenmerk",
                        "dubbel_in_bericht",
                        format!(
                            "is in dit bericht al gebruikt voor een andere gebeurtenis (nummer {first})"
                        ),
                    ),
                ))
            }
            Some(_) => {}
            None => {
                seen.insert(&event.event_key, (index, event));
            }
        }
    }
    issues
}

/// The claim type is well formed and carries the posting creditor's own prefix, so no creditor
/// can file claims under another's name.
fn check_claim_type(claim_type: &str, prefix: &str) -> Option<FieldIssue> {
    if let Some(issue) = check_claim_type_format(claim_type) {
        return Some(issue);
    }
    let own = claim_type.split('_').next() == Some(prefix);
    (!own).then(|| {
        FieldIssue::new(
            "vorderingtype",
            "ander_voorvoegsel",
            format!("moet beginnen met het voorvoegsel van uw organisatie: {prefix}_"),
        )
    })
}

/// A change a creditor made to the balance of one of its claims, with its event key and when the
/// service recorded it: what an arrangement reads of its claims since it started.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedChange {
    pub claim_id: String,
    pub event_key: String,
    pub recorded_at: NaiveDateTime,
    pub change: BalanceChange,
}

/// How an event moves a claim's balance (see [`super::Ledger::apply`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BalanceChange {
    Payment(Money),
    /// (Part of) the payment with event key `payment` booked back: it is owed again.
    PaymentReversal {
        amount: Money,
        payment: String,
    },
    Surcharge(Money),
    Remission(Money),
    /// Nothing is owed on the claim any more.
    Withdrawal,
}

impl BalanceChange {
    /// The events that move a claim's balance after it was imposed.
    pub const EVENTS: [EventType; 5] = [
        EventType::BetalingVerwerkt,
        EventType::BetalingTeruggeboekt,
        EventType::OphogingOpgelegd,
        EventType::VorderingKwijtgescholden,
        EventType::VorderingIngetrokken,
    ];

    /// How an event of type `event` with `amount` moves the balance (a payment booked back names
    /// the payment it `reverses`); `None` for an event that does not, or one that lacks what it
    /// moves it by.
    pub fn of(
        event: EventType,
        amount: Option<Money>,
        reverses: Option<String>,
    ) -> Option<BalanceChange> {
        match (event, amount) {
            (EventType::BetalingVerwerkt, Some(a)) => Some(BalanceChange::Payment(a)),
            (EventType::BetalingTeruggeboekt, Some(amount)) => {
                Some(BalanceChange::PaymentReversal {
                    amount,
                    payment: reverses?,
                })
            }
            (EventType::OphogingOpgelegd, Some(a)) => Some(BalanceChange::Surcharge(a)),
            (EventType::VorderingKwijtgescholden, Some(a)) => Some(BalanceChange::Remission(a)),
            (EventType::VorderingIngetrokken, _) => Some(BalanceChange::Withdrawal),
            _ => None,
        }
    }
}

/// An event as the creditor can read it back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedEvent {
    pub event_key: String,
    pub event_type: EventType,
    pub amount: Option<Money>,
    pub date: Option<NaiveDate>,
    pub category: Option<SurchargeCategory>,
    pub description: Option<String>,
    pub phase: Option<Phase>,
    pub disputed: Option<bool>,
    /// The event key of the payment a `BetalingTeruggeboekt` books back.
    pub reverses: Option<String>,
    pub received_at: NaiveDateTime,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_key_that_reads_as_another_by_its_spaces_is_refused() {
        for padded in [
            " DUO-A",
            "DUO-A ",
            "DUO\u{a0}A",
            "DUO-A\u{a0}",
            "DUO\u{2007}A",
        ] {
            let issue = check_key("vorderingkenmerk", padded).expect(padded);
            assert_eq!(issue.code, "spaties", "{padded:?}");
        }
        for fine in ["DUO-A", "duo-a", "Zaak 12 / 2026"] {
            assert_eq!(check_key("vorderingkenmerk", fine), None, "{fine:?}");
        }
    }

    #[test]
    fn exactly_the_balance_events_move_a_balance_and_need_their_amount_but_a_withdrawal() {
        let amount = Some(Money::from_cents(1000));
        let payment = || Some("B-1".to_owned());
        for event in EventType::ALL {
            assert_eq!(
                BalanceChange::of(event, amount, payment()).is_some(),
                BalanceChange::EVENTS.contains(&event),
                "{event:?}"
            );
        }
        assert_eq!(
            BalanceChange::of(EventType::BetalingVerwerkt, None, None),
            None
        );
        assert_eq!(
            BalanceChange::of(EventType::BetalingTeruggeboekt, amount, None),
            None,
            "a payment booked back names the payment"
        );
        assert_eq!(
            BalanceChange::of(EventType::VorderingIngetrokken, None, None),
            Some(BalanceChange::Withdrawal)
        );
    }

    fn ctx() -> ValidationContext<'static> {
        ValidationContext {
            today: date(2026, 3, 1),
            claim_type_prefix: "cjib",
        }
    }

    fn imposed(claim_type: &str, amount: &str) -> KeyedEvent {
        KeyedEvent {
            event_key: "E1".into(),
            claim_key: "V1".into(),
            event: ClaimEvent::Imposed(ImposedClaim {
                case_key: None,
                person: PersonId::from_stored("p".into()),
                claim_type: claim_type.into(),
                description: "Verkeersboete".into(),
                amount: Money::parse(amount).unwrap(),
                imposed_on: date(2026, 2, 1),
                due_date: date(2026, 3, 1),
            }),
        }
    }

    fn indexed(events: &[KeyedEvent]) -> impl Iterator<Item = (usize, &KeyedEvent)> {
        events.iter().enumerate()
    }

    fn fields(issues: &[(usize, FieldIssue)]) -> Vec<(usize, &str)> {
        issues.iter().map(|(i, f)| (*i, f.field.as_str())).collect()
    }

    #[test]
    fn a_well_formed_claim_passes() {
        assert!(
            validate_batch(indexed(&[imposed("cjib_wahv_boete", "100.00")]), &ctx()).is_empty()
        );
    }

    #[test]
    fn claim_type_must_carry_the_posting_creditors_own_prefix() {
        let issues = validate_batch(indexed(&[imposed("duo_studieschuld", "1.00")]), &ctx());
        assert_eq!(issues[0].1.code, "ander_voorvoegsel");
        for bad in ["cjib", "CJIB_boete", "cjib__boete", "cjib-boete"] {
            let issues = validate_batch(indexed(&[imposed(bad, "1.00")]), &ctx());
            assert_eq!(issues[0].1.code, "ongeldig_formaat", "{bad}");
        }
    }

    #[test]
    fn amounts_must_be_positive_and_dates_not_in_the_future() {
        let mut zero = imposed("cjib_boete", "0.00");
        if let ClaimEvent::Imposed(c) = &mut zero.event {
            c.imposed_on = date(2026, 3, 2);
            c.due_date = date(2026, 3, 1);
        }
        let issues = validate_batch(indexed(&[zero]), &ctx());
        assert_eq!(
            fields(&issues),
            [(0, "bedrag"), (0, "opgelegdOp"), (0, "vervaldatum")]
        );
    }

    #[test]
    fn the_same_event_key_twice_in_one_batch_is_fine_only_for_the_same_content() {
        let a = imposed("cjib_boete", "10.00");
        assert!(validate_batch(indexed(&[a.clone(), a.clone()]), &ctx()).is_empty());
        let b = imposed("cjib_boete", "11.00");
        let issues = validate_batch(indexed(&[a, b]), &ctx());
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].0, 1);
        assert_eq!(issues[0].1.code, "dubbel_in_bericht");
    }

    /// Stored events keep the hash they were stored with: a replay must still match it.
    #[test]
    fn content_hash_of_each_event_type_stays_what_was_stored() {
        let keyed = |event| KeyedEvent {
            event_key: "E1".into(),
            claim_key: "V1".into(),
            event,
        };
        let hashes: Vec<String> = [
            imposed("cjib_boete", "10.00").event,
            ClaimEvent::Surcharge {
                category: SurchargeCategory::Verhoging,
                amount: Money::parse("2.50").unwrap(),
                date: date(2026, 2, 3),
                description: "Aanmaning".into(),
            },
            ClaimEvent::Payment {
                amount: Money::parse("1.00").unwrap(),
                date: date(2026, 2, 4),
            },
            ClaimEvent::Remission {
                amount: Money::parse("1.00").unwrap(),
                date: date(2026, 2, 4),
            },
            ClaimEvent::Withdrawal {
                date: date(2026, 2, 5),
                reason: "Bezwaar gegrond".into(),
            },
            ClaimEvent::PhaseChange {
                phase: Phase::Aanmaning,
                disputed: true,
            },
        ]
        .into_iter()
        .map(|event| keyed(event).content_hash())
        .collect();
        assert_eq!(
            hashes,
            [
                "544e4c64377f55169fbcb41aa3fe7c425f0d838db0b04fb3e26c068990bda381",
                "a5ca52969980893b4ea50752dda6ceac9b5cf369d176385ed477aad7362a779a",
                "cee710d58fe2c4594dbb308deadd7770cec432f39148769cc37b8ca300e066a9",
                "0f885d0c5a0f452b0c3fed764985a4baa58874a932ba642b4520efe43fae2cb7",
                "4b0faa161c6ec92c285704ba81d020b3962295a460a6b36194b72b6b1196a1dd",
                "6ef11da228d093c613b001588c265be26d5e337e227d05226ac38dd61463db8d",
            ]
        );
    }

    #[test]
    fn content_hash_changes_with_any_field_and_not_without() {
        let a = imposed("cjib_boete", "10.00");
        assert_eq!(a.content_hash(), a.clone().content_hash());
        assert_ne!(
            a.content_hash(),
            imposed("cjib_boete", "10.01").content_hash()
        );
        let mut other_person = a.clone();
        if let ClaimEvent::Imposed(c) = &mut other_person.event {
            c.person = PersonId::from_stored("q".into());
        }
        assert_ne!(a.content_hash(), other_person.content_hash());
    }
}
