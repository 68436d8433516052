//! Schuldhulptrajecten (docs/debt-help-chain.md): a counsellor with a live mandate registers that a citizen
//! is in municipal debt help — the *schuldenpauze* of the basisdienstverlening, as VISH does for
//! bailiffs. Every government creditor with an open claim on the person is told, with its own
//! claims only, that collection and surcharges pause and which counsellor organisation to
//! contact; again when the phase changes or the trajectory ends. In the Wsnp they are told what
//! the Faillissementswet says instead, and so is the collector coordinating a running
//! Betalingsregeling Rijk. A creditor whose first claim on the person arrives during the
//! trajectory is told then. What happens during the pause — a
//! surcharge, a new attachment, a phase escalation — is recorded as always (the creditor's
//! ledger is the truth) and signalled to the person's counsellors and to that creditor.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{NaiveDate, NaiveDateTime};

use super::access::Action;
use super::arrangement::Arrangement;
use super::attachment::Attachment;
use super::authorization::Access;
use super::claims::{Claim, ClaimBatch, ClaimEvent, Phase as ClaimPhase, SurchargeCategory};
use super::counsellor::CounsellorOrganisation;
use super::decision::{AccessRecord, Decision, Effects, Write};
use super::mandate::{Mandate, MandateStatus};
use super::notification::{
    MachtigingBeeindigd, Melding, Notification, PauzeSignaal, Recipient, SchuldhulptrajectMelding,
    SchuldhulpverlenerContact, VorderingInTraject,
};
use super::person::PersonId;
use super::samenloop::Party;
use super::text;
use super::time::Moment;
use super::validation::FieldIssue;

/// The phase of municipal debt help (Wet gemeentelijke schuldhulpverlening, and the WSNP).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TrajectoryPhase {
    Stabilisatie,
    Schuldregeling,
    Saneringskrediet,
    Wsnp,
}

impl TrajectoryPhase {
    pub const ALL: [TrajectoryPhase; 4] = [
        TrajectoryPhase::Stabilisatie,
        TrajectoryPhase::Schuldregeling,
        TrajectoryPhase::Saneringskrediet,
        TrajectoryPhase::Wsnp,
    ];

    pub fn code(self) -> &'static str {
        match self {
            TrajectoryPhase::Stabilisatie => "STABILISATIE",
            TrajectoryPhase::Schuldregeling => "SCHULDREGELING",
            TrajectoryPhase::Saneringskrediet => "SANERINGSKREDIET",
            TrajectoryPhase::Wsnp => "WSNP",
        }
    }

    pub fn from_code(code: &str) -> Option<TrajectoryPhase> {
        TrajectoryPhase::ALL.into_iter().find(|p| p.code() == code)
    }

    /// The wettelijke schuldsanering: see [`Trajectory::is_schuldsanering`].
    pub fn is_schuldsanering(self) -> bool {
        self == TrajectoryPhase::Wsnp
    }
}

/// A debt-help trajectory of one person, registered by one counsellor organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trajectory {
    pub id: String,
    pub person: PersonId,
    /// The counsellor organisation that registered it; only it changes the phase.
    pub counsellor: String,
    /// The mandate the counsellor last acted under, watched so that its end is not silent.
    pub mandate_id: String,
    pub mandate_valid_until: NaiveDate,
    /// Whether the counsellor was told that this mandate ended.
    pub mandate_end_told: bool,
    pub phase: TrajectoryPhase,
    /// The day the court declared the wettelijke schuldsanering applicable (`uitspraakdatum`),
    /// when the counsellor gave it: the attachments laid by then lapsed that day (see
    /// [`Attachment::lapsed_by`]).
    pub ruling: Option<NaiveDate>,
    pub start: NaiveDate,
    /// The last day, once ended.
    pub end: Option<NaiveDate>,
    pub registered_at: NaiveDateTime,
    pub changed_at: NaiveDateTime,
    pub ended_at: Option<NaiveDateTime>,
    /// The creditors told of it, by code.
    pub informed: BTreeSet<String>,
    /// Optimistic concurrency: a change is written only over the version it was read at.
    pub version: i64,
}

/// What a counsellor registers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registration {
    pub phase: TrajectoryPhase,
    pub start: NaiveDate,
    /// In the phase WSNP, the day of the ruling, when known.
    pub ruling: Option<NaiveDate>,
}

/// The person's claims and Betalingsregelingen Rijk: whom a trajectory's notices reach.
#[derive(Debug, Clone, Copy)]
pub struct Debts<'a> {
    pub claims: &'a [Claim],
    pub arrangements: &'a [Arrangement],
}

/// A change: another phase, the end (its last day), the day of the Wsnp ruling, or several.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrajectoryChange {
    pub phase: Option<TrajectoryPhase>,
    pub end: Option<NaiveDate>,
    pub ruling: Option<NaiveDate>,
}

/// A trajectory is registered once it has begun: its start is today or earlier.
pub fn check_start(start: NaiveDate, today: NaiveDate) -> Option<FieldIssue> {
    (start > today).then(|| {
        FieldIssue::new(
            "startdatum",
            "in_toekomst",
            "mag niet na vandaag liggen: registreer het traject als het begonnen is",
        )
    })
}

