//! One flag as one creditor may see it: its own attachments and claims, the person's figures,
//! never another creditor's claims, amounts, attachments or identity.

use chrono::NaiveDate;

use super::flags::{
    ArrangementDeduction, AttachmentDeduction, Concurrence, Deviation, Flag, FlagCode, FlagKey,
    NormCertainty, PartyAttachment, claims_phrase, why_coordinates,
};
use super::input::{ArrangementKind, Party};
use super::text;
use crate::domain::money::Money;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreditorFlagView {
    pub creditor: String,
    pub code: FlagCode,
    pub key: FlagKey,
    /// For the creditor, built from this view's own contents only.
    pub explanation: String,
    pub details: CreditorFlagDetails,
    /// The person's remaining capacity per month, when the norm is known.
    pub remaining_capacity: Option<Money>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnAttachment {
    pub attachment_id: String,
    pub monthly_amount: Money,
}

/// The creditor's part in a running arrangement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnArrangement {
    pub arrangement_id: String,
    /// Its own claim keys in a Betalingsregeling Rijk; empty for its own separate arrangement.
    pub claim_keys: Vec<String>,
    /// For an arrangement with this creditor alone, and for a Betalingsregeling Rijk this
    /// creditor coordinates (it collects the instalment): the instalment. Any other creditor in
    /// a Betalingsregeling Rijk shares it with the others and is not shown it.
    pub monthly_amount: Option<Money>,
    /// This creditor coordinates the Betalingsregeling Rijk (§5.2): it hears of samenloop that
    /// involves the arrangement, also without claims of its own in it.
    pub coordinating: bool,
}

/// Who coordinates the attachments (art. 478 Rv): a creditor's code, or the name of a private
/// party. Never that party's claims or amounts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Coordination {
    ThisCreditor(String),
    AnotherParty(String),
    NoneYet,
}

/// One income on which the creditor's attachments concur with another party's (art. 478 Rv:
/// one derde-beslagene), and who coordinates there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnConcurrence {
    /// As the creditor's own first attachment on it names it.
    pub income_source: String,
    pub own_attachment_ids: Vec<String>,
    pub coordination: Coordination,
    /// When the coordinating attachment began, and whether another began that day too (see
    /// [`Concurrence::coordinator_tied`]).
    pub coordinator_since: Option<NaiveDate>,
    pub coordinator_tied: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CreditorFlagDetails {
    SubsistenceMinimumUndercut {
        shortfall: Money,
        /// `AtLeast` while the norm is a range: the shortfall is at least `shortfall`.
        norm_certainty: NormCertainty,
        own_attachments: Vec<OwnAttachment>,
        own_arrangements: Vec<OwnArrangement>,
    },
    /// Each income the creditor attaches that another party attaches too; usually one.
    MultipleAttachingParties { concurrences: Vec<OwnConcurrence> },
    DeviatingExemptAmount {
        attachment_id: String,
        applied: Money,
        common_norm: Money,
        /// Whether `common_norm` is the norm or, while it is a range, a bound of it.
        norm_certainty: NormCertainty,
        difference: Money,
        direction: Deviation,
    },
    ClaimInArrangementAndAttachment {
        attachment_id: String,
        arrangement_id: String,
        claim_keys: Vec<String>,
        attachment_names_claims: bool,
    },
    ConcurrentArrangements {
        own_arrangements: Vec<OwnArrangement>,
    },
}

/// `None` when the flag does not concern `creditor`.
pub fn view_for_creditor(
    flag: &Flag,
    creditor: &str,
    remaining_capacity: Option<Money>,
) -> Option<CreditorFlagView> {
    if !flag.affected_creditors().iter().any(|c| c == creditor) {
        return None;
    }
    let details = match flag {
        Flag::SubsistenceMinimumUndercut(flag) => CreditorFlagDetails::SubsistenceMinimumUndercut {
            shortfall: flag.shortfall(),
            norm_certainty: flag.norm_certainty,
            own_attachments: own_attachments(&flag.attachments, creditor),
            own_arrangements: own_arrangements(&flag.arrangements, creditor),
        },
        Flag::MultipleAttachingParties(flag) => CreditorFlagDetails::MultipleAttachingParties {
            concurrences: flag
                .concurrences_of(creditor)
                .iter()
                .map(|concurrence| own_concurrence(concurrence, creditor))
                .collect(),
        },
        Flag::DeviatingExemptAmount(flag) => CreditorFlagDetails::DeviatingExemptAmount {
            attachment_id: flag.attachment_id.clone(),
            applied: flag.applied,
            common_norm: flag.common_norm,
            norm_certainty: flag.norm_certainty,
            difference: flag.difference(),
            direction: flag.direction(),
        },
        Flag::ClaimInArrangementAndAttachment(flag) => {
            CreditorFlagDetails::ClaimInArrangementAndAttachment {
                attachment_id: flag.attachment_id.clone(),
                arrangement_id: flag.arrangement_id.clone(),
                claim_keys: flag.claim_keys.clone(),
                attachment_names_claims: flag.attachment_names_claims,
            }
        }
        Flag::ConcurrentArrangements(flag) => CreditorFlagDetails::ConcurrentArrangements {
            own_arrangements: own_arrangements(&flag.arrangements, creditor),
        },
    };
    Some(CreditorFlagView {
        creditor: creditor.to_owned(),
        code: flag.code(),
        key: flag.key(),
        explanation: explain(&details, remaining_capacity),
        details,
        remaining_capacity,
    })
}

