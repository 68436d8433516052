//! The detector: which samenloop flags hold for one person today.

use chrono::NaiveDate;

use super::basis::{BasisSource, IncomeAndNorm, NormBasis, NormBounds};
use super::flags::{
    ArrangementDeduction, AttachmentDeduction, ClaimInArrangementAndAttachment,
    ConcurrentArrangements, DeviatingExemptAmount, Flag, FlagCode, MultipleAttachingParties,
    NormCertainty, PartyAttachment, SubsistenceMinimumUndercut,
};
use super::input::{Party, RunningArrangement};
use super::text;
use crate::domain::attachment::Attachment;
use crate::domain::creditor::Creditor;
use crate::domain::money::Money;
use crate::domain::overview::Addressee;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Detection {
    /// In display order: by code as the contract lists them, then by key.
    pub flags: Vec<Flag>,
    /// Flags that may hold but could not be judged, each with why.
    pub not_evaluated: Vec<NotEvaluated>,
    /// Flags the known data cannot decide: they hold for some of the norms it allows and not for
    /// others. Shown, never notified as a breach; the data is asked for instead.
    pub uncertain: Vec<Uncertain>,
    /// The attaching creditors asked for the data that would decide the uncertain flags.
    pub requests: Vec<DataRequest>,
    /// What can still be taken per month without going below the norm, for every norm the known
    /// data allows, never below zero; `None` when the norm is not known.
    pub remaining_capacity: Option<Money>,
    /// The data the norm was computed from, to show beside the flags.
    pub basis: Option<NormBasis>,
    /// The norm, or the lowest and highest it can be with what is known.
    pub norm: Option<NormBounds>,
    /// Flags the parties were told of that the data no longer decides (they are now uncertain
    /// or not evaluated), as they were told: nothing was resolved, so they are neither cleared
    /// nor raised again until decided. Not among `flags`: they are shown as undecided. See
    /// [`Detection::keep_told`].
    pub told_undecided: Vec<Flag>,
    /// The ids of the attachments and arrangements running on the day evaluated, sorted: what a
    /// flag kept as told may still be about.
    pub running: Vec<String>,
    /// Made for a proposal (what would hold if it were accepted): nobody is told of its flags.
    pub hypothetical: bool,
    /// Without a shortfall today, the first coming one that deductions known now will cause
    /// (see `Circumstances::evaluate`).
    pub coming_shortfall: Option<ComingShortfall>,
}

/// A shortfall that begins on a later day: deductions known now (an arrangement's first due
/// date, an attachment's start) will then leave the person less than the norm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ComingShortfall {
    pub from: NaiveDate,
    /// Per month, on the lowest norm the known data allows that day.
    pub shortfall: Money,
    /// `AtLeast` while that norm is a bound: the shortfall is then at least this.
    pub certainty: NormCertainty,
}

impl ComingShortfall {
    /// What the person, or their counsellor, is told of it.
    pub fn explanation(&self, addressee: Addressee) -> String {
        let (keeps, whom) = match addressee {
            Addressee::Person => ("houdt u", "uw schuldhulpverlener, of de organisaties die"),
            Addressee::Counsellor => ("houdt uw cliënt", "de organisaties die"),
        };
        format!(
            "Vanaf {} {keeps} {}{} per maand minder over dan de beslagvrije voet: dan gaat een \
             beslag of betalingsregeling in die nu nog niet meetelt. Neem vóór die dag contact \
             op met {whom} beslag leggen of de regeling uitvoeren.",
            text::date(self.from),
            self.certainty.at_least(),
            text::euro(self.shortfall)
        )
    }
}

/// A flag the known data cannot decide (docs/domain.md).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Uncertain {
    pub code: FlagCode,
    /// The attachment it is about, for a deviating BVV.
    pub attachment_id: Option<String>,
    /// The API fields that would decide it.
    pub missing: Vec<String>,
    /// For the citizen: what may be the matter, with the figures either way.
    pub explanation: String,
}