/// The day of the ruling belongs with the phase WSNP (the one it would have), and has passed.
pub fn check_ruling(
    ruling: Option<NaiveDate>,
    phase: TrajectoryPhase,
    today: NaiveDate,
) -> Option<FieldIssue> {
    let ruling = ruling?;
    if !phase.is_schuldsanering() {
        Some(FieldIssue::new(
            "uitspraakdatum",
            "alleen_bij_wsnp",
            "hoort alleen bij de fase WSNP: de dag waarop de rechter de schuldsanering uitsprak",
        ))
    } else if ruling > today {
        Some(FieldIssue::new(
            "uitspraakdatum",
            "in_toekomst",
            "mag niet na vandaag liggen",
        ))
    } else {
        None
    }
}

fn already_running(ours: bool) -> &'static str {
    if ours {
        "Uw organisatie heeft voor deze burger al een lopend schuldhulptraject. Wijzig of beëindig \
         dat traject."
    } else {
        "Voor deze burger loopt al een schuldhulptraject van een andere organisatie. Alleen die \
         organisatie, of de burger zelf, kan het wijzigen of beëindigen."
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TrajectoryError {
    #[error("invalid input")]
    Invalid(Vec<FieldIssue>),
    /// One runs already: `ours` when the caller's organisation registered it, which alone (with
    /// the citizen) may change it.
    #[error("{}", already_running(*.ours))]
    AlreadyRunning { ours: bool },
    #[error("Dit schuldhulptraject is beëindigd en kan niet meer worden gewijzigd.")]
    Ended,
    #[error(
        "Alleen de schuldhulpverlener wijzigt de fase en de uitspraakdatum. U kunt het traject wel beëindigen met een einddatum."
    )]
    OnlyCounsellorChangesPhase,
}

/// Who acts on a trajectory, as its rules need to know.
pub enum TrajectoryActor<'a> {
    /// A counsellor organisation, under its live mandate of the person.
    Counsellor(&'a Mandate),
    /// The citizen themself: they may end it (after leaving debt help), not change its phase.
    Citizen,
}

/// Where the counsellor organisation is reached: its registry entry, or only its id when it left
/// the registry.
fn contact(id: &str, registry: Option<&CounsellorOrganisation>) -> SchuldhulpverlenerContact {
    SchuldhulpverlenerContact {
        id: id.to_owned(),
        naam: registry.map_or_else(|| id.to_owned(), |c| c.name.clone()),
        website: registry.and_then(|c| c.contact.website.clone()),
        telefoon: registry.and_then(|c| c.contact.phone.clone()),
    }
}

/// The open claims of each creditor, in creditor and key order.
fn open_by_creditor(claims: &[Claim]) -> BTreeMap<String, Vec<VorderingInTraject>> {
    let mut by_creditor: BTreeMap<String, Vec<VorderingInTraject>> = BTreeMap::new();
    for claim in claims
        .iter()
        .filter(|c| c.ledger.outstanding().is_positive())
    {
        by_creditor
            .entry(claim.creditor_code.clone())
            .or_default()
            .push(VorderingInTraject {
                vorderingkenmerk: claim.claim_key.clone(),
                openstaand: claim.ledger.outstanding(),
            });
    }
    for claims in by_creditor.values_mut() {
        claims.sort_by(|a, b| a.vorderingkenmerk.cmp(&b.vorderingkenmerk));
    }
    by_creditor
}

/// What each creditor told of a trajectory hears besides its phase.
struct Told<'a> {
    /// Its own open claims (possibly none left).
    open: &'a BTreeMap<String, Vec<VorderingInTraject>>,
    /// For a collector coordinating running Betalingsregelingen Rijk in the Wsnp, their ids.
    coordinated: &'a BTreeMap<String, Vec<String>>,
    /// At the end, its open claims in a running Betalingsregeling Rijk (see
    /// [`arranged_by_creditor`]).
    arranged: &'a BTreeMap<String, Vec<String>>,
}

/// The keys of the person's open claims in a running Betalingsregeling Rijk, by creditor. The
/// end of a trajectory does not end the arrangement's own suspension: its creditors were told to
/// suspend their own collection on those claims while it runs (`REGELING_GESTART`), and the
/// instalments reach them through its coordinating collector (art. 478 Rv), so only their other
/// claims may be collected again.
fn arranged_by_creditor(debts: &Debts<'_>) -> BTreeMap<String, Vec<String>> {
    let arranged: BTreeSet<&str> = debts
        .arrangements
        .iter()
        .filter(|a| a.is_running())
        .flat_map(Arrangement::claim_ids)
        .collect();
    let mut by_creditor: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for claim in debts
        .claims
        .iter()
        .filter(|c| c.ledger.outstanding().is_positive() && arranged.contains(c.id.as_str()))
    {
        by_creditor
            .entry(claim.creditor_code.clone())
            .or_default()
            .push(claim.claim_key.clone());
    }
    for keys in by_creditor.values_mut() {
        keys.sort();
    }
    by_creditor
}

