//! The Vorderingenoverzicht Rijk: all of a person's government claims in one place, grouped by
//! creditor, with totals and an honest statement of what may be missing.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::caller::Caller;
use super::claims::{ClaimStatus, Ledger, SurchargeCategory};
use super::creditor::{Contact, Creditor};
use super::money::Money;
use super::planner::{CandidateClaim, first_due_after, participation, select};
use super::schuldhulptraject::Trajectory;
use super::text::{counted, euro};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SurchargeLine {
    pub category: SurchargeCategory,
    pub amount: Money,
    pub date: NaiveDate,
    pub description: String,
}

/// One claim as stored, with its surcharges.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimRecord {
    pub id: String,
    pub creditor_code: String,
    pub claim_key: String,
    pub case_key: Option<String>,
    pub claim_type: String,
    pub description: String,
    pub imposed_on: NaiveDate,
    pub due_date: NaiveDate,
    pub ledger: Ledger,
    pub surcharges: Vec<SurchargeLine>,
    pub in_arrangement: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreditorSection {
    pub creditor: Creditor,
    pub connected: bool,
    pub total_outstanding: Money,
    pub claims: Vec<ClaimRecord>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completeness {
    pub connected: Vec<Creditor>,
    pub not_connected: Vec<Creditor>,
    pub explanation: String,
}

impl Completeness {
    pub fn is_complete(&self) -> bool {
        self.not_connected.is_empty()
    }
}

/// A running Betalingsregeling Rijk, as the overview shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArrangementSummary {
    pub id: String,
    pub instalment: Money,
    pub term_months: u32,
    pub first_due: NaiveDate,
    pub last_due: NaiveDate,
    pub coordinator: String,
    pub creditors: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overview {
    pub prepared_on: NaiveDate,
    pub total_outstanding: Money,
    pub open_claims: usize,
    pub sections: Vec<CreditorSection>,
    pub arrangements: Vec<ArrangementSummary>,
    pub completeness: Completeness,
    pub summary: String,
}

impl Overview {
    /// Whether asking for a Betalingsregeling Rijk can lead anywhere: some claim would go into
    /// one as the planner selects them (owed, not disputed, not in a running arrangement, its
    /// creditor taking part by the first due date). Else the overview does not invite it.
    fn has_claims_to_arrange(&self) -> bool {
        let candidates: Vec<CandidateClaim> = self
            .sections
            .iter()
            .flat_map(|s| s.claims.iter().map(CandidateClaim::from))
            .collect();
        !select(
            &candidates,
            &participation(self.sections.iter().map(|s| &s.creditor)),
            first_due_after(self.prepared_on),
        )
        .eligible
        .is_empty()
    }

    /// Whether the overview invites a Betalingsregeling Rijk: a claim could go into one, and the
    /// person is not in the schuldsanering, where none can be made beside it (art. 299 lid 2 Fw).
    pub fn invites_arrangement(&self, trajectory: Option<&Trajectory>) -> bool {
        self.has_claims_to_arrange() && !trajectory.is_some_and(Trajectory::is_schuldsanering)
    }
}

impl From<&ClaimRecord> for CandidateClaim {
    fn from(c: &ClaimRecord) -> CandidateClaim {
        CandidateClaim {
            claim_id: c.id.clone(),
            claim_key: c.claim_key.clone(),
            creditor: c.creditor_code.clone(),
            outstanding: c.ledger.outstanding(),
            due_date: c.due_date,
            disputed: c.ledger.disputed,
            in_running_arrangement: c.in_arrangement,
        }
    }
}

/// Whom the overview's summary speaks to: the person, or their counsellor about a client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Addressee {
    Person,
    Counsellor,
}

impl Addressee {
    pub fn of(caller: &Caller) -> Addressee {
        match caller {
            Caller::Counsellor { .. } => Addressee::Counsellor,
            _ => Addressee::Person,
        }
    }

    /// The text for this reader: to the person, or to their counsellor about the client.
    pub fn say(self, person: &'static str, counsellor: &'static str) -> &'static str {
        match self {
            Addressee::Person => person,
            Addressee::Counsellor => counsellor,
        }
    }
}

/// What the overview never covers, said every time so an absence is never read as "nothing owed".
/// Worded for the person and for their counsellor alike.
pub const SCOPE_NOTE: &str = "Dit overzicht toont alleen vorderingen van overheidsorganisaties \
die in het register staan. Schulden bij bijvoorbeeld de gemeente, de zorgverzekeraar, de \
energieleverancier of de verhuurder staan er niet in.";