/// An attaching creditor asked for data it may know and the common norm needs.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub struct DataRequest {
    pub creditor: String,
    pub attachment_id: String,
    pub missing: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct NotEvaluated {
    pub code: FlagCode,
    /// The attachments it is about, for a deviating BVV: those applying one.
    #[serde(default)]
    pub attachment_ids: Vec<String>,
    /// For the citizen: why it could not be judged and what would help.
    pub explanation: String,
}

/// Evaluates every flag for `today`. Only attachments and arrangements running today count.
/// `situation` is `None` when no income and household data is known (see
/// [`choose_basis`](super::basis::choose_basis)); the flags that need the norm are then listed as
/// not evaluated rather than silently absent.
///
/// Ids are expected to be unique within attachments and within arrangements (see
/// [`validate`](super::input::validate)); the result is deterministic even when they are not.
/// The texts name government creditors as `creditors` (the registry) does.
pub fn detect(
    situation: Option<&IncomeAndNorm>,
    attachments: &[Attachment],
    arrangements: &[RunningArrangement],
    creditors: &[Creditor],
    today: NaiveDate,
) -> Detection {
    // A canonical order first, so that every later choice is independent of the input order.
    let mut attachments: Vec<&Attachment> =
        attachments.iter().filter(|a| a.is_running(today)).collect();
    attachments.sort();
    let mut arrangements: Vec<&RunningArrangement> = arrangements
        .iter()
        .filter(|a| a.is_running(today))
        .collect();
    arrangements.sort();

    let mut running: Vec<String> = attachments
        .iter()
        .map(|a| a.id.clone())
        .chain(arrangements.iter().map(|a| a.id.clone()))
        .collect();
    running.sort();
    let attachment_deductions: Vec<AttachmentDeduction> = attachments
        .iter()
        .map(|a| attachment_deduction(a))
        .collect();
    // In force, an arrangement's claims collide with an attachment; only once it takes from the
    // income does it count against the norm or beside another arrangement.
    let arrangement_deductions: Vec<ArrangementDeduction> = arrangements
        .iter()
        .filter(|a| a.deducts_on(today))
        .map(|a| arrangement_deduction(a))
        .collect();
    // What is left to take counts them all the same: the person has committed to them, so an
    // attachment laid now would meet them on their first due date.
    let committed: Money = arrangements
        .iter()
        .filter(|a| !a.deducts_on(today))
        .map(|a| a.monthly_amount)
        .sum();

    let mut flags = Vec::new();
    let mut not_evaluated = Vec::new();
    let mut uncertain = Vec::new();
    let mut remaining_capacity = None;
    match situation {
        Some(situation) => {
            let bounds = &situation.norm;
            // At the lowest norm the law allows: a shortfall there holds for every norm.
            let undercut = SubsistenceMinimumUndercut {
                net_income: situation.net_income(),
                norm: bounds.lowest,
                norm_certainty: if bounds.is_exact() {
                    NormCertainty::Exact
                } else {
                    NormCertainty::AtLeast
                },
                attachments: attachment_deductions,
                arrangements: arrangement_deductions.clone(),
            };
            // At the highest: what is left for certain, and whether a shortfall is possible.
            let at_highest = bounds
                .upper()
                .map(|highest| undercut.shortfall() + (highest - bounds.lowest));
            remaining_capacity = at_highest.map(|s| (-(s + committed)).max(Money::ZERO));
            if undercut.shortfall().is_positive() {
                flags.push(Flag::SubsistenceMinimumUndercut(undercut));
            } else if let Some(explanation) = undercut_undecided(&undercut, bounds, at_highest) {
                uncertain.push(Uncertain {
                    code: FlagCode::SubsistenceMinimumUndercut,
                    attachment_id: None,
                    missing: bounds.undecided_by(),
                    explanation,
                });
            }
            let other_incomes = match &situation.basis.source {
                BasisSource::Attachment {
                    other_income_sources,
                    ..
                } => other_income_sources.as_slice(),
                BasisSource::Declared { .. } => &[],
            };
            let (deviating, undecided) =
                deviating_exempt_amounts(bounds, other_incomes, &attachments, creditors);
            flags.extend(deviating);
            uncertain.extend(undecided);
        }
        None => {
            if !attachments.is_empty() || !arrangements.is_empty() {
                not_evaluated.push(NotEvaluated {
                    code: FlagCode::SubsistenceMinimumUndercut,
                    attachment_ids: Vec::new(),
                    explanation: NO_BASIS_UNDERCUT.to_owned(),
                });
            }
            let applying: Vec<String> = attachments
                .iter()
                .filter(|a| a.terms.applied_bvv.is_some())
                .map(|a| a.id.clone())
                .collect();
            if !applying.is_empty() {
                not_evaluated.push(NotEvaluated {
                    code: FlagCode::DeviatingExemptAmount,
                    attachment_ids: applying,
                    explanation: NO_BASIS_DEVIATION.to_owned(),
                });
            }
        }
    }
    flags.extend(multiple_attaching_parties(&attachments));
    flags.extend(claims_in_arrangement_and_attachment(
        &attachments,
        &arrangements,
    ));
    if arrangement_deductions.len() > 1 {
        flags.push(Flag::ConcurrentArrangements(ConcurrentArrangements {
            arrangements: arrangement_deductions,
        }));
    }
    flags.sort_by(|a, b| (a.code(), a.key(), a).cmp(&(b.code(), b.key(), b)));
    let requests = match situation {
        Some(situation) if !uncertain.is_empty() => data_requests(&situation.norm, &attachments),
        None if !not_evaluated.is_empty() => basis_requests(&attachments),
        _ => Vec::new(),
    };

    Detection {
        flags,
        not_evaluated,
        uncertain,
        requests,
        remaining_capacity,
        basis: situation.map(|s| s.basis.clone()),
        norm: situation.map(|s| s.norm.clone()),
        told_undecided: Vec::new(),
        running,
        hypothetical: false,
        coming_shortfall: None,
    }
}