/// What a creditor whose claims `keys` are in a running Betalingsregeling Rijk is told at the end
/// of a trajectory.
fn still_arranged(keys: &[String]) -> String {
    let (these, fall) = if keys.len() == 1 {
        ("uw vordering", "valt")
    } else {
        ("uw vorderingen", "vallen")
    };
    format!(
        "Dat geldt niet voor {these} {}: die {fall} onder een lopende Betalingsregeling Rijk, en \
         zolang die loopt, blijft uw eigen invordering daarop opgeschort.",
        text::list(keys)
    )
}

/// The collectors coordinating the person's running Betalingsregelingen Rijk, each with the ids
/// of the arrangements it coordinates. In the Wsnp creditors are paid only through the
/// bewindvoerder (art. 299 lid 2 Fw) and a payment outside the boedel on their claims is void
/// (art. 306 Fw), so a coordinator collecting the instalments must be told, also one without a
/// claim of its own on the person.
fn coordinators(arrangements: &[Arrangement]) -> BTreeMap<String, Vec<String>> {
    let mut coordinated: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for arrangement in arrangements.iter().filter(|a| a.is_running()) {
        coordinated
            .entry(arrangement.coordinator.clone())
            .or_default()
            .push(arrangement.id.clone());
    }
    coordinated
}

/// What the collector coordinating the Betalingsregelingen Rijk `ids` is told when the Wsnp
/// begins (see [`coordinators`]).
fn to_coordinator(ids: &[String]) -> String {
    let which = if ids.len() == 1 {
        "de Betalingsregeling Rijk"
    } else {
        "de Betalingsregelingen Rijk"
    };
    format!(
        "U coördineert {which} {} van deze burger. Daarop kan in de schuldsanering niet meer worden \
         betaald: een betaling buiten de boedel op vorderingen waarvoor de schuldsanering werkt, is \
         nietig (art. 306 Faillissementswet). Int geen termijnen meer; de burger of de \
         schuldhulpverlener kan de regeling beëindigen.",
        text::list(ids)
    )
}

/// A trajectory's record in the access log; a Wsnp ruling recorded or corrected also changes
/// the person's circumstances (the attachments it lapsed no longer count in samenloop), so
/// samenloop is evaluated again.
fn effects(record: AccessRecord, ruling_recorded: bool) -> Effects {
    if ruling_recorded {
        Effects::changed(record)
    } else {
        Effects::read(record)
    }
}

/// Which notice: started, changed or ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Notice {
    Started,
    Changed,
    Ended,
}

impl Trajectory {
    /// Whether `change` changes it: a new phase, or an end. The same phase again changes
    /// nothing and tells nobody.
    pub fn changes_anything(&self, change: &TrajectoryChange) -> bool {
        change.end.is_some()
            || change.phase.is_some_and(|phase| phase != self.phase)
            || change
                .ruling
                .is_some_and(|ruling| Some(ruling) != self.ruling)
    }

    pub fn is_running(&self) -> bool {
        self.ended_at.is_none()
    }

    /// Whether the person is in the wettelijke schuldsanering now: what they earn above the
    /// beslagvrije voet then belongs to the boedel (art. 295 lid 2 Fw), which they may not dispose
    /// of (art. 296 lid 1 Fw), and their creditors are paid only through the scheme (art. 299
    /// lid 2 Fw).
    pub fn is_schuldsanering(&self) -> bool {
        self.is_running() && self.phase.is_schuldsanering()
    }

    /// Whether `date` falls within it: on or after its start and, once it ended, on or before
    /// its last day.
    pub fn covers(&self, date: NaiveDate) -> bool {
        date >= self.start && self.end.is_none_or(|end| date <= end)
    }

    /// Registers a trajectory for `person` under the counsellor's live `mandate`. `running` is
    /// the person's running trajectory, if any; `claims` are the person's claims: every creditor
    /// with an open one is told, with its own open claims. In the Wsnp the collectors
    /// coordinating the person's running `arrangements` are told too (see [`coordinators`]).
    #[allow(clippy::too_many_arguments)]
    pub fn register(
        access: &Access,
        person: &PersonId,
        id: String,
        registration: Registration,
        mandate: &Mandate,
        registry: Option<&CounsellorOrganisation>,
        running: Option<&Trajectory>,
        debts: Debts<'_>,
        now: Moment,
    ) -> Result<Decision<Trajectory>, TrajectoryError> {
        let issues: Vec<FieldIssue> = check_start(registration.start, now.today)
            .into_iter()
            .chain(check_ruling(
                registration.ruling,
                registration.phase,
                now.today,
            ))
            .collect();
        if !issues.is_empty() {
            return Err(TrajectoryError::Invalid(issues));
        }
        if let Some(running) = running {
            return Err(TrajectoryError::AlreadyRunning {
                ours: running.counsellor == mandate.counsellor,
            });
        }
        let open = open_by_creditor(debts.claims);
        let coordinated = if registration.phase.is_schuldsanering() {
            coordinators(debts.arrangements)
        } else {
            BTreeMap::new()
        };
        let trajectory = Trajectory {
            id,
            person: person.clone(),
            counsellor: mandate.counsellor.clone(),
            mandate_id: mandate.id.clone(),
            mandate_valid_until: mandate.valid_until,
            mandate_end_told: false,
            phase: registration.phase,
            ruling: registration.ruling,
            start: registration.start,
            end: None,
            registered_at: now.utc,
            changed_at: now.utc,
            ended_at: None,
            informed: open.keys().chain(coordinated.keys()).cloned().collect(),
            version: 0,
        };
        let record = AccessRecord::new(
            person,
            access,
            Action::TrajectoryRegistered,
            Some(&trajectory.id),
        );
        let told = Told {
            open: &open,
            coordinated: &coordinated,
            arranged: &BTreeMap::new(),
        };
        let notifications = trajectory.notices(Notice::Started, &told, registry);
        let informed = trajectory.informed.iter().cloned().collect();
        Ok(Decision {
            writes: vec![
                Write::NewTrajectory(trajectory.clone()),
                Write::TrajectoryCreditorsInformed {
                    trajectory_id: trajectory.id.clone(),
                    creditors: informed,
                },
            ],
            effects: effects(record, trajectory.ruling.is_some()).with_notifications(notifications),
            value: trajectory,
        })
    }