/// `creditor`'s part in one concurrence: its attachments there and who coordinates them.
fn own_concurrence(concurrence: &Concurrence<'_>, creditor: &str) -> OwnConcurrence {
    let own: Vec<&PartyAttachment> = concurrence
        .attachments
        .iter()
        .copied()
        .filter(|a| a.party.creditor_code() == Some(creditor))
        .collect();
    OwnConcurrence {
        income_source: own
            .first()
            .map_or(concurrence.income_source, |a| &a.income_source)
            .to_owned(),
        own_attachment_ids: own.iter().map(|a| a.attachment_id.clone()).collect(),
        coordinator_since: concurrence.coordinator().map(|c| c.start),
        coordinator_tied: concurrence.coordinator_tied(),
        coordination: match concurrence.coordinator() {
            Some(c) if c.party.creditor_code() == Some(creditor) => {
                Coordination::ThisCreditor(creditor.to_owned())
            }
            Some(c) => Coordination::AnotherParty(match &c.party {
                Party::Creditor(code) => code.clone(),
                // A name typed by the citizen or counsellor: marked, so it is never read as a
                // registered creditor's code, even when it spells one.
                Party::Private(name) => {
                    format!("{name} (opgegeven door de burger of diens schuldhulpverlener)")
                }
            }),
            None => Coordination::NoneYet,
        },
    }
}

fn own_attachments(attachments: &[AttachmentDeduction], creditor: &str) -> Vec<OwnAttachment> {
    attachments
        .iter()
        .filter(|a| a.party.creditor_code() == Some(creditor))
        .map(|a| OwnAttachment {
            attachment_id: a.attachment_id.clone(),
            monthly_amount: a.monthly_amount,
        })
        .collect()
}

fn own_arrangements(arrangements: &[ArrangementDeduction], creditor: &str) -> Vec<OwnArrangement> {
    arrangements
        .iter()
        .filter_map(|a| {
            let (claim_keys, monthly_amount, coordinating) = match &a.kind {
                ArrangementKind::Rijk { .. } => {
                    let keys = a.kind.claim_keys_of(creditor);
                    let coordinating = a.kind.coordinator() == Some(creditor);
                    let instalment = coordinating.then_some(a.monthly_amount);
                    (coordinating || !keys.is_empty()).then_some((
                        keys,
                        instalment,
                        coordinating,
                    ))?
                }
                ArrangementKind::SingleParty { party } => (party.creditor_code() == Some(creditor))
                    .then_some((Vec::new(), Some(a.monthly_amount), false))?,
            };
            Some(OwnArrangement {
                arrangement_id: a.arrangement_id.clone(),
                claim_keys,
                monthly_amount,
                coordinating,
            })
        })
        .collect()
}

