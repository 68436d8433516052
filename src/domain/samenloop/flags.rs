//! The samenloop flags, their figures, identity keys, explanations for the citizen and the
//! creditors each one concerns.

use std::collections::BTreeSet;
use std::fmt;

use chrono::NaiveDate;

use super::detect::Detection;
use super::input::{ArrangementKind, Party};
use super::text;
use crate::domain::creditor::{self, Creditor};
use crate::domain::money::Money;
use crate::domain::overview::Addressee;

/// The flag codes; part of the public contract. Declared in the order flags are shown.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum FlagCode {
    SubsistenceMinimumUndercut,
    MultipleAttachingParties,
    DeviatingExemptAmount,
    ClaimInArrangementAndAttachment,
    ConcurrentArrangements,
}

impl FlagCode {
    pub const ALL: [FlagCode; 5] = [
        FlagCode::SubsistenceMinimumUndercut,
        FlagCode::MultipleAttachingParties,
        FlagCode::DeviatingExemptAmount,
        FlagCode::ClaimInArrangementAndAttachment,
        FlagCode::ConcurrentArrangements,
    ];

    pub fn code(self) -> &'static str {
        match self {
            FlagCode::SubsistenceMinimumUndercut => "BESTAANSMINIMUM_ONDERSCHREDEN",
            FlagCode::MultipleAttachingParties => "MEERDERE_BESLAGLEGGERS",
            FlagCode::DeviatingExemptAmount => "AFWIJKENDE_BESLAGVRIJE_VOET",
            FlagCode::ClaimInArrangementAndAttachment => "VORDERING_IN_REGELING_EN_BESLAG",
            FlagCode::ConcurrentArrangements => "SAMENLOOP_REGELINGEN",
        }
    }

    /// What a notification of its lifting says instead of the flag's own text, which would still
    /// ask the reader to act (a creditor, or the person's counsellor). A shortfall lifted while
    /// the evaluation leaves one undecided (`shortfall_undecided`) is certain no longer, but not
    /// ruled out.
    pub fn cleared_explanation(self, shortfall_undecided: bool) -> &'static str {
        match self {
            FlagCode::SubsistenceMinimumUndercut if shortfall_undecided => {
                FlagCode::UNDERCUT_NO_LONGER_CERTAIN
            }
            FlagCode::SubsistenceMinimumUndercut => {
                "Opgeheven: beslagen en betalingsregelingen samen laten deze persoon niet langer \
                 minder over dan de gemeenschappelijke norm (bestaansminimum). Voor deze \
                 signalering is niets meer nodig."
            }
            FlagCode::MultipleAttachingParties => {
                "Opgeheven: de beslagen van meerdere partijen waarover eerder is gemeld, lopen niet \
                 langer naast elkaar. Voor deze signalering is niets meer nodig."
            }
            FlagCode::DeviatingExemptAmount => {
                "Opgeheven: de afwijkende beslagvrije voet waarover eerder is gemeld speelt niet \
                 meer: het beslag past de gemeenschappelijke norm toe, noemt geen eigen \
                 beslagvrije voet meer, of loopt niet meer. Voor deze signalering is niets meer nodig."
            }
            FlagCode::ClaimInArrangementAndAttachment => {
                "Opgeheven: de vorderingen waarover eerder is gemeld, vallen niet langer zowel onder \
                 een lopende betalingsregeling als onder een beslag. Voor deze signalering is niets meer nodig."
            }
            FlagCode::ConcurrentArrangements => {
                "Opgeheven: deze persoon heeft niet langer meer dan één lopende betalingsregeling. \
                 Voor deze signalering is niets meer nodig."
            }
        }
    }

    /// See [`FlagCode::cleared_explanation`].
    const UNDERCUT_NO_LONGER_CERTAIN: &'static str = "Niet langer vastgesteld: met de beslagen \
         en betalingsregelingen die nu lopen, houdt deze persoon bij de laagste norm die de bekende \
         gegevens toelaten genoeg over, maar bij een hogere norm mogelijk niet. Dat hangt af van \
         gegevens die ontbreken; wie ze kan geven, is erom gevraagd. Tot dan is een tekort niet \
         uitgesloten.";

    /// What a creditor whose part of a flag ended is told, while the flag still holds for
    /// others.
    pub const NO_LONGER_CONCERNS: &'static str = "Deze signalering betreft uw beslagen en \
         regelingen niet langer; voor u is voor deze signalering niets meer nodig.";

    pub fn from_code(code: &str) -> Option<FlagCode> {
        FlagCode::ALL.into_iter().find(|c| c.code() == code)
    }
}