    /// What is wrong with `end` as its last day: not before its start, not after `today`.
    pub fn check_end(&self, end: NaiveDate, today: NaiveDate) -> Vec<FieldIssue> {
        let mut issues = Vec::new();
        if end < self.start {
            issues.push(FieldIssue::new(
                "einddatum",
                "voor_begin",
                format!(
                    "mag niet vóór {} liggen, de startdatum van het traject",
                    text::date(self.start)
                ),
            ));
        }
        if end > today {
            issues.push(FieldIssue::new(
                "einddatum",
                "in_toekomst",
                "mag niet na vandaag liggen: beëindig het traject als het is afgelopen",
            ));
        }
        issues
    }

    /// Changes the phase or ends the trajectory. Every creditor told before and every creditor
    /// with an open claim now is told, with its own open claims; on the change to the Wsnp also
    /// the collectors coordinating the person's running `arrangements` (see [`coordinators`]).
    /// A counsellor acting under another live mandate than the one recorded is watched under
    /// that one from now on.
    pub fn change(
        mut self,
        actor: TrajectoryActor<'_>,
        access: &Access,
        change: TrajectoryChange,
        registry: Option<&CounsellorOrganisation>,
        debts: Debts<'_>,
        now: Moment,
    ) -> Result<Decision<Trajectory>, TrajectoryError> {
        if !self.is_running() {
            return Err(TrajectoryError::Ended);
        }
        let mut issues = Vec::new();
        if change.phase.is_none() && change.end.is_none() && change.ruling.is_none() {
            issues.push(FieldIssue::new(
                "",
                "leeg",
                "noem een nieuwe fase, een einddatum, een uitspraakdatum of meer daarvan",
            ));
        }
        issues.extend(check_ruling(
            change.ruling,
            change.phase.unwrap_or(self.phase),
            now.today,
        ));
        if let Some(end) = change.end {
            issues.extend(self.check_end(end, now.today));
        }
        if !issues.is_empty() {
            return Err(TrajectoryError::Invalid(issues));
        }
        let changes_anything = self.changes_anything(&change);
        let new_phase = change.phase.filter(|p| *p != self.phase);
        let new_ruling = change.ruling.filter(|r| Some(*r) != self.ruling);
        if let TrajectoryActor::Citizen = actor
            && (new_phase.is_some() || new_ruling.is_some())
        {
            return Err(TrajectoryError::OnlyCounsellorChangesPhase);
        }
        let record = AccessRecord::new(
            &self.person,
            access,
            Action::TrajectoryChanged,
            Some(&self.id),
        );
        let adopted = match actor {
            TrajectoryActor::Counsellor(mandate) => self.adopt(mandate),
            TrajectoryActor::Citizen => false,
        };
        if !changes_anything {
            // The same phase again: nothing to tell.
            let writes = if adopted {
                vec![Write::ChangedTrajectory(self.clone())]
            } else {
                Vec::new()
            };
            return Ok(Decision {
                writes,
                value: self,
                effects: Effects::read(record),
            });
        }
        if let Some(phase) = new_phase {
            self.phase = phase;
        }
        if new_ruling.is_some() {
            self.ruling = new_ruling;
        }
        let notice = match change.end {
            Some(end) => {
                self.end = Some(end);
                self.ended_at = Some(now.utc);
                Notice::Ended
            }
            None => Notice::Changed,
        };
        self.changed_at = now.utc;
        let open = open_by_creditor(debts.claims);
        let coordinated = if new_phase.is_some_and(TrajectoryPhase::is_schuldsanering) {
            coordinators(debts.arrangements)
        } else {
            BTreeMap::new()
        };
        let newly: Vec<String> = open
            .keys()
            .chain(coordinated.keys())
            .filter(|code| !self.informed.contains(*code))
            .cloned()
            .collect::<BTreeSet<String>>()
            .into_iter()
            .collect();
        self.informed.extend(newly.iter().cloned());
        let arranged = if notice == Notice::Ended {
            arranged_by_creditor(&debts)
        } else {
            BTreeMap::new()
        };
        let told = Told {
            open: &open,
            coordinated: &coordinated,
            arranged: &arranged,
        };
        let notifications = self.notices(notice, &told, registry);
        let mut writes = vec![Write::ChangedTrajectory(self.clone())];
        if !newly.is_empty() {
            writes.push(Write::TrajectoryCreditorsInformed {
                trajectory_id: self.id.clone(),
                creditors: newly,
            });
        }
        Ok(Decision {
            writes,
            value: self,
            effects: effects(record, new_ruling.is_some()).with_notifications(notifications),
        })
    }

