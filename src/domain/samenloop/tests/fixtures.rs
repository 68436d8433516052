use crate::domain::access::{Actor, Role};
use crate::domain::attachment::{Attachment, AttachmentTerms};
use crate::domain::creditor::{Contact, Creditor};
use crate::domain::person::PersonId;
use chrono::NaiveDate;

use crate::domain::household::HouseholdType;
use crate::domain::samenloop::{
    ArrangementKind, BasisSource, CreditorClaim, Detection, Flag, FlagCode, IncomeAndNorm,
    NormBasis, NormBounds, Party, RunningArrangement, detect,
};

pub use crate::domain::overview::Addressee;
pub use crate::domain::testing::{d as day, m as eur};

pub fn today() -> NaiveDate {
    day(2026, 3, 15)
}

pub fn creditor(code: &str) -> Party {
    Party::Creditor(code.to_owned())
}

/// A registry of CJIB and DUO, by their names; no other creditor is registered.
pub fn registry() -> Vec<Creditor> {
    [
        ("CJIB", "Centraal Justitieel Incassobureau"),
        ("DUO", "Dienst Uitvoering Onderwijs"),
    ]
    .map(|(code, name)| Creditor {
        code: code.to_owned(),
        name: name.to_owned(),
        claim_type_prefix: code.to_lowercase(),
        brr_from: None,
        connected_from: None,
        contact: Contact::default(),
        preference_rank: None,
    })
    .to_vec()
}

pub fn private(name: &str) -> Party {
    Party::Private(name.to_owned())
}

/// A running, executorial attachment since 1 January 2025 that says nothing beyond its amount.
pub fn attachment(id: &str, party: Party, monthly: &str) -> Attachment {
    Attachment {
        id: id.to_owned(),
        person: PersonId::from_stored("persoon".to_owned()),
        declared_by: declared_by(&party),
        party,
        reference: None,
        version: 0,
        assumed_household: None,
        terms: AttachmentTerms {
            income_source: "Werkgever BV".to_owned(),
            known_net_income: None,
            taxable_yearly_income: None,
            children: None,
            partner_income: None,
            monthly_amount: eur(monthly),
            applied_bvv: None,
            start: day(2025, 1, 1),
            end: None,
            executorial: true,
            claim_keys: Vec::new(),
        },
    }
}

/// Who registers an attachment of `party`: the creditor itself, or the citizen for a private
/// party.
pub fn declared_by(party: &Party) -> Actor {
    match party {
        Party::Creditor(code) => Actor::organisation(Role::Organisatie, code),
        Party::Private(_) => Actor::citizen(),
    }
}

/// A running Betalingsregeling Rijk since 1 February 2025, with 10 000.00 open on each claim:
/// more than any instalment of the tests takes.
pub fn rijk(id: &str, claims: &[(&str, &str)], monthly: &str) -> RunningArrangement {
    rijk_owing(
        id,
        &claims
            .iter()
            .map(|(c, k)| (*c, *k, "10000.00"))
            .collect::<Vec<_>>(),
        monthly,
    )
    .expect("a claim is open")
}

/// A Betalingsregeling Rijk since 1 February 2025 with what is still owed on each claim.
pub fn rijk_owing(
    id: &str,
    claims: &[(&str, &str, &str)],
    monthly: &str,
) -> Option<RunningArrangement> {
    RunningArrangement::rijk(
        id.to_owned(),
        claims
            .iter()
            .map(|(creditor, key, outstanding)| {
                (
                    CreditorClaim {
                        creditor: (*creditor).to_owned(),
                        claim_key: (*key).to_owned(),
                    },
                    eur(outstanding),
                )
            })
            .collect(),
        eur(monthly),
        (day(2025, 2, 1), day(2025, 2, 1)),
        COORDINATOR.to_owned(),
    )
}

/// The collector coordinating every Betalingsregeling Rijk of the tests, as in the default
/// settings.
pub const COORDINATOR: &str = "CJIB";

/// A running arrangement with one party since 1 February 2025.
pub fn single(id: &str, party: Party, monthly: &str) -> RunningArrangement {
    RunningArrangement {
        id: id.to_owned(),
        kind: ArrangementKind::SingleParty { party },
        monthly_amount: eur(monthly),
        start: day(2025, 2, 1),
        end: None,
        deducts_from: day(2025, 2, 1),
    }
}

pub fn situation(net_income: &str, norm: &str) -> IncomeAndNorm {
    IncomeAndNorm {
        basis: NormBasis {
            household: HouseholdType::Single,
            children: None,
            net_income: eur(net_income),
            taxable_yearly_income: Some(eur("20000.00")),
            partner_income: None,
            housing_costs: None,
            housing_correction: false,
            source: BasisSource::Declared {
                declared_on: day(2026, 2, 1),
            },
        },
        norm: NormBounds::exact(eur(norm)),
    }
}

/// A single person with 2100.00 net and no taxable income known in January 2026: the legal norm
/// lies between its first term, 0.95 × 1401.50 = 1331.43, and 95 % of the income, 1995.00 (below
/// the lid-1 maximum of 2191.42).
pub fn ranged() -> IncomeAndNorm {
    let mut situation = situation("2100.00", "1331.43");
    situation.basis.taxable_yearly_income = None;
    situation.norm = NormBounds {
        lowest: eur("1331.43"),
        highest: eur("1995.00"),
        missing: vec!["belastbaarJaarinkomen".into()],
        without_table: None,
    };
    situation
}

pub fn detect_today(
    situation: Option<&IncomeAndNorm>,
    attachments: &[Attachment],
    arrangements: &[RunningArrangement],
) -> Detection {
    detect(situation, attachments, arrangements, &[], today())
}

pub fn flags_with(detection: &Detection, code: FlagCode) -> Vec<&Flag> {
    detection
        .flags
        .iter()
        .filter(|f| f.code() == code)
        .collect()
}

pub fn codes(detection: &Detection) -> Vec<&'static str> {
    detection.flags.iter().map(|f| f.code().code()).collect()
}