/// Identifies "the same flag" across evaluations: the code plus the ids of what it is about.
/// Stable text, fit to store; `:` and `\` inside ids are escaped so that different ids never
/// give the same key.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FlagKey(String);

impl FlagKey {
    fn new(code: FlagCode, subjects: &[&str]) -> FlagKey {
        let mut key = code.code().to_owned();
        for subject in subjects {
            key.push(':');
            key.push_str(&subject.replace('\\', "\\\\").replace(':', "\\:"));
        }
        FlagKey(key)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for FlagKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A running attachment as one of the deductions.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct AttachmentDeduction {
    pub attachment_id: String,
    pub party: Party,
    pub monthly_amount: Money,
}

/// A running arrangement as one of the deductions.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct ArrangementDeduction {
    pub arrangement_id: String,
    pub kind: ArrangementKind,
    pub monthly_amount: Money,
}

impl ArrangementDeduction {
    /// The government creditors it concerns: those taking part, and the collector coordinating
    /// a Betalingsregeling Rijk (§5.2).
    fn concerns(&self) -> impl Iterator<Item = &str> {
        self.kind
            .creditors()
            .into_iter()
            .chain(self.kind.coordinator())
    }
}

/// How the norm a flag was judged on relates to the person's common norm: the norm itself, or,
/// while data is missing and the norm is a range, the bound of that range that decided the flag
/// (the real norm is then at least, or at most, that amount).
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
)]
pub enum NormCertainty {
    /// Also for flags evaluated before this was recorded, which were judged on a known norm or
    /// keep their text until the person's next change.
    #[default]
    Exact,
    AtLeast,
    AtMost,
}

impl NormCertainty {
    /// "ten minste " or "ten hoogste " before an amount that is a bound; nothing for the norm.
    pub fn qualifier(self) -> &'static str {
        match self {
            NormCertainty::Exact => "",
            NormCertainty::AtLeast => "ten minste ",
            NormCertainty::AtMost => "ten hoogste ",
        }
    }

    /// "ten minste " before a difference from the norm, when it was taken from a bound: the
    /// real difference is then at least that.
    pub fn at_least(self) -> &'static str {
        match self {
            NormCertainty::Exact => "",
            NormCertainty::AtLeast | NormCertainty::AtMost => "ten minste ",
        }
    }

    /// The API's code: `TEN_MINSTE` or `TEN_HOOGSTE` for a bound, none for the norm itself.
    pub fn code(self) -> Option<&'static str> {
        match self {
            NormCertainty::Exact => None,
            NormCertainty::AtLeast => Some("TEN_MINSTE"),
            NormCertainty::AtMost => Some("TEN_HOOGSTE"),
        }
    }
}

/// `BESTAANSMINIMUM_ONDERSCHREDEN`: the deductions exceed what the person can miss above the
/// norm. Totals are derived from the listed deductions, so they cannot disagree with them.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct SubsistenceMinimumUndercut {
    pub net_income: Money,
    /// The lowest norm the known data allows: a shortfall there holds for every norm.
    pub norm: Money,
    /// `AtLeast` while the norm is a range: the shortfall is then at least the one computed.
    #[serde(default)]
    pub norm_certainty: NormCertainty,
    pub attachments: Vec<AttachmentDeduction>,
    pub arrangements: Vec<ArrangementDeduction>,
}

impl SubsistenceMinimumUndercut {
    /// All running attachments and arrangements per month.
    pub fn deductions(&self) -> Money {
        let attachments: Money = self.attachments.iter().map(|a| a.monthly_amount).sum();
        let arrangements: Money = self.arrangements.iter().map(|a| a.monthly_amount).sum();
        attachments + arrangements
    }

    /// Net income − norm; negative when the income is below the norm already.
    pub fn available(&self) -> Money {
        self.net_income - self.norm
    }

    /// Deductions − available: how much more the person would need per month to keep the
    /// norm, so that net income − deductions + shortfall = norm exactly. When the income is
    /// below the norm already, that is all deductions plus the deficit.
    pub fn shortfall(&self) -> Money {
        self.deductions() - self.available()
    }

    /// The part of the shortfall that no creditor can take away by stopping its deductions.
    pub fn deficit_without_deductions(&self) -> Money {
        (-self.available()).max(Money::ZERO)
    }
}