    /// Reading it: only the access log records it.
    pub fn read(self, access: &Access) -> Decision<Trajectory> {
        let record =
            AccessRecord::new(&self.person, access, Action::TrajectoryRead, Some(&self.id));
        Decision::read(self, record)
    }

    /// Watches `mandate`, a live mandate of the organisation that registered the trajectory,
    /// from now on instead of the one recorded. Returns whether anything changed.
    fn adopt(&mut self, mandate: &Mandate) -> bool {
        if mandate.counsellor != self.counsellor || mandate.id == self.mandate_id {
            return false;
        }
        self.mandate_id = mandate.id.clone();
        self.mandate_valid_until = mandate.valid_until;
        self.mandate_end_told = false;
        true
    }

    /// A live mandate of the registering organisation (granted after the last one ended) is
    /// watched from now on; so is one that starts later, once the recorded one has ended, so
    /// that its revocation or end is told too.
    pub fn adopt_mandate(mut self, mandate: &Mandate, today: NaiveDate) -> Decision<()> {
        let recorded_ended = self.mandate_end_told || self.mandate_valid_until < today;
        let watchable = match mandate.status(today) {
            MandateStatus::Live => true,
            MandateStatus::NotYetValid => recorded_ended,
            MandateStatus::Revoked | MandateStatus::Expired => false,
        };
        let writes = if self.is_running() && watchable && self.adopt(mandate) {
            vec![Write::ChangedTrajectory(self)]
        } else {
            Vec::new()
        };
        Decision {
            value: (),
            writes,
            effects: Effects::default(),
        }
    }

    /// Whether the trajectory runs under `mandate`, its end not yet told: revoking that mandate
    /// leaves the trajectory running without anyone who may change or end it for the person.
    pub fn runs_under(&self, mandate: &Mandate) -> bool {
        self.is_running() && mandate.id == self.mandate_id && !self.mandate_end_told
    }

    /// The mandate the trajectory was registered (or last acted) under was revoked: the
    /// trajectory keeps running — creditors keep pausing — and the counsellor is told, once,
    /// that it must get a new mandate or have the trajectory ended.
    pub fn mandate_ended(self, mandate: &Mandate, today: NaiveDate) -> Decision<()> {
        if !self.runs_under(mandate) {
            return Decision::reads((), Vec::new());
        }
        let reason = match mandate.status(today) {
            MandateStatus::Revoked => "INGETROKKEN",
            _ => "VERLOPEN",
        };
        self.tell_mandate_ended(reason)
    }

    /// The daily watch: the recorded mandate is past its last day. A live mandate of the same
    /// organisation (`mandates`: its mandates of the person) is watched instead; without one
    /// the counsellor is told. Either way the trajectory is no longer lapsed.
    pub fn watch_mandate(self, mandates: &[Mandate], today: NaiveDate) -> Decision<()> {
        if let Some(live) = mandates
            .iter()
            .find(|m| m.counsellor == self.counsellor && m.is_live(today))
        {
            return self.adopt_mandate(live, today);
        }
        let revoked = mandates
            .iter()
            .any(|m| m.id == self.mandate_id && m.status(today) == MandateStatus::Revoked);
        self.tell_mandate_ended(if revoked { "INGETROKKEN" } else { "VERLOPEN" })
    }

    fn tell_mandate_ended(mut self, reason: &str) -> Decision<()> {
        self.mandate_end_told = true;
        let notification = Notification {
            recipient: Recipient::Counsellor {
                organisation: self.counsellor.clone(),
                mandate: self.mandate_id.clone(),
            },
            person: self.person.clone(),
            subject_id: self.id.clone(),
            message: Melding::MachtigingBeeindigd(MachtigingBeeindigd {
                machtiging_id: self.mandate_id.clone(),
                traject_id: self.id.clone(),
                reden: reason.to_owned(),
                toelichting: "Uw machtiging van deze burger is geëindigd, maar het schuldhulptraject dat u \
                              registreerde loopt nog: de schuldeisers pauzeren hun invordering. Vraag de burger om \
                              een nieuwe machtiging als u de hulp voortzet, of laat het traject beëindigen."
                    .to_owned(),
            }),
        };
        Decision {
            value: (),
            writes: vec![Write::ChangedTrajectory(self)],
            effects: Effects::default().with_notifications(vec![notification]),
        }
    }