pub fn build(
    creditors: &[Creditor],
    claims: Vec<ClaimRecord>,
    arrangements: Vec<ArrangementSummary>,
    today: NaiveDate,
    addressee: Addressee,
) -> Overview {
    let mut by_creditor: BTreeMap<String, Vec<ClaimRecord>> = BTreeMap::new();
    for claim in claims {
        by_creditor
            .entry(claim.creditor_code.clone())
            .or_default()
            .push(claim);
    }
    let mut sections: Vec<CreditorSection> = by_creditor
        .into_iter()
        .map(|(code, claims)| section(creditor_or_placeholder(creditors, &code), claims, today))
        .collect();
    sections.sort_by(|a, b| {
        b.total_outstanding
            .cmp(&a.total_outstanding)
            .then_with(|| a.creditor.name.cmp(&b.creditor.name))
    });

    let total_outstanding = sections.iter().map(|s| s.total_outstanding).sum();
    let open_claims = sections
        .iter()
        .flat_map(|s| &s.claims)
        .filter(|c| c.ledger.status() == ClaimStatus::Open)
        .count();
    let completeness = completeness(creditors, today);
    let summary = summary(
        total_outstanding,
        open_claims,
        &arrangements,
        &completeness,
        addressee,
    );
    Overview {
        prepared_on: today,
        total_outstanding,
        open_claims,
        sections,
        arrangements,
        completeness,
        summary,
    }
}

fn creditor_or_placeholder(creditors: &[Creditor], code: &str) -> Creditor {
    creditors
        .iter()
        .find(|c| c.code == code)
        .cloned()
        .unwrap_or_else(|| Creditor {
            code: code.to_owned(),
            name: code.to_owned(),
            claim_type_prefix: String::new(),
            brr_from: None,
            connected_from: None,
            contact: Contact::default(),
            preference_rank: None,
        })
}

fn section(creditor: Creditor, mut claims: Vec<ClaimRecord>, today: NaiveDate) -> CreditorSection {
    // Open claims first, the one due longest ago on top; then settled and withdrawn ones, newest
    // first, as history.
    let rank = |c: &ClaimRecord| match c.ledger.status() {
        ClaimStatus::Open => 0,
        ClaimStatus::Settled => 1,
        ClaimStatus::Withdrawn => 2,
    };
    claims.sort_by(|a, b| {
        rank(a).cmp(&rank(b)).then_with(|| {
            if rank(a) == 0 {
                a.due_date.cmp(&b.due_date)
            } else {
                b.imposed_on.cmp(&a.imposed_on)
            }
            .then_with(|| a.claim_key.cmp(&b.claim_key))
        })
    });
    for claim in &mut claims {
        claim.surcharges.sort_by_key(|line| line.date);
    }
    CreditorSection {
        connected: creditor.is_connected(today),
        total_outstanding: claims.iter().map(|c| c.ledger.outstanding()).sum(),
        creditor,
        claims,
    }
}

fn completeness(creditors: &[Creditor], today: NaiveDate) -> Completeness {
    let (connected, not_connected): (Vec<Creditor>, Vec<Creditor>) = creditors
        .iter()
        .cloned()
        .partition(|c| c.is_connected(today));
    let explanation = if not_connected.is_empty() {
        format!(
            "Alle {} schuldeisers in het register leveren hun vorderingen aan. {SCOPE_NOTE}",
            connected.len()
        )
    } else {
        let names: Vec<&str> = not_connected.iter().map(|c| c.name.as_str()).collect();
        format!(
            "Nog niet aangesloten: {}. Vorderingen van deze organisaties kunnen in dit overzicht \
             ontbreken; neem bij twijfel contact met hen op. {SCOPE_NOTE}",
            names.join(", ")
        )
    };
    Completeness {
        connected,
        not_connected,
        explanation,
    }
}