fn undercut_uncertain(
    undercut: &SubsistenceMinimumUndercut,
    bounds: &NormBounds,
    at_highest: Money,
) -> String {
    format!(
        "Misschien houdt u te weinig over om van te leven. Er wordt {} per maand ingehouden of afgelost. \
         Met wat bekend is, ligt de beslagvrije voet tussen {} en {}: bij de laagste houdt u genoeg over, \
         bij de hoogste {} per maand te weinig. Om dat te bepalen ontbreekt: {}. De schuldeisers die \
         beslag leggen is gevraagd dit aan te vullen; u kunt het ook zelf opgeven in een voorstel voor \
         een betalingsregeling.",
        text::euro(undercut.deductions()),
        text::euro(bounds.lowest),
        text::euro(bounds.highest),
        text::euro(at_highest),
        bounds.missing_in_words()
    )
}

/// Why a shortfall that does not hold at the lowest norm may hold at a higher one, if it may:
/// `at_highest` is the shortfall at the highest norm, `None` when the norm has no known upper
/// bound.
fn undercut_undecided(
    undercut: &SubsistenceMinimumUndercut,
    bounds: &NormBounds,
    at_highest: Option<Money>,
) -> Option<String> {
    match bounds.without_table {
        None => at_highest
            .filter(|at_highest| at_highest.is_positive())
            .map(|at_highest| undercut_uncertain(undercut, bounds, at_highest)),
        Some(half_year) => undercut.deductions().is_positive().then(|| {
            format!(
                "Misschien houdt u te weinig over om van te leven. Er wordt {} per maand ingehouden of \
                 afgelost. {} Zodra ze zijn vastgelegd, wordt het opnieuw nagegaan.",
                text::euro(undercut.deductions()),
                previous_amounts(bounds, half_year)
            )
        }),
    }
}

/// Why a norm cannot be judged while today's half-year has no table.
fn previous_amounts(bounds: &NormBounds, half_year: NaiveDate) -> String {
    format!(
        "De bedragen van de beslagvrije voet die vanaf {} gelden, zijn nog niet in deze dienst \
         vastgelegd (ze veranderen op 1 januari en 1 juli, art. 475da lid 8 Rv). Met de vorige \
         bedragen is de beslagvrije voet ten minste {}; met de nieuwe kan die hoger zijn.",
        text::date(half_year),
        text::euro(bounds.lowest)
    )
}

