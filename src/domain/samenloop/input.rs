//! What the detector reads: attachments (`beslagen`) and running arrangements, as the parties
//! registered them or the citizen or counsellor declared them.

use std::collections::BTreeSet;

use chrono::NaiveDate;

use super::text;
use crate::domain::attachment::runs_on;
use crate::domain::creditor::Creditor;
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

    /// Whether this is a private party whose name, as typed, is `creditor`'s code or registered
    /// name (case and spacing aside): perhaps that creditor, declared by hand.
    pub fn spells_creditor(&self, creditor: &Creditor) -> bool {
        match self {
            Party::Private(name) => {
                let name = text::normalized(name);
                name == text::normalized(&creditor.code) || name == text::normalized(&creditor.name)
            }
            Party::Creditor(_) => false,
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

/// A creditor's claim in a Betalingsregeling Rijk, by the creditor's own key.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct CreditorClaim {
    pub creditor: String,
    pub claim_key: String,
}

#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum ArrangementKind {
    /// One Betalingsregeling Rijk covering claims of several government creditors, and the
    /// collector coordinating it (§5.2), who collects the instalment and pays out the shares.
    /// Evaluations kept before the coordinator was recorded have none.
    Rijk {
        claims: Vec<CreditorClaim>,
        #[serde(default)]
        coordinator: Option<String>,
    },
    /// An arrangement with one party outside the Betalingsregeling Rijk: a private party, or a
    /// government creditor's own arrangement (e.g. with the Belastingdienst, which does not take
    /// part in the Betalingsregeling Rijk).
    SingleParty { party: Party },
}

impl ArrangementKind {
    /// The government creditors that take part, sorted and without repeats.
    pub fn creditors(&self) -> Vec<&str> {
        let creditors: BTreeSet<&str> = match self {
            ArrangementKind::Rijk { claims, .. } => {
                claims.iter().map(|c| c.creditor.as_str()).collect()
            }
            ArrangementKind::SingleParty { party } => party.creditor_code().into_iter().collect(),
        };
        creditors.into_iter().collect()
    }

    /// The collector coordinating a Betalingsregeling Rijk.
    pub fn coordinator(&self) -> Option<&str> {
        match self {
            ArrangementKind::Rijk { coordinator, .. } => coordinator.as_deref(),
            ArrangementKind::SingleParty { .. } => None,
        }
    }

    /// The claim keys of `creditor` in this arrangement, sorted and without repeats.
    pub fn claim_keys_of(&self, creditor: &str) -> Vec<String> {
        let keys: BTreeSet<&str> = match self {
            ArrangementKind::Rijk { claims, .. } => claims
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
    /// From this day it is in force: its creditors pause their collection of its claims.
    pub start: NaiveDate,
    /// Last day on which it runs (inclusive); `None` while open-ended.
    pub end: Option<NaiveDate>,
    /// The first day it takes from the income: a Betalingsregeling Rijk's first due date (it is
    /// accepted before), a declared arrangement's start.
    pub deducts_from: NaiveDate,
}

impl RunningArrangement {
    /// A Betalingsregeling Rijk as samenloop sees it, from its claims with what is still owed
    /// on each. A claim paid, remitted or withdrawn cannot collide with an attachment, so only
    /// the open ones are kept; once none is left the arrangement takes nothing more from the
    /// income, even before anyone ends it, so it is not running: `None`. Nor does it take more
    /// in a month than is still owed on its claims (its last month, or a payment booked back on
    /// an arrangement paid off): that, not its instalment, is then the deduction.
    pub fn rijk(
        id: String,
        claims: Vec<(CreditorClaim, Money)>,
        monthly_amount: Money,
        (start, first_due): (NaiveDate, NaiveDate),
        coordinator: String,
    ) -> Option<RunningArrangement> {
        let open: Vec<(CreditorClaim, Money)> = claims
            .into_iter()
            .filter(|(_, outstanding)| outstanding.is_positive())
            .collect();
        if open.is_empty() {
            return None;
        }
        let owed: Money = open.iter().map(|(_, outstanding)| *outstanding).sum();
        let open = open.into_iter().map(|(claim, _)| claim).collect();
        Some(RunningArrangement {
            id,
            kind: ArrangementKind::Rijk {
                claims: open,
                coordinator: Some(coordinator),
            },
            monthly_amount: monthly_amount.min(owed),
            start,
            end: None,
            deducts_from: first_due,
        })
    }

    pub fn is_running(&self, today: NaiveDate) -> bool {
        runs_on(self.start, self.end, today)
    }

    /// Whether it takes its monthly amount from the income on `day`: what samenloop adds up
    /// against the norm. A Betalingsregeling Rijk accepted today with its first due date next
    /// month takes nothing yet, so an attachment ending before then never meets it.
    pub fn deducts_on(&self, day: NaiveDate) -> bool {
        runs_on(self.deducts_from, self.end, day)
    }
}