fn summary(
    total: Money,
    open_claims: usize,
    arrangements: &[ArrangementSummary],
    completeness: &Completeness,
    addressee: Addressee,
) -> String {
    let caveat = if completeness.is_complete() {
        ""
    } else {
        " Let op: niet alle schuldeisers zijn aangesloten, dus dit overzicht is misschien niet \
         compleet."
    };
    let (has, name) = match addressee {
        Addressee::Person => ("U heeft", "uw naam"),
        Addressee::Counsellor => ("Uw cliënt heeft", "naam van uw cliënt"),
    };
    let owed = match open_claims {
        0 => format!("Bij de aangesloten schuldeisers staat niets open op {name}."),
        n => format!(
            "{has} {}, in totaal {}.",
            counted(n as u64, "openstaande vordering", "openstaande vorderingen"),
            euro(total)
        ),
    };
    let arranged = match arrangements {
        [] => String::new(),
        [one] => format!(
            " Er loopt een Betalingsregeling Rijk van {} per maand.",
            euro(one.instalment)
        ),
        many => format!(" Er lopen {} betalingsregelingen.", many.len()),
    };
    format!("{owed}{arranged}{caveat}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::claims::ClaimEvent;
    use crate::domain::testing::{d, m};

    fn creditor(code: &str, name: &str, connected: bool) -> Creditor {
        Creditor {
            code: code.into(),
            name: name.into(),
            claim_type_prefix: code.to_lowercase(),
            brr_from: None,
            connected_from: connected.then(|| d(2026, 1, 1)),
            contact: Contact::default(),
            preference_rank: None,
        }
    }

    fn claim(creditor: &str, key: &str, amount: &str, due: NaiveDate) -> ClaimRecord {
        ClaimRecord {
            id: format!("id-{key}"),
            creditor_code: creditor.into(),
            claim_key: key.into(),
            case_key: None,
            claim_type: format!("{}_x", creditor.to_lowercase()),
            description: "x".into(),
            imposed_on: d(2026, 1, 1),
            due_date: due,
            ledger: Ledger::open(m(amount)),
            surcharges: vec![],
            in_arrangement: false,
        }
    }

    #[test]
    fn groups_by_creditor_largest_debt_first_and_totals_only_what_is_open() {
        let creditors = [creditor("CJIB", "CJIB", true), creditor("DUO", "DUO", true)];
        let mut paid = claim("CJIB", "C2", "30.00", d(2026, 2, 1));
        paid.ledger
            .apply(&ClaimEvent::Payment {
                amount: m("30.00"),
                date: d(2026, 2, 1),
            })
            .unwrap();
        let claims = vec![
            claim("CJIB", "C1", "100.00", d(2026, 3, 1)),
            paid,
            claim("DUO", "D1", "250.00", d(2026, 4, 1)),
            claim("DUO", "D0", "0.50", d(2026, 1, 15)),
        ];
        let overview = build(&creditors, claims, vec![], d(2026, 5, 1), Addressee::Person);
        assert_eq!(overview.total_outstanding, m("350.50"));
        assert_eq!(overview.open_claims, 3);
        let order: Vec<_> = overview
            .sections
            .iter()
            .map(|s| (s.creditor.code.as_str(), s.total_outstanding.to_string()))
            .collect();
        assert_eq!(
            order,
            [
                ("DUO", "250.50".to_string()),
                ("CJIB", "100.00".to_string())
            ]
        );
        let duo_keys: Vec<_> = overview.sections[0]
            .claims
            .iter()
            .map(|c| c.claim_key.as_str())
            .collect();
        assert_eq!(duo_keys, ["D0", "D1"], "open claims due earliest first");
        let cjib_keys: Vec<_> = overview.sections[1]
            .claims
            .iter()
            .map(|c| c.claim_key.as_str())
            .collect();
        assert_eq!(cjib_keys, ["C1", "C2"], "settled claims after open ones");
    }

    #[test]
    fn the_summary_speaks_to_the_person_or_to_their_counsellor_about_a_client() {
        let creditors = [creditor("CJIB", "CJIB", true)];
        let claims = || vec![claim("CJIB", "C1", "100.00", d(2026, 3, 1))];
        let person = build(
            &creditors,
            claims(),
            vec![],
            d(2026, 5, 1),
            Addressee::Person,
        );
        assert_eq!(
            person.summary,
            "U heeft 1 openstaande vordering, in totaal € 100,00."
        );
        let counsellor = build(
            &creditors,
            claims(),
            vec![],
            d(2026, 5, 1),
            Addressee::Counsellor,
        );
        assert_eq!(
            counsellor.summary,
            "Uw cliënt heeft 1 openstaande vordering, in totaal € 100,00."
        );
    }

    #[test]
    fn an_empty_overview_says_which_creditors_are_not_connected() {
        let creditors = [
            creditor("CJIB", "CJIB", true),
            creditor("SVB", "Sociale Verzekeringsbank", false),
        ];
        let overview = build(&creditors, vec![], vec![], d(2026, 5, 1), Addressee::Person);
        assert_eq!(overview.total_outstanding, Money::ZERO);
        assert!(!overview.completeness.is_complete());
        assert!(
            overview
                .completeness
                .explanation
                .contains("Sociale Verzekeringsbank")
        );
        assert!(
            overview
                .summary
                .contains("niet alle schuldeisers zijn aangesloten")
        );
    }

    #[test]
    fn a_creditor_connected_later_than_today_is_not_yet_connected() {
        let mut later = creditor("DUO", "DUO", true);
        later.connected_from = Some(d(2026, 6, 1));
        let overview = build(&[later], vec![], vec![], d(2026, 5, 31), Addressee::Person);
        assert_eq!(overview.completeness.not_connected.len(), 1);
    }
}