/// The running attachments of government creditors that lack what would decide the norm: their
/// creditors are asked for it (they may know it, e.g. from the polisadministratie).
fn data_requests(bounds: &NormBounds, attachments: &[&Attachment]) -> Vec<DataRequest> {
    requests(attachments, |a| {
        bounds
            .missing
            .iter()
            .filter(|field| match field.as_str() {
                "belastbaarJaarinkomen" => a.terms.taxable_yearly_income.is_none(),
                "kinderen" => a.terms.children.is_none(),
                _ => true,
            })
            .cloned()
            .collect()
    })
}

/// Without any basis for the norm, the running attachments of government creditors that lack
/// what a basis needs (docs/domain.md: an attachment's income and household): their creditors
/// are asked for it, as for what would decide an uncertain flag, so an attachment that names
/// neither is not left unjudged in silence.
fn basis_requests(attachments: &[&Attachment]) -> Vec<DataRequest> {
    requests(attachments, |a| {
        [
            ("nettoInkomenBron", a.terms.known_net_income.is_none()),
            ("leefvormAangenomen", a.assumed_household.is_none()),
        ]
        .into_iter()
        .filter(|(_, lacking)| *lacking)
        .map(|(field, _)| field.to_owned())
        .collect()
    })
}

/// A request to each government creditor attaching (not an attachment the person or their
/// counsellor declared) for what `missing` says its attachment lacks, if anything.
fn requests(
    attachments: &[&Attachment],
    missing: impl Fn(&Attachment) -> Vec<String>,
) -> Vec<DataRequest> {
    let mut requests: Vec<DataRequest> = attachments
        .iter()
        .filter(|a| !a.self_declared())
        .filter_map(|a| {
            let creditor = a.party.creditor_code()?;
            let missing = missing(a);
            (!missing.is_empty()).then(|| DataRequest {
                creditor: creditor.to_owned(),
                attachment_id: a.id.clone(),
                missing,
            })
        })
        .collect();
    requests.sort();
    requests
}

const NO_BASIS_UNDERCUT: &str = "Of u genoeg overhoudt om van te leven, kon niet worden nagegaan: \
     er is geen inkomen en leefvorm van u bekend. Die worden bekend als u een voorstel voor \
     een Betalingsregeling Rijk aanneemt; een voorstel alleen verandert hier niets aan. Wat u \
     minstens moet overhouden, rekent u uit met de rekenhulp beslagvrije voet.";

const NO_BASIS_DEVIATION: &str = "Of de beslagvrije voet van uw beslagen klopt, kon niet worden \
     nagegaan: er is geen inkomen en leefvorm van u bekend om uw beslagvrije voet mee te \
     berekenen.";

fn attachment_deduction(attachment: &Attachment) -> AttachmentDeduction {
    AttachmentDeduction {
        attachment_id: attachment.id.clone(),
        party: attachment.party.clone(),
        monthly_amount: attachment.terms.monthly_amount,
    }
}

fn arrangement_deduction(arrangement: &RunningArrangement) -> ArrangementDeduction {
    ArrangementDeduction {
        arrangement_id: arrangement.id.clone(),
        kind: arrangement.kind.clone(),
        monthly_amount: arrangement.monthly_amount,
    }
}

