//! What the detector reads: attachments (`beslagen`) and running arrangements, as the parties
//! registered them or the citizen or counsellor declared them.

use std::collections::BTreeSet;

use chrono::NaiveDate;

use super::text;
use crate::domain::household::HouseholdType;
use crate::domain::money::Money;

/// Who laid an attachment or is the other side of an arrangement.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum Party {
    /// A government creditor, by its registry code (`CJIB`, `DUO`, …).
    Creditor(String),
    /// A party outside the service (a bailiff for a private creditor, an energy company, …), by
    /// the name the citizen or counsellor gave. It is not in the system and gets no notifications.
    Private(String),
}

impl Party {
    pub fn creditor_code(&self) -> Option<&str> {
        match self {
            Party::Creditor(code) => Some(code),
            Party::Private(_) => None,
        }
    }

    /// Whether both name the same party. Private names are typed by hand, so case and spacing
    /// do not make a second party.
    pub fn is_same_party(&self, other: &Party) -> bool {
        match (self, other) {
            (Party::Creditor(a), Party::Creditor(b)) => a == b,
            (Party::Private(a), Party::Private(b)) => text::normalized(a) == text::normalized(b),
            _ => false,
        }
    }
}

/// An attachment of income (`beslag`). Field order is also the canonical sort order the
/// detector uses, so that equal inputs in any order give equal results.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Attachment {
    pub id: String,
    pub party: Party,
    /// Declared by the citizen or counsellor rather than registered by the party itself.
    pub self_declared: bool,
    /// The income attached (`inkomstenbron`), e.g. an employer or a benefit.
    pub income_source: String,
    /// Monthly net income of that source as the attaching party knows it.
    pub known_net_income: Option<Money>,
    /// The household type the attaching party assumed for its BVV.
    pub assumed_household: Option<HouseholdType>,
    /// Withheld per month.
    pub monthly_amount: Money,
    /// The beslagvrije voet this party applies.
    pub applied_bvv: Option<Money>,
    pub start: NaiveDate,
    /// Last day on which it runs (inclusive); `None` while open-ended.
    pub end: Option<NaiveDate>,
    /// Executorial (enforceable) rather than conservatory (protective).
    pub executorial: bool,
    /// The attaching creditor's own claim keys this attachment is for; empty when it did not
    /// say, which then counts for every claim of that creditor.
    pub claim_keys: Vec<String>,
}

impl Attachment {
    pub fn is_running(&self, today: NaiveDate) -> bool {
        runs_on(self.start, self.end, today)
    }

    /// Whether this attachment is for `claim_key` of its own creditor.
    pub fn covers_claim(&self, claim_key: &str) -> bool {
        self.claim_keys.is_empty() || self.claim_keys.iter().any(|key| key == claim_key)
    }
}

/// One claim in a Betalingsregeling Rijk.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct ArrangementClaim {
    pub creditor: String,
    pub claim_key: String,
}

#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum ArrangementKind {
    /// One Betalingsregeling Rijk covering claims of several government creditors.
    Rijk { claims: Vec<ArrangementClaim> },
    /// An arrangement with one party outside the Betalingsregeling Rijk: a private party, or a
    /// government creditor's own arrangement (e.g. with the Belastingdienst, which does not take
    /// part in the Betalingsregeling Rijk).
    SingleParty { party: Party },
}

impl ArrangementKind {
    /// The government creditors that take part, sorted and without repeats.
    pub fn creditors(&self) -> Vec<&str> {
        let creditors: BTreeSet<&str> = match self {
            ArrangementKind::Rijk { claims } => {
                claims.iter().map(|c| c.creditor.as_str()).collect()
            }
            ArrangementKind::SingleParty { party } => party.creditor_code().into_iter().collect(),
        };
        creditors.into_iter().collect()
    }

    /// The claim keys of `creditor` in this arrangement, sorted and without repeats.
    pub fn claim_keys_of(&self, creditor: &str) -> Vec<String> {
        let keys: BTreeSet<&str> = match self {
            ArrangementKind::Rijk { claims } => claims
                .iter()
                .filter(|c| c.creditor == creditor)
                .map(|c| c.claim_key.as_str())
                .collect(),
            ArrangementKind::SingleParty { .. } => BTreeSet::new(),
        };
        keys.into_iter().map(str::to_owned).collect()
    }
}

/// A payment arrangement for the person. Field order is the canonical sort order.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RunningArrangement {
    pub id: String,
    pub kind: ArrangementKind,
    pub monthly_amount: Money,
    pub start: NaiveDate,
    /// Last day on which it runs (inclusive); `None` while open-ended.
    pub end: Option<NaiveDate>,
}