/// A running attachment as one of several by different parties.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct PartyAttachment {
    pub attachment_id: String,
    pub party: Party,
    pub start: NaiveDate,
    pub executorial: bool,
    /// What it attaches (wage from an employer, a benefit): the third party that pays it is the
    /// derde-beslagene of art. 478 Rv. Empty in evaluations kept before it was recorded, which
    /// then count as one source, as they were judged.
    #[serde(default)]
    pub income_source: String,
}

/// Attachments by two or more different parties on one income source: under one derde-beslagene,
/// so art. 478 lid 1 Rv has the oldest executorial one collect for all of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Concurrence<'a> {
    /// As the first of them names it.
    pub income_source: &'a str,
    pub attachments: Vec<&'a PartyAttachment>,
}

impl<'a> Concurrence<'a> {
    /// The oldest executorial attachment (art. 478 lid 1 Rv): its party coordinates and collects
    /// for all on this source. Equal start dates go to the lowest attachment id. `None` while none
    /// is executorial.
    pub fn coordinator(&self) -> Option<&'a PartyAttachment> {
        self.attachments
            .iter()
            .copied()
            .filter(|a| a.executorial)
            .min_by(|a, b| (a.start, &a.attachment_id, *a).cmp(&(b.start, &b.attachment_id, *b)))
    }

    /// Whether another executorial attachment here started on the coordinator's day: which of
    /// them was laid first that day is not known here, so the texts do not call it the oldest.
    pub fn coordinator_tied(&self) -> bool {
        self.coordinator().is_some_and(|first| {
            self.attachments.iter().any(|a| {
                a.executorial && a.start == first.start && a.attachment_id != first.attachment_id
            })
        })
    }
}

/// Why the party of the attachment that began on `start` coordinates, for the texts: it is the
/// oldest executorial one (art. 478 lid 1 Rv), or, when another began that day too, the one
/// registered first of that day's.
pub fn why_coordinates(tied: bool, start: NaiveDate) -> String {
    if tied {
        format!(
            "van de executoriale beslagen die op {} begonnen, het beslag heeft dat hier als \
             eerste werd gemeld; welk daarvan die dag het eerst werd gelegd, is hier niet bekend",
            text::date(start)
        )
    } else {
        format!(
            "het oudste executoriale beslag heeft, sinds {}",
            text::date(start)
        )
    }
}

/// `MEERDERE_BESLAGLEGGERS`: running attachments by two or more different parties.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct MultipleAttachingParties {
    pub attachments: Vec<PartyAttachment>,
}

impl MultipleAttachingParties {
    /// The parties, each once, in order of their first attachment here.
    pub fn parties(&self) -> Vec<&Party> {
        let mut parties: Vec<&Party> = Vec::new();
        for attachment in &self.attachments {
            if !parties.iter().any(|p| p.is_same_party(&attachment.party)) {
                parties.push(&attachment.party);
            }
        }
        parties
    }

    /// The income sources attached by two or more different parties, each with its attachments,
    /// in order of their first attachment here. Sources written alike but for case and spacing
    /// are one. Parties attaching different sources do not concur under art. 478 Rv.
    pub fn concurrences(&self) -> Vec<Concurrence<'_>> {
        let mut sources: Vec<Concurrence<'_>> = Vec::new();
        for attachment in &self.attachments {
            let source = text::normalized(&attachment.income_source);
            match sources
                .iter_mut()
                .find(|c| text::normalized(c.income_source) == source)
            {
                Some(concurrence) => concurrence.attachments.push(attachment),
                None => sources.push(Concurrence {
                    income_source: &attachment.income_source,
                    attachments: vec![attachment],
                }),
            }
        }
        sources.retain(|c| {
            c.attachments
                .iter()
                .any(|a| !a.party.is_same_party(&c.attachments[0].party))
        });
        sources
    }

    /// The one concurrence, when all concurring attachments are on one source (the usual case):
    /// who coordinates it is then who coordinates.
    pub fn sole_concurrence(&self) -> Option<Concurrence<'_>> {
        let mut concurrences = self.concurrences();
        (concurrences.len() == 1).then(|| concurrences.remove(0))
    }

    /// Who coordinates, when that is one party for all: see [`Self::sole_concurrence`].
    pub fn sole_coordinator(&self) -> Option<&PartyAttachment> {
        self.sole_concurrence()?.coordinator()
    }

    /// The concurrences `creditor`'s attachments are in: one per income it shares with another
    /// party.
    pub fn concurrences_of(&self, creditor: &str) -> Vec<Concurrence<'_>> {
        let mut concurrences = self.concurrences();
        concurrences.retain(|c| {
            c.attachments
                .iter()
                .any(|a| a.party.creditor_code() == Some(creditor))
        });
        concurrences
    }
}

