//! Which household and income data the common norm is computed from.
//!
//! The person's own declaration with the proposal they accepted last wins; without one, the
//! data of the most recent running attachment that knows both income and household, with what
//! else it knows (taxable income, children, partner income). The result always
//! says which data it used, so the norm can be checked and corrected.

use chrono::NaiveDate;

use super::input::Party;
use super::text;
use crate::domain::attachment::Attachment;
use crate::domain::beslagvrije_voet::{NormInput, field};
use crate::domain::creditor::Creditor;
use crate::domain::household::HouseholdType;
use crate::domain::money::Money;
use crate::domain::overview::Addressee;

/// What the person (or their counsellor) declared with the proposal they accepted last.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeclaredSituation {
    pub input: NormInput,
    pub declared_on: NaiveDate,
}

/// The data the common norm is computed from: what the law's formula needs (docs/beslagvrije-voet.md), as
/// far as it is known, and where it comes from.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct NormBasis {
    pub household: HouseholdType,
    /// For a couple: one or more children; `None` when nobody said.
    pub children: Option<bool>,
    pub net_income: Money,
    /// C of art. 475da lid 2 Rv; `None` when nobody said.
    pub taxable_yearly_income: Option<Money>,
    pub partner_income: Option<Money>,
    pub housing_costs: Option<Money>,
    pub housing_correction: bool,
    pub source: BasisSource,
}