    /// What a creditor is told. In the Wsnp not the pause of municipal debt help but what the
    /// Faillissementswet says: claims only through the bewindvoerder, attachments lapsed; and at
    /// its end, that a clean slate leaves the unpaid rest unenforceable.
    fn to_creditor(&self, notice: Notice, counsellor: &str) -> String {
        let phase = self.phase.code();
        match (notice, self.phase.is_schuldsanering()) {
            (Notice::Started | Notice::Changed, true) => format!(
                "Voor deze burger is de wettelijke schuldsanering ({phase}) uitgesproken{on}. Uw \
                 vorderingen waarvoor die werkt, worden alleen nog via de bewindvoerder voldaan: dien \
                 ze ter verificatie in (art. 299 lid 2 Faillissementswet). Lopende executies zijn \
                 geschorst en beslagen die al gelegd waren, zijn vervallen met ingang van de dag van \
                 de uitspraak (art. 301 lid 2 en 3): beëindig ze. Contact: {counsellor}.",
                on = self
                    .ruling
                    .map(|day| format!(" op {}", text::date(day)))
                    .unwrap_or_default()
            ),
            (Notice::Started, false) => format!(
                "Deze burger zit in gemeentelijke schuldhulpverlening ({phase}). Schort uw invordering \
                 en ophogingen op zolang het traject loopt, en neem voor een betaalvoorstel of saldo \
                 contact op met {counsellor}."
            ),
            (Notice::Changed, false) => format!(
                "Het schuldhulptraject van deze burger is nu in de fase {phase}. De pauze van \
                 invordering en ophogingen blijft gelden; contact: {counsellor}."
            ),
            (Notice::Ended, true) => "De wettelijke schuldsanering van deze burger is beëindigd. \
                 Eindigde die met een schone lei, dan is wat onbetaald bleef van uw vorderingen \
                 waarvoor de schuldsanering werkte niet langer afdwingbaar (art. 358 lid 1 \
                 Faillissementswet); uitzonderingen staan in lid 2, 4, 5 en 6 van dat artikel en in \
                 art. 358a, zoals een strafrechtelijke geldboete. Hervat uw invordering alleen voor \
                 wat nog afdwingbaar is, met inachtneming van de beslagvrije voet; de bewindvoerder \
                 weet hoe de schuldsanering eindigde."
                .to_owned(),
            (Notice::Ended, false) => "Het schuldhulptraject van deze burger is beëindigd. U kunt \
                 uw invordering hervatten, met inachtneming van de beslagvrije voet."
                .to_owned(),
        }
    }

    /// One notice per creditor told (see [`Told`]) and one for the person's counsellors (which
    /// creditors were told).
    fn notices(
        &self,
        notice: Notice,
        told: &Told<'_>,
        registry: Option<&CounsellorOrganisation>,
    ) -> Vec<Notification> {
        let running = notice != Notice::Ended;
        let message = |uw_vorderingen: Vec<VorderingInTraject>,
                       geinformeerde_schuldeisers: Vec<String>,
                       toelichting: String| {
            let body = SchuldhulptrajectMelding {
                traject_id: self.id.clone(),
                fase: self.phase.code().to_owned(),
                startdatum: self.start,
                einddatum: self.end,
                uitspraakdatum: self.ruling,
                schuldhulpverlener: contact(&self.counsellor, registry),
                invordering_opschorten: running,
                uw_vorderingen,
                geinformeerde_schuldeisers,
                toelichting,
            };
            match notice {
                Notice::Started => Melding::SchuldhulptrajectGestart(body),
                Notice::Changed => Melding::SchuldhulptrajectGewijzigd(body),
                Notice::Ended => Melding::SchuldhulptrajectBeeindigd(body),
            }
        };
        let name = registry.map_or(self.counsellor.as_str(), |c| c.name.as_str());
        let to_creditor = self.to_creditor(notice, name);
        let mut notifications: Vec<Notification> = self
            .informed
            .iter()
            .map(|creditor| Notification {
                recipient: Recipient::Creditor(creditor.clone()),
                person: self.person.clone(),
                subject_id: self.id.clone(),
                message: message(
                    told.open.get(creditor).cloned().unwrap_or_default(),
                    Vec::new(),
                    [
                        Some(to_creditor.clone()),
                        told.coordinated
                            .get(creditor)
                            .map(|ids| to_coordinator(ids)),
                        told.arranged.get(creditor).map(|keys| still_arranged(keys)),
                    ]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<String>>()
                    .join(" "),
                ),
            })
            .collect();
        notifications.push(Notification {
            recipient: Recipient::PersonsCounsellors,
            person: self.person.clone(),
            subject_id: self.id.clone(),
            message: message(
                Vec::new(),
                self.informed.iter().cloned().collect(),
                "Het schuldhulptraject is aan deze schuldeisers gemeld.".to_owned(),
            ),
        });
        notifications
    }
}

/// How far a claim has escalated; an escalation is a move to a higher rank.
fn rank(phase: ClaimPhase) -> u8 {
    match phase {
        ClaimPhase::Inning => 0,
        ClaimPhase::Aanmaning => 1,
        ClaimPhase::Dwangbevel => 2,
        ClaimPhase::Beslag => 3,
    }
}

/// A signal for `creditor` (if a creditor in the system) and the person's counsellors.
fn signal(
    trajectory: &Trajectory,
    creditor: Option<&str>,
    subject_id: &str,
    signal: PauzeSignaal,
) -> Vec<Notification> {
    let message = Melding::SignaalTijdensSchuldenpauze(signal);
    creditor
        .map(|code| Recipient::Creditor(code.to_owned()))
        .into_iter()
        .chain([Recipient::PersonsCounsellors])
        .map(|recipient| Notification {
            recipient,
            person: trajectory.person.clone(),
            subject_id: subject_id.to_owned(),
            message: message.clone(),
        })
        .collect()
}