/// Any difference counts: amounts are whole cents, so "differs" means by at least € 0,01. A BVV
/// below the lowest norm the data allows is certainly too low, one above the highest certainly
/// too high; one in between cannot be judged until the data is complete. With attachments on
/// `other_incomes` too, whose income the norm does not count, the norm is a lower bound only:
/// art. 475dc lid 1 Rv counts the income from every periodic payment, and more income never
/// lowers the beslagvrije voet.
fn deviating_exempt_amounts(
    bounds: &NormBounds,
    other_incomes: &[String],
    attachments: &[&Attachment],
    creditors: &[Creditor],
) -> (Vec<Flag>, Vec<Uncertain>) {
    let mut flags = Vec::new();
    let mut uncertain = Vec::new();
    let one_income = other_incomes.is_empty();
    let exact = bounds.is_exact() && one_income;
    let upper = bounds.upper().filter(|_| one_income);
    for attachment in attachments {
        let Some(applied) = attachment.terms.applied_bvv else {
            continue;
        };
        let (common_norm, norm_certainty) = if exact && applied != bounds.lowest {
            (bounds.lowest, NormCertainty::Exact)
        } else if applied < bounds.lowest {
            (bounds.lowest, NormCertainty::AtLeast)
        } else if let Some(highest) = upper.filter(|highest| applied > *highest) {
            (highest, NormCertainty::AtMost)
        } else if exact {
            continue;
        } else {
            let why = match bounds.without_table {
                Some(half_year) => previous_amounts(bounds, half_year),
                None if !one_income => format!(
                    "De beslagen lopen ook op {}; de wet rekent met het inkomen uit alle bronnen \
                     samen (art. 475dc lid 1 Rv), en meer inkomen maakt de beslagvrije voet nooit \
                     lager. Met het inkomen dat bekend is, is de beslagvrije voet ten minste {}.",
                    text::list(other_incomes),
                    text::euro(bounds.lowest)
                ),
                None => format!(
                    "Met wat bekend is ligt de beslagvrije voet tussen {} en {}. Om dat te \
                     bepalen ontbreekt: {}.",
                    text::euro(bounds.lowest),
                    text::euro(bounds.highest),
                    bounds.missing_in_words()
                ),
            };
            uncertain.push(Uncertain {
                code: FlagCode::DeviatingExemptAmount,
                attachment_id: Some(attachment.id.clone()),
                missing: bounds.undecided_by(),
                explanation: format!(
                    "Of de beslagvrije voet van {} bij het beslag van {} klopt, kan nog niet worden \
                     beoordeeld. {why}",
                    text::euro(applied),
                    text::party(&attachment.party, creditors),
                ),
            });
            continue;
        };
        flags.push(Flag::DeviatingExemptAmount(DeviatingExemptAmount {
            attachment_id: attachment.id.clone(),
            party: attachment.party.clone(),
            applied,
            common_norm,
            norm_certainty,
        }));
    }
    (flags, uncertain)
}

fn multiple_attaching_parties(attachments: &[&Attachment]) -> Option<Flag> {
    let first = attachments.first()?;
    if attachments
        .iter()
        .all(|a| a.party.is_same_party(&first.party))
    {
        return None;
    }
    Some(Flag::MultipleAttachingParties(MultipleAttachingParties {
        attachments: attachments
            .iter()
            .map(|a| PartyAttachment {
                attachment_id: a.id.clone(),
                party: a.party.clone(),
                start: a.terms.start,
                executorial: a.terms.executorial,
                income_source: a.terms.income_source.clone(),
            })
            .collect(),
    }))
}

/// Only a Betalingsregeling Rijk lists claims, so only it can collide. An attachment that names
/// no claims counts for every claim of its creditor: it reaches the income for whatever that
/// creditor is owed, so it collides with each of its claims in the arrangement.
fn claims_in_arrangement_and_attachment(
    attachments: &[&Attachment],
    arrangements: &[&RunningArrangement],
) -> Vec<Flag> {
    let mut flags = Vec::new();
    for arrangement in arrangements {
        for attachment in attachments {
            let Party::Creditor(creditor) = &attachment.party else {
                continue;
            };
            let claim_keys: Vec<String> = arrangement
                .kind
                .claim_keys_of(creditor)
                .into_iter()
                .filter(|key| attachment.covers_claim(key))
                .collect();
            if !claim_keys.is_empty() {
                flags.push(Flag::ClaimInArrangementAndAttachment(
                    ClaimInArrangementAndAttachment {
                        creditor: creditor.clone(),
                        claim_keys,
                        attachment_id: attachment.id.clone(),
                        arrangement_id: arrangement.id.clone(),
                        attachment_names_claims: !attachment.terms.claim_keys.is_empty(),
                    },
                ));
            }
        }
    }
    flags
}
