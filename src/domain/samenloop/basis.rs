//! Which household and income data the common norm is computed from.
//!
//! The person's own declaration in their most recent proposal wins; without one, the data of
//! the most recent running attachment that knows both income and household. The result always
//! says which data it used, so the norm can be checked and corrected.

use chrono::NaiveDate;

use super::input::Party;
use super::text;
use crate::domain::attachment::Attachment;
use crate::domain::household::HouseholdType;
use crate::domain::money::Money;

/// What the person (or their counsellor) declared in their most recent proposal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeclaredSituation {
    pub household: HouseholdType,
    /// `None` when the proposal did not say.
    pub pension_age: Option<bool>,
    pub net_income: Money,
    pub declared_on: NaiveDate,
}

/// The data the common norm is computed from.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct NormBasis {
    pub household: HouseholdType,
    pub pension_age: bool,
    /// Nobody said whether the person has reached pension age; `pension_age` is then `false`,
    /// the lower norm, until the person says otherwise.
    pub pension_age_assumed: bool,
    pub net_income: Money,
    pub source: BasisSource,
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

/// The figures the detector works with: the basis and the norm the norm engine computed from it
/// for today.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Situation {
    pub basis: NormBasis,
    pub norm: Money,
}

impl Situation {
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
        return Some(NormBasis {
            household: declared.household,
            pension_age: declared.pension_age.unwrap_or(false),
            pension_age_assumed: declared.pension_age.is_none(),
            net_income: declared.net_income,
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
        pension_age: false,
        pension_age_assumed: true,
        net_income,
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
    /// For the citizen: which data the norm was computed from.
    pub fn explanation(&self) -> String {
        let figures = format!(
            "leefvorm {}, netto-inkomen {} per maand",
            text::household(self.household),
            text::euro(self.net_income)
        );
        let mut explanation = match &self.source {
            BasisSource::Declared { declared_on } => format!(
                "De norm is berekend met wat u op {} opgaf in uw voorstel: {figures}.",
                text::date(*declared_on)
            ),
            BasisSource::Attachment {
                attachment_id,
                party,
                self_declared,
                income_source,
                since,
                other_income_sources,
            } => {
                let declared_by = if *self_declared {
                    ", zoals door u opgegeven"
                } else {
                    ""
                };
                let mut explanation = format!(
                    "U heeft zelf geen inkomen en leefvorm opgegeven. De norm is daarom berekend met \
                     de gegevens van het meest recente beslag dat die noemt: beslag {attachment_id} van {} op {income_source}, \
                     sinds {}{declared_by}: {figures}.",
                    text::party(party),
                    text::date(*since)
                );
                if !other_income_sources.is_empty() {
                    explanation.push_str(&format!(
                        " Let op: er ligt ook beslag op {}. Dat inkomen is niet meegeteld, omdat \
                         het hier niet bekend is. Geef uw volledige inkomen op in een voorstel voor \
                         een juiste berekening.",
                        text::list(other_income_sources)
                    ));
                }
                explanation
            }
        };
        if self.pension_age_assumed {
            explanation.push_str(
                " Of u de pensioenleeftijd heeft bereikt, is niet opgegeven; er is van uitgegaan \
                 dat dat niet zo is.",
            );
        } else if self.pension_age {
            explanation.push_str(" U heeft de pensioenleeftijd bereikt.");
        }
        explanation
    }
}