/// What a batch of claim events means for the persons' trajectories (`running`, and `ended`
/// ones, by person): a surcharge dated during a trajectory, also one that has ended since (a
/// creditor may post it late), or an escalation to AANMANING, DWANGBEVEL or BESLAG received
/// `today`, dated by its receipt, during a trajectory (a running one, or one whose last day is
/// today: its `einddatum` is inclusive), from the phase before it (`stored_phases` by claim id
/// for claims stored earlier), is signalled; a creditor not yet told of a running trajectory
/// whose claim on the person arrives is told now, with its new open claims.
pub fn claim_batch_signals(
    batch: &ClaimBatch,
    running: &HashMap<PersonId, Trajectory>,
    ended: &HashMap<PersonId, Vec<Trajectory>>,
    stored_phases: &HashMap<String, ClaimPhase>,
    registry: &[CounsellorOrganisation],
    today: NaiveDate,
) -> Decision<()> {
    let mut signals = Vec::new();
    let mut writes = Vec::new();
    let claims: HashMap<&str, &Claim> = batch
        .new_claims
        .iter()
        .chain(&batch.updated_claims)
        .map(|c| (c.id.as_str(), c))
        .collect();
    let mut phases: HashMap<&str, ClaimPhase> = HashMap::new();
    for (keyed, claim_id) in &batch.events {
        let Some(claim) = claims.get(claim_id.as_str()) else {
            continue;
        };
        let covering = |date: NaiveDate| {
            running
                .get(&claim.person)
                .into_iter()
                .chain(ended.get(&claim.person).into_iter().flatten())
                .find(|t| t.covers(date))
        };
        let trajectory = match &keyed.event {
            ClaimEvent::Surcharge { date, .. } => covering(*date),
            ClaimEvent::PhaseChange { .. } => covering(today),
            _ => running.get(&claim.person),
        };
        let Some(trajectory) = trajectory else {
            continue;
        };
        let base = PauzeSignaal {
            signaal: String::new(),
            traject_id: trajectory.id.clone(),
            schuldeiser: batch.creditor.clone(),
            vorderingkenmerk: Some(claim.claim_key.clone()),
            beslag_id: None,
            bedrag: None,
            categorie: None,
            fase: None,
            vorige_fase: None,
            datum: None,
            toelichting: String::new(),
        };
        match &keyed.event {
            ClaimEvent::Surcharge {
                category,
                amount,
                date,
                ..
            } => {
                signals.extend(signal(
                    trajectory,
                    Some(&batch.creditor),
                    &claim.id,
                    PauzeSignaal {
                        signaal: "OPHOGING".into(),
                        bedrag: Some(*amount),
                        categorie: Some(category.code().to_owned()),
                        datum: Some(*date),
                        toelichting: surcharge_text(trajectory, &claim.claim_key, *category, *date),
                        ..base
                    },
                ));
            }
            ClaimEvent::PhaseChange { phase, .. } => {
                let before = phases.get(claim_id.as_str()).copied().unwrap_or_else(|| {
                    stored_phases
                        .get(claim_id)
                        .copied()
                        .unwrap_or(ClaimPhase::Inning)
                });
                phases.insert(claim_id, *phase);
                if rank(*phase) > rank(before) {
                    signals.extend(signal(
                        trajectory,
                        Some(&batch.creditor),
                        &claim.id,
                        PauzeSignaal {
                            signaal: "FASE_ESCALATIE".into(),
                            bedrag: Some(claim.ledger.outstanding()),
                            fase: Some(phase.code().to_owned()),
                            vorige_fase: Some(before.code().to_owned()),
                            toelichting: escalation_text(
                                trajectory,
                                &claim.claim_key,
                                before,
                                *phase,
                            ),
                            ..base
                        },
                    ));
                }
            }
            _ => {}
        }
    }
    // Creditors told for the first time, with their new open claims on the person: before any
    // signal about the pause they are only now told of.
    let mut notifications = Vec::new();
    let mut late: BTreeMap<&PersonId, Vec<Claim>> = BTreeMap::new();
    for claim in &batch.new_claims {
        if running
            .get(&claim.person)
            .is_some_and(|t| !t.informed.contains(&batch.creditor))
        {
            late.entry(&claim.person).or_default().push(claim.clone());
        }
    }
    for (person, claims) in late {
        let Some(trajectory) = running.get(person) else {
            continue;
        };
        let told = Trajectory {
            informed: BTreeSet::from([batch.creditor.clone()]),
            ..trajectory.clone()
        };
        let registration = registry.iter().find(|c| c.id == trajectory.counsellor);
        notifications.extend(
            told.notices(
                Notice::Started,
                &Told {
                    open: &open_by_creditor(&claims),
                    coordinated: &BTreeMap::new(),
                    arranged: &BTreeMap::new(),
                },
                registration,
            )
            .into_iter()
            .filter(|n| matches!(n.recipient, Recipient::Creditor(_))),
        );
        // The trajectory's version moves with whom it told: an end or change running beside this
        // batch, which read it before, is tried again and tells this creditor too; if this batch
        // read it before such a change committed, the batch is tried again and sees the change.
        writes.push(Write::ChangedTrajectory(trajectory.clone()));
        writes.push(Write::TrajectoryCreditorsInformed {
            trajectory_id: trajectory.id.clone(),
            creditors: vec![batch.creditor.clone()],
        });
    }
    notifications.extend(signals);
    Decision {
        value: (),
        writes,
        effects: Effects::default().with_notifications(notifications),
    }
}