impl NormBasis {
    /// The norm engine's input for `peildatum`.
    pub fn input(&self, peildatum: NaiveDate) -> NormInput {
        NormInput {
            peildatum,
            household: self.household,
            children: self.children,
            pension_age: false,
            net_income: self.net_income,
            taxable_yearly_income: self.taxable_yearly_income,
            housing_costs: self.housing_costs,
            housing_correction: self.housing_correction,
            partner_income: self.partner_income,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum BasisSource {
    Declared {
        declared_on: NaiveDate,
    },
    Attachment {
        attachment_id: String,
        party: Party,
        self_declared: bool,
        income_source: String,
        since: NaiveDate,
        /// Other income sources under running attachments. Their income is not in
        /// `net_income`: one party's view of one source is all that is known. Under the BVV
        /// rule a lower income leaves less room above the norm, so this can over-report a
        /// shortfall but not hide one.
        other_income_sources: Vec<String>,
    },
}

/// The lowest and highest common norm the known data allows: equal when the data decides it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct NormBounds {
    pub lowest: Money,
    pub highest: Money,
    /// The API fields whose absence leaves the range (e.g. `belastbaarJaarinkomen`).
    pub missing: Vec<String>,
    /// The half-year today falls in, when the service has no norm table for it yet (the amounts
    /// change on 1 January and 1 July, art. 475da lid 8 Rv). `lowest` and `highest` are then the
    /// previous amounts' bounds; the norm is taken to be at least `lowest` (the new amounts are
    /// assumed not to be lower) and has no known upper bound.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub without_table: Option<NaiveDate>,
}

/// What [`NormBounds::undecided_by`] names for a missing norm table.
const MISSING_TABLE: &str = "normtabel";

impl NormBounds {
    pub fn exact(norm: Money) -> NormBounds {
        NormBounds {
            lowest: norm,
            highest: norm,
            missing: Vec::new(),
            without_table: None,
        }
    }

    pub fn is_exact(&self) -> bool {
        self.lowest == self.highest && self.without_table.is_none()
    }

    /// The highest norm the known data allows, if it is bounded.
    pub fn upper(&self) -> Option<Money> {
        self.without_table.is_none().then_some(self.highest)
    }

    /// The missing data as a person reads it: in words, not by the API's field names.
    pub fn missing_in_words(&self) -> String {
        let words: Vec<&str> = self
            .missing
            .iter()
            .map(|name| match name.as_str() {
                field::BELASTBAAR_JAARINKOMEN => "het belastbaar jaarinkomen",
                field::WOONKOSTEN => "de woonkosten",
                field::PARTNER_INKOMEN => "het inkomen van de partner",
                field::KINDEREN => "of er kinderen zijn",
                field::NETTO_INKOMEN => "het netto-inkomen",
                field::LEEFVORM => "de leefvorm",
                other => other,
            })
            .collect();
        text::list(&words)
    }

    /// What is missing to decide the norm: the API fields, and the norm table of today's
    /// half-year when it is not there (which no creditor can supply).
    pub fn undecided_by(&self) -> Vec<String> {
        let mut missing = self.missing.clone();
        if self.without_table.is_some() {
            missing.push(MISSING_TABLE.to_owned());
        }
        missing
    }
}

/// The figures the detector works with: the basis and the norm the engine computed from it for
/// today.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncomeAndNorm {
    pub basis: NormBasis,
    pub norm: NormBounds,
}

impl IncomeAndNorm {
    pub fn net_income(&self) -> Money {
        self.basis.net_income
    }
}

/// Picks the data for the common norm, or `None` when nothing usable is known.
pub fn choose_basis(
    declared: Option<&DeclaredSituation>,
    attachments: &[Attachment],
    today: NaiveDate,
) -> Option<NormBasis> {
    if let Some(declared) = declared {
        let input = &declared.input;
        return Some(NormBasis {
            household: input.household,
            children: input.children,
            net_income: input.net_income,
            taxable_yearly_income: input.taxable_yearly_income,
            partner_income: input.partner_income,
            housing_costs: input.housing_costs,
            housing_correction: input.housing_correction,
            source: BasisSource::Declared {
                declared_on: declared.declared_on,
            },
        });
    }
    // Canonical order, so that the result does not depend on the input order.
    let mut running: Vec<&Attachment> =
        attachments.iter().filter(|a| a.is_running(today)).collect();
    running.sort();
    let (chosen, net_income, household) = running
        .iter()
        .filter_map(|a| Some((*a, a.terms.known_net_income?, a.assumed_household?)))
        // Most recent start first; among equal starts the lowest id (then the whole record, by
        // the canonical order, should ids repeat).
        .min_by(|(a, ..), (b, ..)| b.terms.start.cmp(&a.terms.start).then_with(|| a.cmp(b)))?;
    let mut other_income_sources: Vec<String> = Vec::new();
    for attachment in &running {
        let source = &attachment.terms.income_source;
        let already_named = |known: &String| text::normalized(known) == text::normalized(source);
        if !already_named(&chosen.terms.income_source)
            && !other_income_sources.iter().any(already_named)
        {
            other_income_sources.push(source.clone());
        }
    }
    other_income_sources.sort();
    Some(NormBasis {
        household,
        children: chosen.terms.children,
        net_income,
        taxable_yearly_income: chosen.terms.taxable_yearly_income,
        partner_income: chosen.terms.partner_income,
        housing_costs: None,
        housing_correction: false,
        source: BasisSource::Attachment {
            attachment_id: chosen.id.clone(),
            party: chosen.party.clone(),
            self_declared: chosen.self_declared(),
            income_source: chosen.terms.income_source.clone(),
            since: chosen.terms.start,
            other_income_sources,
        },
    })
}

impl NormBasis {
    /// Which data the beslagvrije voet was computed from, naming government creditors as the
    /// registry `creditors` does: to the person, or to their counsellor about the client.
    pub fn explanation(&self, creditors: &[Creditor], addressee: Addressee) -> String {
        let mut figures = format!(
            "leefvorm {}, netto-inkomen {} per maand",
            text::household(self.household),
            text::euro(self.net_income)
        );
        match self.taxable_yearly_income {
            Some(income) => figures.push_str(&format!(
                ", belastbaar inkomen {} per jaar",
                text::euro(income)
            )),
            None => figures.push_str(", belastbaar jaarinkomen onbekend"),
        }
        match &self.source {
            BasisSource::Declared { declared_on } => format!(
                "De beslagvrije voet is berekend met wat op {} is opgegeven in het voorstel: \
                 {figures}.",
                text::date(*declared_on)
            ),
            BasisSource::Attachment {
                party,
                self_declared,
                income_source,
                since,
                other_income_sources,
                ..
            } => {
                // Declared by the person or a counsellor: not said which, as it may be either.
                let declared_by = if *self_declared {
                    ", zoals opgegeven bij het melden van dat beslag"
                } else {
                    ""
                };
                let mut explanation = format!(
                    "Er is geen inkomen en leefvorm opgegeven bij een aangenomen \
                     betalingsregeling. De beslagvrije voet is daarom berekend met de gegevens van het meest recente beslag dat die noemt: het beslag van {} op {income_source}, \
                     sinds {}{declared_by}: {figures}.",
                    text::party(party, creditors),
                    text::date(*since)
                );
                if !other_income_sources.is_empty() {
                    explanation.push_str(&format!(
                        " Let op: er ligt ook beslag op {}. Dat inkomen is niet meegeteld, omdat \
                         het hier niet bekend is. Geef {} op in een voorstel voor een juiste \
                         berekening.",
                        text::list(other_income_sources),
                        addressee.say(
                            "uw volledige inkomen",
                            "het volledige inkomen van uw cliënt"
                        )
                    ));
                }
                explanation
            }
        }
    }
}