/// Whether a party's BVV is below the common norm (the person keeps too little) or above it.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum Deviation {
    Lower,
    Higher,
}

/// `AFWIJKENDE_BESLAGVRIJE_VOET`: one running attachment whose BVV is not the common norm.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct DeviatingExemptAmount {
    pub attachment_id: String,
    pub party: Party,
    pub applied: Money,
    /// The common norm, or while it is a range the bound nearest to `applied`: the difference
    /// is then at least the one computed.
    pub common_norm: Money,
    #[serde(default)]
    pub norm_certainty: NormCertainty,
}

impl DeviatingExemptAmount {
    /// The size of the difference, never negative; `direction` says which way.
    pub fn difference(&self) -> Money {
        (self.applied - self.common_norm).max(self.common_norm - self.applied)
    }

    pub fn direction(&self) -> Deviation {
        if self.applied < self.common_norm {
            Deviation::Lower
        } else {
            Deviation::Higher
        }
    }
}

/// `VORDERING_IN_REGELING_EN_BESLAG`: claims of one creditor in a running Betalingsregeling
/// Rijk that a running attachment of the same creditor is also for.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct ClaimInArrangementAndAttachment {
    pub creditor: String,
    pub claim_keys: Vec<String>,
    pub attachment_id: String,
    pub arrangement_id: String,
    /// The attachment named these claims; when `false` it named none and so counts for all.
    pub attachment_names_claims: bool,
}

/// `SAMENLOOP_REGELINGEN`: more than one running arrangement.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct ConcurrentArrangements {
    pub arrangements: Vec<ArrangementDeduction>,
}

impl ConcurrentArrangements {
    pub fn total(&self) -> Money {
        self.arrangements.iter().map(|a| a.monthly_amount).sum()
    }
}

#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum Flag {
    SubsistenceMinimumUndercut(SubsistenceMinimumUndercut),
    MultipleAttachingParties(MultipleAttachingParties),
    DeviatingExemptAmount(DeviatingExemptAmount),
    ClaimInArrangementAndAttachment(ClaimInArrangementAndAttachment),
    ConcurrentArrangements(ConcurrentArrangements),
}

impl Flag {
    pub fn code(&self) -> FlagCode {
        match self {
            Flag::SubsistenceMinimumUndercut(_) => FlagCode::SubsistenceMinimumUndercut,
            Flag::MultipleAttachingParties(_) => FlagCode::MultipleAttachingParties,
            Flag::DeviatingExemptAmount(_) => FlagCode::DeviatingExemptAmount,
            Flag::ClaimInArrangementAndAttachment(_) => FlagCode::ClaimInArrangementAndAttachment,
            Flag::ConcurrentArrangements(_) => FlagCode::ConcurrentArrangements,
        }
    }

    /// Flags about the person as a whole have one key per person; the others are keyed by the
    /// attachment (and arrangement) they are about. Figures are not part of the key: a change
    /// in figures is the same flag, changed.
    pub fn key(&self) -> FlagKey {
        match self {
            Flag::DeviatingExemptAmount(flag) => FlagKey::new(self.code(), &[&flag.attachment_id]),
            Flag::ClaimInArrangementAndAttachment(flag) => {
                FlagKey::new(self.code(), &[&flag.attachment_id, &flag.arrangement_id])
            }
            Flag::SubsistenceMinimumUndercut(_)
            | Flag::MultipleAttachingParties(_)
            | Flag::ConcurrentArrangements(_) => FlagKey::new(self.code(), &[]),
        }
    }

    /// Government creditors to notify, sorted and without repeats. Private parties are not in
    /// the system and are never listed.
    pub fn affected_creditors(&self) -> Vec<String> {
        let creditors: BTreeSet<&str> = match self {
            Flag::SubsistenceMinimumUndercut(flag) => flag
                .attachments
                .iter()
                .filter_map(|a| a.party.creditor_code())
                .chain(
                    flag.arrangements
                        .iter()
                        .flat_map(ArrangementDeduction::concerns),
                )
                .collect(),
            Flag::MultipleAttachingParties(flag) => flag
                .concurrences()
                .into_iter()
                .flat_map(|c| c.attachments)
                .filter_map(|a| a.party.creditor_code())
                .collect(),
            Flag::DeviatingExemptAmount(flag) => flag.party.creditor_code().into_iter().collect(),
            Flag::ClaimInArrangementAndAttachment(flag) => BTreeSet::from([flag.creditor.as_str()]),
            Flag::ConcurrentArrangements(flag) => flag
                .arrangements
                .iter()
                .flat_map(ArrangementDeduction::concerns)
                .collect(),
        };
        creditors.into_iter().map(str::to_owned).collect()
    }

