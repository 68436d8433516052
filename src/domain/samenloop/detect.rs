//! The detector: which samenloop flags hold for one person today.

use chrono::NaiveDate;

use super::basis::{NormBasis, Situation};
use super::flags::{
    ArrangementDeduction, AttachmentDeduction, ClaimInArrangementAndAttachment,
    ConcurrentArrangements, DeviatingExemptAmount, Flag, FlagCode, MultipleAttachingParties,
    PartyAttachment, SubsistenceMinimumUndercut,
};
use super::input::{Party, RunningArrangement};
use crate::domain::attachment::Attachment;
use crate::domain::money::Money;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Detection {
    /// In display order: by code as the contract lists them, then by key.
    pub flags: Vec<Flag>,
    /// Flags that may hold but could not be judged, each with why.
    pub not_evaluated: Vec<NotEvaluated>,
    /// What can still be taken per month without going below the norm, never below zero;
    /// `None` when the norm is not known.
    pub remaining_capacity: Option<Money>,
    /// The data the norm was computed from, to show beside the flags.
    pub basis: Option<NormBasis>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct NotEvaluated {
    pub code: FlagCode,
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
pub fn detect(
    situation: Option<&Situation>,
    attachments: &[Attachment],
    arrangements: &[RunningArrangement],
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

    let attachment_deductions: Vec<AttachmentDeduction> = attachments
        .iter()
        .map(|a| attachment_deduction(a))
        .collect();
    let arrangement_deductions: Vec<ArrangementDeduction> = arrangements
        .iter()
        .map(|a| arrangement_deduction(a))
        .collect();

    let mut flags = Vec::new();
    let mut not_evaluated = Vec::new();
    let mut remaining_capacity = None;
    match situation {
        Some(situation) => {
            let undercut = SubsistenceMinimumUndercut {
                net_income: situation.net_income(),
                norm: situation.norm,
                attachments: attachment_deductions,
                arrangements: arrangement_deductions.clone(),
            };
            remaining_capacity = Some((-undercut.shortfall()).max(Money::ZERO));
            if undercut.shortfall().is_positive() {
                flags.push(Flag::SubsistenceMinimumUndercut(undercut));
            }
            flags.extend(deviating_exempt_amounts(situation.norm, &attachments));
        }
        None => {
            if !attachments.is_empty() || !arrangements.is_empty() {
                not_evaluated.push(NotEvaluated {
                    code: FlagCode::SubsistenceMinimumUndercut,
                    explanation: NO_BASIS_UNDERCUT.to_owned(),
                });
            }
            if attachments.iter().any(|a| a.terms.applied_bvv.is_some()) {
                not_evaluated.push(NotEvaluated {
                    code: FlagCode::DeviatingExemptAmount,
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

    Detection {
        flags,
        not_evaluated,
        remaining_capacity,
        basis: situation.map(|s| s.basis.clone()),
    }
}

const NO_BASIS_UNDERCUT: &str = "Of u genoeg overhoudt om van te leven, kon niet worden nagegaan: \
     er is geen inkomen en leefvorm van u bekend. Geef die op in een voorstel voor een \
     betalingsregeling, dan wordt het berekend.";

const NO_BASIS_DEVIATION: &str = "Of de beslagvrije voet van uw beslagen klopt, kon niet worden \
     nagegaan: er is geen inkomen en leefvorm van u bekend om de gemeenschappelijke norm mee te \
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

/// Any difference counts: amounts are whole cents, so "differs" means by at least € 0,01.
fn deviating_exempt_amounts(norm: Money, attachments: &[&Attachment]) -> Vec<Flag> {
    attachments
        .iter()
        .filter_map(|a| {
            let applied = a.terms.applied_bvv.filter(|applied| *applied != norm)?;
            Some(Flag::DeviatingExemptAmount(DeviatingExemptAmount {
                attachment_id: a.id.clone(),
                party: a.party.clone(),
                applied,
                common_norm: norm,
            }))
        })
        .collect()
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