/// A new attachment that starts during one of the person's `trajectories` (running, or ended
/// since: it may be registered late) is signalled to the laying creditor (a private party is
/// not in the system) and the person's counsellors.
pub fn attachment_signal(
    attachment: &Attachment,
    trajectories: &[Trajectory],
) -> Vec<Notification> {
    let Some(during) = trajectories
        .iter()
        .find(|t| t.covers(attachment.terms.start))
    else {
        return Vec::new();
    };
    let party = match &attachment.party {
        Party::Creditor(code) => code.clone(),
        Party::Private(name) => name.clone(),
    };
    signal(
        during,
        attachment.laid_by(),
        &attachment.id,
        PauzeSignaal {
            signaal: "BESLAG".into(),
            traject_id: during.id.clone(),
            schuldeiser: party,
            vorderingkenmerk: None,
            beslag_id: Some(attachment.id.clone()),
            bedrag: Some(attachment.terms.monthly_amount),
            categorie: None,
            fase: None,
            vorige_fase: None,
            datum: Some(attachment.terms.start),
            toelichting: attachment_text(during, attachment),
        },
    )
}

/// Why an escalation received while `trajectory` runs is signalled: the schuldenpauze; in the
/// Wsnp, that the claims it covers are paid only through the bewindvoerder.
fn escalation_text(
    trajectory: &Trajectory,
    claim_key: &str,
    before: ClaimPhase,
    phase: ClaimPhase,
) -> String {
    let (before, phase) = (before.in_words(), phase.in_words());
    if trajectory.is_schuldsanering() {
        format!(
            "Vordering {claim_key} ging tijdens de wettelijke schuldsanering van deze burger van \
             de fase ‘{before}’ naar ‘{phase}’. Vorderingen waarvoor die werkt, worden alleen via de \
             bewindvoerder voldaan (art. 299 lid 2 Faillissementswet)."
        )
    } else {
        format!(
            "Vordering {claim_key} ging tijdens het schuldhulptraject van deze burger van de fase \
             ‘{before}’ naar ‘{phase}’. Tijdens de schuldenpauze hoort de invordering stil te staan."
        )
    }
}

/// Why a surcharge dated during `trajectory` is signalled: the schuldenpauze; or, dated on or
/// after the day of a recorded Wsnp ruling, what the Faillissementswet says of it.
fn surcharge_text(
    trajectory: &Trajectory,
    claim_key: &str,
    category: SurchargeCategory,
    date: NaiveDate,
) -> String {
    match trajectory.ruling.filter(|ruling| date >= *ruling) {
        Some(ruling) if category == SurchargeCategory::Rente => format!(
            "Op vordering {claim_key} is rente gedateerd op of na de uitspraak van de wettelijke \
             schuldsanering van deze burger ({}). Over vorderingen waarvoor die werkt, is vanaf die \
             dag geen rente verschuldigd (art. 303 lid 1 Faillissementswet).",
            text::date(ruling)
        ),
        Some(ruling) => format!(
            "Op vordering {claim_key} is een ophoging gedateerd op of na de uitspraak van de \
             wettelijke schuldsanering van deze burger ({}). Vorderingen waarvoor die werkt, worden \
             alleen via de bewindvoerder voldaan (art. 299 lid 2 Faillissementswet).",
            text::date(ruling)
        ),
        None => format!(
            "Op vordering {claim_key} is een ophoging gedateerd tijdens het schuldhulptraject van \
             deze burger. Tijdens de schuldenpauze horen ophogingen achterwege te blijven."
        ),
    }
}

/// Why an attachment that began during `trajectory` is signalled: the schuldenpauze; or, with a
/// recorded Wsnp ruling, that one laid by its day lapsed (art. 301 lid 3 Fw) and one laid after
/// it reaches the claims the scheme covers only through the bewindvoerder (art. 299 lid 2 Fw).
fn attachment_text(trajectory: &Trajectory, attachment: &Attachment) -> String {
    match trajectory.ruling {
        Some(ruling) if attachment.lapsed_by(Some(ruling)) => format!(
            "Er is een beslag geregistreerd dat tijdens het schuldhulptraject van deze burger begon, \
             vóór of op de dag van de uitspraak van de wettelijke schuldsanering ({}). Het is met \
             ingang van die dag vervallen (art. 301 lid 3 Faillissementswet): beëindig het.",
            text::date(ruling)
        ),
        Some(ruling) => format!(
            "Er is een beslag gelegd dat begon na de uitspraak van de wettelijke schuldsanering van \
             deze burger ({}). Vorderingen waarvoor die werkt, worden alleen via de bewindvoerder \
             voldaan (art. 299 lid 2 Faillissementswet).",
            text::date(ruling)
        ),
        None => "Er is een beslag gelegd dat tijdens het schuldhulptraject van deze burger begon. \
                 Tijdens de schuldenpauze hoort geen nieuw beslag te worden gelegd."
            .to_owned(),
    }
}

#[cfg(test)]
mod tests;