impl RunningArrangement {
    pub fn is_running(&self, today: NaiveDate) -> bool {
        runs_on(self.start, self.end, today)
    }
}

fn runs_on(start: NaiveDate, end: Option<NaiveDate>, today: NaiveDate) -> bool {
    start <= today && end.is_none_or(|end| today <= end)
}

/// Input the detector cannot judge soundly. The detector itself never fails; callers check
/// input with [`validate`] where it enters the system.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InputProblem {
    #[error("een beslag of betalingsregeling heeft geen kenmerk")]
    MissingId,
    #[error("kenmerk {id} komt meer dan eens voor")]
    DuplicateId { id: String },
    #[error("{id}: de partij heeft geen code of naam")]
    MissingParty { id: String },
    #[error("{id}: een beslag door een private partij kan alleen door de burger zijn opgegeven")]
    PrivatePartyNotSelfDeclared { id: String },
    #[error("{id}: {field} mag niet negatief zijn")]
    NegativeAmount { id: String, field: &'static str },
    #[error("{id}: de einddatum ligt voor de begindatum")]
    EndsBeforeStart { id: String },
    #[error("{id}: een Betalingsregeling Rijk zonder vorderingen")]
    RijkArrangementWithoutClaims { id: String },
    #[error("{id}: een vordering in de regeling zonder schuldeiser of kenmerk")]
    IncompleteArrangementClaim { id: String },
}

/// Every problem in the input at once, so a caller can report them all together.
pub fn validate(
    attachments: &[Attachment],
    arrangements: &[RunningArrangement],
) -> Vec<InputProblem> {
    let mut problems = Vec::new();
    check_ids(attachments.iter().map(|a| a.id.as_str()), &mut problems);
    check_ids(arrangements.iter().map(|a| a.id.as_str()), &mut problems);
    for attachment in attachments {
        let id = || attachment.id.clone();
        check_party(&attachment.party, &attachment.id, &mut problems);
        if matches!(attachment.party, Party::Private(_)) && !attachment.self_declared {
            problems.push(InputProblem::PrivatePartyNotSelfDeclared { id: id() });
        }
        let amounts = [
            ("het bedrag per maand", Some(attachment.monthly_amount)),
            ("het netto-inkomen", attachment.known_net_income),
            ("de beslagvrije voet", attachment.applied_bvv),
        ];
        for (field, amount) in amounts {
            if amount.is_some_and(Money::is_negative) {
                problems.push(InputProblem::NegativeAmount { id: id(), field });
            }
        }
        if attachment.end.is_some_and(|end| end < attachment.start) {
            problems.push(InputProblem::EndsBeforeStart { id: id() });
        }
    }
    for arrangement in arrangements {
        let id = || arrangement.id.clone();
        match &arrangement.kind {
            ArrangementKind::Rijk { claims } if claims.is_empty() => {
                problems.push(InputProblem::RijkArrangementWithoutClaims { id: id() });
            }
            ArrangementKind::Rijk { claims } => {
                if claims
                    .iter()
                    .any(|c| c.creditor.trim().is_empty() || c.claim_key.trim().is_empty())
                {
                    problems.push(InputProblem::IncompleteArrangementClaim { id: id() });
                }
            }
            ArrangementKind::SingleParty { party } => {
                check_party(party, &arrangement.id, &mut problems)
            }
        }
        if arrangement.monthly_amount.is_negative() {
            problems.push(InputProblem::NegativeAmount {
                id: id(),
                field: "het bedrag per maand",
            });
        }
        if arrangement.end.is_some_and(|end| end < arrangement.start) {
            problems.push(InputProblem::EndsBeforeStart { id: id() });
        }
    }
    problems
}

fn check_ids<'a>(ids: impl Iterator<Item = &'a str>, problems: &mut Vec<InputProblem>) {
    let mut seen = BTreeSet::new();
    let mut reported = BTreeSet::new();
    for id in ids {
        if id.trim().is_empty() {
            problems.push(InputProblem::MissingId);
        } else if !seen.insert(id) && reported.insert(id) {
            problems.push(InputProblem::DuplicateId { id: id.to_owned() });
        }
    }
}

fn check_party(party: &Party, id: &str, problems: &mut Vec<InputProblem>) {
    if text::party(party).trim().is_empty() {
        problems.push(InputProblem::MissingParty { id: id.to_owned() });
    }
}