fn explain(details: &CreditorFlagDetails, remaining_capacity: Option<Money>) -> String {
    let mut explanation = match details {
        CreditorFlagDetails::SubsistenceMinimumUndercut {
            shortfall,
            norm_certainty,
            own_attachments,
            own_arrangements,
        } => format!(
            "Door beslagen en betalingsregelingen samen houdt deze persoon {}{} per maand minder over \
             dan de gemeenschappelijke norm (bestaansminimum). Daarbij gaat het ook om {}. Beoordeel \
             of u uw inhouding of aflossing kunt verlagen of opschorten.",
            norm_certainty.at_least(),
            text::euro(*shortfall),
            own_parts(own_attachments, own_arrangements)
        ),
        CreditorFlagDetails::MultipleAttachingParties { concurrences } => {
            explain_concurrences(concurrences)
        }
        CreditorFlagDetails::DeviatingExemptAmount {
            attachment_id,
            applied,
            common_norm,
            norm_certainty,
            difference,
            direction,
        } => {
            let direction = match direction {
                Deviation::Lower => {
                    "lager: deze persoon houdt daardoor te weinig over. Pas de beslagvrije voet aan"
                }
                Deviation::Higher => "hoger",
            };
            let at_least = norm_certainty.at_least();
            format!(
                "U gaat bij beslag {attachment_id} uit van een beslagvrije voet van {}; de \
                 gemeenschappelijke norm is {}{}. Uw beslagvrije voet is {at_least}{} {direction}.",
                text::euro(*applied),
                norm_certainty.qualifier(),
                text::euro(*common_norm),
                text::euro(*difference)
            )
        }
        CreditorFlagDetails::ClaimInArrangementAndAttachment {
            attachment_id,
            arrangement_id,
            claim_keys,
            attachment_names_claims,
        } => format!(
            "U legt beslag {attachment_id}{} voor {}, terwijl {} in betalingsregeling \
             {arrangement_id}. Pauzeer de invordering daarvan zolang de regeling loopt.",
            if *attachment_names_claims {
                ""
            } else {
                " (dat geen vorderingen noemt en dus voor al uw vorderingen geldt)"
            },
            claims_phrase(claim_keys),
            if claim_keys.len() == 1 {
                "die ook zit"
            } else {
                "die ook zitten"
            }
        ),
        CreditorFlagDetails::ConcurrentArrangements { own_arrangements } => format!(
            "Deze persoon heeft meer dan één lopende betalingsregeling, waaronder {}.",
            own_parts(&[], own_arrangements)
        ),
    };
    if let Some(capacity) = remaining_capacity {
        explanation.push_str(&format!(
            " De resterende afloscapaciteit van deze persoon is {} per maand.",
            text::euro(capacity)
        ));
    }
    explanation
}

/// What a creditor is told of the incomes it attaches with another party: where there is one
/// (the usual case) without naming it, otherwise income by income.
fn explain_concurrences(concurrences: &[OwnConcurrence]) -> String {
    // A coordinator is named only where one attachment is executorial, which then began.
    let why = |c: &OwnConcurrence| {
        c.coordinator_since
            .map(|start| why_coordinates(c.coordinator_tied, start))
            .unwrap_or_default()
    };
    concurrences
        .iter()
        .map(|c| {
            let coordination = match &c.coordination {
                Coordination::ThisCreditor(_) => format!(
                    "U coördineert de beslagen, omdat u {} (art. 478 Rv).",
                    why(c)
                ),
                Coordination::AnotherParty(party) => format!(
                    "{party} int voor alle beslagleggers, omdat die {}; meld uw beslag en het \
                     beloop van uw vordering bij die partij (art. 478 lid 1 en 6 Rv).",
                    why(c)
                ),
                Coordination::NoneYet => {
                    "Geen van de beslagen is executoriaal; er is nog geen coördinerende partij."
                        .to_owned()
                }
            };
            let income = if concurrences.len() == 1 {
                "hetzelfde inkomen van deze persoon".to_owned()
            } else {
                format!("hetzelfde inkomen ({})", c.income_source)
            };
            format!(
                // "One or more": how many others attach is not told, so that a party joining
                // does not change what the others read.
                "Naast uw {} {} ligt er ook beslag van een of meer andere partijen op {income}. \
                 {coordination}",
                if c.own_attachment_ids.len() == 1 {
                    "beslag"
                } else {
                    "beslagen"
                },
                text::list(&c.own_attachment_ids)
            )
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn own_parts(attachments: &[OwnAttachment], arrangements: &[OwnArrangement]) -> String {
    let attachments = attachments.iter().map(|a| {
        format!(
            "uw beslag {} ({} per maand)",
            a.attachment_id,
            text::euro(a.monthly_amount)
        )
    });
    let arrangements = arrangements.iter().map(|a| {
        let id = &a.arrangement_id;
        match (a.monthly_amount, a.coordinating, a.claim_keys.is_empty()) {
            (Some(amount), true, true) => format!(
                "betalingsregeling {id}, die u coördineert ({} per maand)",
                text::euro(amount)
            ),
            (Some(amount), true, false) => format!(
                "uw {} in betalingsregeling {id}, die u coördineert ({} per maand)",
                claims_phrase(&a.claim_keys),
                text::euro(amount)
            ),
            (Some(amount), false, _) => format!(
                "uw betalingsregeling {id} ({} per maand)",
                text::euro(amount)
            ),
            (None, ..) => format!(
                "uw {} in betalingsregeling {id}",
                claims_phrase(&a.claim_keys)
            ),
        }
    });
    text::list(&attachments.chain(arrangements).collect::<Vec<_>>())
}