    /// What is the matter, with all figures, naming government creditors as the registry
    /// `creditors` does: to the person, or to their counsellor about the client.
    pub fn explanation(&self, creditors: &[Creditor], addressee: Addressee) -> String {
        self.explain(true, creditors, addressee)
    }

    /// As [`Flag::explanation`] for a flag of a `detection`: one made for a proposal names no
    /// creditor as told, since a proposal tells nobody.
    pub fn explanation_in(
        &self,
        detection: &Detection,
        creditors: &[Creditor],
        addressee: Addressee,
    ) -> String {
        self.explain(!detection.hypothetical, creditors, addressee)
    }

    fn explain(&self, told: bool, creditors: &[Creditor], addressee: Addressee) -> String {
        match self {
            Flag::SubsistenceMinimumUndercut(flag) => {
                let told: Vec<String> = if told {
                    self.affected_creditors()
                        .iter()
                        .map(|code| creditor::name_of(creditors, code).to_owned())
                        .collect()
                } else {
                    Vec::new()
                };
                explain_undercut(flag, &told, addressee)
            }
            Flag::MultipleAttachingParties(flag) => explain_multiple_parties(flag, creditors),
            Flag::DeviatingExemptAmount(flag) => explain_deviation(flag, creditors, addressee),
            Flag::ClaimInArrangementAndAttachment(flag) => explain_claim_in_both(flag, creditors),
            Flag::ConcurrentArrangements(flag) => {
                explain_concurrent_arrangements(flag, creditors, addressee)
            }
        }
    }
}

/// `told`: the names of the creditors told of it. The norm is named as on every page: the
/// beslagvrije voet (the common norm of docs/domain.md).
fn explain_undercut(
    flag: &SubsistenceMinimumUndercut,
    told: &[String],
    addressee: Addressee,
) -> String {
    let which = match flag.norm_certainty {
        NormCertainty::Exact => addressee.say("uw beslagvrije voet", "de beslagvrije voet"),
        _ => {
            "de laagste beslagvrije voet die past bij wat bekend is; met meer gegevens kan die hoger zijn"
        }
    };
    let income = addressee.say("uw inkomen", "het inkomen van uw cliënt");
    let norm = format!(
        "Van {} van {} per maand moet {} ten minste {} overhouden ({which}).",
        addressee.say("uw netto-inkomen", "het netto-inkomen van uw cliënt"),
        text::euro(flag.net_income),
        addressee.say("u", "uw cliënt"),
        text::euro(flag.norm)
    );
    let at_least = flag.norm_certainty.at_least();
    let deficit = flag.deficit_without_deductions();
    let mut explanation = if flag.deductions().is_zero() {
        format!(
            "{norm} Er wordt niets ingehouden, maar {income} ligt {} onder de beslagvrije voet.",
            text::euro(deficit)
        )
    } else {
        let mut explanation = format!(
            "Op {income} wordt per maand {} ingehouden of afgelost voor beslagen en \
             betalingsregelingen samen. {norm} {} daardoor {at_least}{} per maand te weinig over.",
            text::euro(flag.deductions()),
            addressee.say("U houdt", "Uw cliënt houdt"),
            text::euro(flag.shortfall())
        );
        if deficit.is_positive() {
            explanation.push_str(&format!(
                " {} ligt ook zonder inhoudingen al {} onder de beslagvrije voet.",
                addressee.say("Uw inkomen", "Het inkomen van uw cliënt"),
                text::euro(deficit)
            ));
        }
        explanation
    };
    // The counsellor is the help this points the person to.
    if deficit.is_positive() && addressee == Addressee::Person {
        explanation.push_str(
            " Vraag uw gemeente om hulp: schuldhulpverlening kan met u kijken naar uw inkomen en uw schulden.",
        );
    }
    if !told.is_empty() {
        explanation.push_str(&format!(
            " {} {} hierover een melding.",
            text::list(told),
            if told.len() == 1 { "krijgt" } else { "krijgen" }
        ));
    }
    explanation
}

fn explain_multiple_parties(flag: &MultipleAttachingParties, creditors: &[Creditor]) -> String {
    let parties: Vec<&str> = flag
        .parties()
        .into_iter()
        .map(|p| text::party(p, creditors))
        .collect();
    let concurrences = flag.concurrences();
    // The source is named only where not every attachment is on the one shared source.
    let all_on_one =
        concurrences.len() == 1 && concurrences[0].attachments.len() == flag.attachments.len();
    let coordination: Vec<String> = concurrences
        .iter()
        .map(|c| {
            let on = if all_on_one {
                String::new()
            } else {
                format!(" op {}", c.income_source)
            };
            match c.coordinator() {
                Some(coordinator) => format!(
                    "{} coördineert de beslagen{on} en verdeelt wat wordt ingehouden over alle \
                     beslagleggers daarop, omdat die {} (art. 478 Rv).",
                    text::party(&coordinator.party, creditors),
                    why_coordinates(c.coordinator_tied(), coordinator.start)
                ),
                None => format!(
                    "Geen van de beslagen{on} is executoriaal, dus er is nog geen partij die de \
                     beslagen coördineert."
                ),
            }
        })
        .collect();
    let coordination = if coordination.is_empty() {
        "Zij leggen beslag op verschillende inkomsten. Alleen beslagen op hetzelfde inkomen (bij \
         dezelfde werkgever of uitkeringsinstantie) worden door één partij gecoördineerd (art. 478 \
         Rv); dat speelt hier dus niet."
            .to_owned()
    } else {
        coordination.join(" ")
    };
    format!(
        "Er ligt beslag van {} verschillende partijen: {}. {coordination}",
        parties.len(),
        text::list(&parties)
    )
}

fn explain_deviation(
    flag: &DeviatingExemptAmount,
    creditors: &[Creditor],
    addressee: Addressee,
) -> String {
    let consequence = match flag.direction() {
        Deviation::Lower => addressee.say(
            "lager: u houdt daardoor te weinig over",
            "lager: uw cliënt houdt daardoor te weinig over",
        ),
        Deviation::Higher => "hoger",
    };
    let bound = flag.norm_certainty.qualifier();
    let difference = flag.norm_certainty.at_least();
    format!(
        "Bij het beslag van {} wordt uitgegaan van een beslagvrije voet van {}; volgens de wet is \
         {} {bound}{}. Die van het beslag is {difference}{} {consequence}.",
        text::party(&flag.party, creditors),
        text::euro(flag.applied),
        addressee.say("uw beslagvrije voet", "de beslagvrije voet van uw cliënt"),
        text::euro(flag.common_norm),
        text::euro(flag.difference())
    )
}

fn explain_claim_in_both(flag: &ClaimInArrangementAndAttachment, creditors: &[Creditor]) -> String {
    let scope = if flag.attachment_names_claims {
        ""
    } else {
        " (het beslag noemt geen vorderingen en geldt dus voor alle vorderingen van deze schuldeiser)"
    };
    format!(
        "{creditor} legt beslag{scope} voor {claims}, terwijl {also} in de Betalingsregeling \
         Rijk. Zolang de regeling loopt, hoort {creditor} de invordering daarvan te pauzeren.",
        creditor = creditor::name_of(creditors, &flag.creditor),
        claims = claims_phrase(&flag.claim_keys),
        also = if flag.claim_keys.len() == 1 {
            "die ook zit"
        } else {
            "die ook zitten"
        },
    )
}

fn explain_concurrent_arrangements(
    flag: &ConcurrentArrangements,
    creditors: &[Creditor],
    addressee: Addressee,
) -> String {
    let lines: Vec<String> = flag
        .arrangements
        .iter()
        .map(|a| {
            let which = match &a.kind {
                ArrangementKind::Rijk { .. } => "een Betalingsregeling Rijk".to_owned(),
                ArrangementKind::SingleParty { party } => {
                    format!("een regeling met {}", text::party(party, creditors))
                }
            };
            format!("{which} ({} per maand)", text::euro(a.monthly_amount))
        })
        .collect();
    format!(
        "{} {} betalingsregelingen tegelijk: {}. Samen betaalt {} {} per maand.",
        addressee.say("U heeft", "Uw cliënt heeft"),
        flag.arrangements.len(),
        text::list(&lines),
        addressee.say("u", "uw cliënt"),
        text::euro(flag.total())
    )
}

/// "vordering K1" or "vorderingen K1 en K2".
pub(super) fn claims_phrase(claim_keys: &[String]) -> String {
    let noun = if claim_keys.len() == 1 {
        "vordering"
    } else {
        "vorderingen"
    };
    format!("{noun} {}", text::list(claim_keys))
}
