//! The Betalingsregeling Rijk as records: a proposal (a question, not a change), the arrangement
//! it becomes when accepted (recomputed, not trusted), and ending it. Each decides its change
//! and what it sets off (docs/choices.md).

use std::collections::{BTreeMap, BTreeSet, HashSet};

use chrono::{NaiveDate, NaiveDateTime};

use super::access::{Action, Actor};
use super::authorization::Access;
use super::beslagvrije_voet::{NormInput, NormResult};
use super::claims::{BalanceChange, RecordedChange};
use super::creditor::Creditor;
use super::decision::{AccessRecord, Decision, Effects, Write};
use super::money::Money;
use super::notification;
use super::overview::{Addressee, ArrangementSummary};
use super::person::PersonId;
use super::planner::{
    self, CandidateClaim, Change, EligibleClaim, ExclusionReason, Infeasibility, PlanOutcome,
    Policy, Progress, Schedule, Selection, capacity, participation, plan, select,
};
use super::samenloop::{Circumstances, CreditorClaim, Deductions, RunningArrangement};
use super::schuldhulptraject::Trajectory;
use super::text::{date, euro};
use super::time::{Moment, dutch_date};
use super::validation::{FieldIssue, check_text};

/// The policy of the Betalingsregeling Rijk, configurable per deployment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArrangementSettings {
    pub policy: Policy,
    /// The collector the citizen pays and that pays out the shares (Beleidsregels
    /// betalingsregelingen Rijk: CJIB).
    pub coordinator: String,
    /// How long a proposal can be accepted.
    pub proposal_validity_days: u32,
    /// How long a proposal nobody accepted is kept after it expired; then it is deleted, with
    /// the household and income it was computed on (data minimisation, art. 5 lid 1 AVG).
    pub unaccepted_proposal_kept_days: u32,
}

impl ArrangementSettings {
    /// Proposals nobody accepted that expired before this moment are no longer kept.
    pub fn unaccepted_proposals_kept_from(&self, now: NaiveDateTime) -> NaiveDateTime {
        now - chrono::Duration::days(i64::from(self.unaccepted_proposal_kept_days))
    }
}

impl Default for ArrangementSettings {
    fn default() -> ArrangementSettings {
        ArrangementSettings {
            policy: Policy::default(),
            coordinator: "CJIB".to_owned(),
            proposal_validity_days: 14,
            unaccepted_proposal_kept_days: 30,
        }
    }
}

/// Everything a proposal is computed from, as it is now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assessment {
    pub norm: NormResult,
    pub deductions: Deductions,
    /// Net income − the norm of the first due date − the deductions then.
    pub capacity: Money,
    /// What the schedule is planned with: `capacity`, or less where the norm of a later
    /// half-year the schedule reaches leaves less (`later_norm`).
    pub planned_capacity: Money,
    /// The norm of a later half-year that lowered `planned_capacity`.
    pub later_norm: Option<NormResult>,
    pub candidates: Vec<CandidateClaim>,
    pub selection: Selection,
    pub outcome: PlanOutcome,
}

impl Assessment {
    /// Why `reason` leaves a claim out of this proposal, as told beside the claim: in the
    /// schuldsanering without advice to arrange it with the creditor.
    pub fn exclusion_explanation(&self, reason: ExclusionReason) -> String {
        match self.outcome {
            PlanOutcome::Infeasible(Infeasibility::Schuldsanering) => {
                reason.explanation_in_schuldsanering()
            }
            _ => reason.explanation(),
        }
    }

    /// A proposal's `summary` with what it says after it, the same on the API and the pages:
    /// when the norm of a later half-year lowered the instalment ([`Assessment::later_norm_note`]),
    /// and what a schedule beside municipal debt help (`during`) means
    /// ([`DuringDebtHelp::proposal_note`]).
    pub fn summary_with_notes(
        &self,
        summary: String,
        addressee: Addressee,
        during: Option<DuringDebtHelp>,
    ) -> String {
        let planned = matches!(self.outcome, PlanOutcome::Feasible(_));
        let notes = self.later_norm_note(addressee).into_iter().chain(
            during
                .filter(|_| planned)
                .and_then(|d| d.proposal_note(addressee)),
        );
        std::iter::once(summary)
            .chain(notes)
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Said with a proposal whose instalment the norm of a later half-year lowered.
    pub fn later_norm_note(&self, addressee: Addressee) -> Option<String> {
        let later = self.later_norm.as_ref()?;
        let (norm, keeps) = match addressee {
            Addressee::Person => ("uw beslagvrije voet", "u"),
            Addressee::Counsellor => ("de beslagvrije voet van uw cliënt", "uw cliënt"),
        };
        Some(format!(
            "Vanaf {} gelden nieuwe bedragen (art. 475da lid 8 Rv): dan is {norm} {}. Daarmee is \
             ook gerekend, zodat {keeps} elke maand ten minste de beslagvrije voet overhoudt.",
            date(later.peildatum),
            euro(later.beslagvrije_voet)
        ))
    }

    /// The arrangement its schedule would start, as samenloop counts one (`id` names it):
    /// what a proposal's samenloop is evaluated with. None without a schedule.
    pub fn as_running(&self, id: &str, coordinator: &str) -> Option<RunningArrangement> {
        let PlanOutcome::Feasible(schedule) = &self.outcome else {
            return None;
        };
        let claims = self
            .selection
            .eligible
            .iter()
            .map(|c| {
                let claim = CreditorClaim {
                    creditor: c.creditor.clone(),
                    claim_key: c.claim_key.clone(),
                };
                (claim, c.outstanding)
            })
            .collect();
        RunningArrangement::rijk(
            id.to_owned(),
            claims,
            schedule.instalment,
            (schedule.first_due, schedule.first_due),
            coordinator.to_owned(),
        )
    }
}

/// Preference ranks of the creditors that have one.
fn ranks(creditors: &[Creditor]) -> BTreeMap<String, u32> {
    creditors
        .iter()
        .filter_map(|c| c.preference_rank.map(|r| (c.code.clone(), r)))
        .collect()
}

/// Computes a proposal: capacity = net income − norm − running deductions, the claims that may
/// join, and the schedule (or why there is none). Like the norm, the deductions are those running
/// on the first due date (`situation.peildatum`): an attachment that has started by then takes
/// from the same income as the first instalment, one that has ended by then no longer does.
/// `later` holds the norms of the later half-years the service has a table for: one instalment
/// is planned that leaves the person the beslagvrije voet in each month the schedule reaches.
#[allow(clippy::too_many_arguments)]
pub fn assess(
    situation: &NormInput,
    norm: NormResult,
    later: &[NormResult],
    circumstances: &Circumstances,
    candidates: Vec<CandidateClaim>,
    creditors: &[Creditor],
    policy: &Policy,
    today: NaiveDate,
) -> Assessment {
    let deductions = circumstances.deductions(situation.peildatum);
    let selection = select(&candidates, &participation(creditors), situation.peildatum);
    // In the schuldsanering nothing above the norm is the person's to pay with (art. 295 lid 2
    // and 296 lid 1 Fw).
    if circumstances.schuldsanering {
        return Assessment {
            norm,
            deductions,
            capacity: Money::ZERO,
            planned_capacity: Money::ZERO,
            later_norm: None,
            candidates,
            selection,
            outcome: PlanOutcome::Infeasible(Infeasibility::Schuldsanering),
        };
    }
    let capacity = capacity(
        situation.net_income,
        norm.beslagvrije_voet,
        deductions.attachments,
        deductions.arrangements_total(),
    );
    let ranks = ranks(creditors);
    let plan_with = |capacity| {
        plan(
            &selection.eligible,
            capacity,
            policy,
            &ranks,
            planner::first_due_after(today),
        )
    };
    // The capacity under the newest amounts known is shown, but an arrangement is only planned
    // on the amounts of its own half-year.
    let mut planned_capacity = capacity;
    let mut later_norm = None;
    let mut outcome = match norm.half_year_without_table() {
        Some(half_year) => PlanOutcome::Infeasible(Infeasibility::NormsNotYetKnown { half_year }),
        None => plan_with(capacity),
    };
    // A later half-year's higher norm, already known, would make the instalment take from what
    // the law then protects (art. 475da lid 8 Rv): plan with what that half-year leaves, until no
    // half-year the schedule reaches leaves less. The capacity only falls, so this ends.
    while let PlanOutcome::Feasible(schedule) = &outcome {
        let last_due = schedule
            .months
            .last()
            .map_or(schedule.first_due, |m| m.due_date);
        let lower = later
            .iter()
            .filter(|n| n.peildatum <= last_due)
            .map(|n| {
                let room = planner::capacity(
                    situation.net_income,
                    n.beslagvrije_voet,
                    deductions.attachments,
                    deductions.arrangements_total(),
                );
                (room, n)
            })
            .filter(|(room, _)| *room < planned_capacity)
            .min_by_key(|(room, _)| *room);
        let Some((room, n)) = lower else {
            break;
        };
        planned_capacity = room;
        later_norm = Some(n.clone());
        outcome = plan_with(room);
    }
    Assessment {
        norm,
        deductions,
        capacity,
        planned_capacity,
        later_norm,
        candidates,
        selection,
        outcome,
    }
}

/// A proposal as kept, so that it can be accepted until it expires.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposal {
    pub id: String,
    pub person: PersonId,
    pub requested_by: Actor,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub situation: NormInput,
    pub capacity: Money,
    pub feasible: bool,
    pub accepted_as: Option<String>,
    /// The planned claims with what each owed when the proposal was made.
    pub claims: Vec<(String, Money)>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ArrangementError {
    /// Names the arrangement it started then.
    #[error("Dit voorstel is al geaccepteerd.")]
    AlreadyAccepted(String),
    #[error("Dit voorstel is verlopen. Vraag een nieuw voorstel aan.")]
    Expired,
    #[error(
        "Dit voorstel is geen betalingsregeling: er was geen regeling mogelijk. De toelichting bij het voorstel zegt waarom."
    )]
    NotFeasible,
    #[error(
        "Sinds het voorstel is er iets veranderd, dus dit voorstel klopt niet meer. Vraag een nieuw voorstel aan."
    )]
    Changed(Vec<Change>),
    #[error("Deze betalingsregeling is al beëindigd.")]
    AlreadyEnded,
    /// A Wsnp trajectory began after the proposal was made (art. 299 lid 2 Fw).
    #[error(
        "Sinds dit voorstel loopt er een wettelijke schuldsanering (Wsnp). Schulden van vóór de \
         uitspraak worden dan alleen via de schuldsanering betaald (art. 299 Faillissementswet); \
         een Betalingsregeling Rijk ernaast kan niet."
    )]
    Schuldsanering,
    /// The arrangement would now start in a half-year whose norm is not known yet.
    #[error(
        "Een regeling die nu ingaat, begint op of na {}. De bedragen van de beslagvrije voet die \
         dan gelden, zijn nog niet in deze dienst vastgelegd, dus dit voorstel kan nu niet worden \
         aangenomen. Vraag een nieuw voorstel aan zodra ze zijn vastgelegd.",
        date(*.half_year)
    )]
    NormsNotYetKnown { half_year: NaiveDate },
    #[error("invalid input")]
    Invalid(Vec<FieldIssue>),
    /// Stored data no longer yields what it was planned with.
    #[error("arrangement {0} no longer yields its schedule")]
    Inconsistent(String),
}

impl Proposal {
    /// Keeps a proposal for the person. Making one is a question, not a change: it notifies
    /// nobody and changes no flag; only the access log records it.
    pub fn make(
        person: &PersonId,
        access: &Access,
        id: String,
        situation: NormInput,
        assessment: &Assessment,
        settings: &ArrangementSettings,
        now: Moment,
    ) -> Decision<Proposal> {
        let proposal = Proposal {
            id,
            person: person.clone(),
            requested_by: access.actor.clone(),
            created_at: now.utc,
            expires_at: now.utc
                + chrono::Duration::days(i64::from(settings.proposal_validity_days)),
            situation,
            capacity: assessment.planned_capacity,
            feasible: matches!(assessment.outcome, PlanOutcome::Feasible(_)),
            accepted_as: None,
            claims: assessment
                .selection
                .eligible
                .iter()
                .map(|c| (c.claim_id.clone(), c.outstanding))
                .collect(),
        };
        let record = AccessRecord::new(person, access, Action::ProposalMade, Some(&proposal.id));
        Decision {
            writes: vec![Write::Proposal(proposal.clone())],
            value: proposal,
            effects: Effects::read(record),
        }
    }

    /// The first day on which it can still be accepted but the arrangement would no longer
    /// start on its first due date (the day it was planned on, `situation.peildatum`): from
    /// that day on, accepting it starts the arrangement in a later month, recomputed
    /// ([`Proposal::situation_on`]). `None` if it expires before.
    pub fn starts_later_if_accepted_from(&self) -> Option<NaiveDate> {
        let first_due = self.situation.peildatum;
        (dutch_date(self.expires_at) >= first_due).then_some(first_due)
    }

    /// The situation to recompute the proposal with on `today`: as proposed, with the norm in
    /// force on the first due date of an arrangement started today (docs/choices.md). Accepted in
    /// a later month than it was made in, the arrangement starts a month later, under the norm of
    /// that month, which may be a new half-year table.
    pub fn situation_on(&self, today: NaiveDate) -> NormInput {
        NormInput {
            peildatum: planner::first_due_after(today),
            ..self.situation.clone()
        }
    }

    /// Accepts the proposal against `current`, the same computation as it comes out now: refused
    /// with every change listed if anything differs. The arrangement starts; the coordinating
    /// collector and every participant are told; the household becomes the person's declared
    /// situation, so samenloop is re-evaluated. `debt_help` is the person's running trajectory.
    #[allow(clippy::too_many_arguments)]
    pub fn accept(
        &self,
        access: &Access,
        id: String,
        current: &Assessment,
        creditors: &[Creditor],
        settings: &ArrangementSettings,
        debt_help: Option<&Trajectory>,
        now: Moment,
    ) -> Result<Decision<ArrangementView>, ArrangementError> {
        if let Some(arrangement) = &self.accepted_as {
            return Err(ArrangementError::AlreadyAccepted(arrangement.clone()));
        }
        if now.utc > self.expires_at {
            return Err(ArrangementError::Expired);
        }
        if !self.feasible {
            return Err(ArrangementError::NotFeasible);
        }
        match current.outcome {
            PlanOutcome::Infeasible(Infeasibility::Schuldsanering) => {
                return Err(ArrangementError::Schuldsanering);
            }
            PlanOutcome::Infeasible(Infeasibility::NormsNotYetKnown { half_year }) => {
                return Err(ArrangementError::NormsNotYetKnown { half_year });
            }
            _ => {}
        }
        let changes = planner::changes(
            &self.claims,
            self.capacity,
            &current.selection,
            current.planned_capacity,
            &current.candidates,
        );
        let PlanOutcome::Feasible(schedule) = current.outcome.clone() else {
            return Err(ArrangementError::Changed(changes));
        };
        if !changes.is_empty() {
            return Err(ArrangementError::Changed(changes));
        }
        let ranks = ranks(creditors);
        let arrangement = Arrangement {
            id,
            person: self.person.clone(),
            proposal_id: self.id.clone(),
            coordinator: settings.coordinator.clone(),
            capacity: current.planned_capacity,
            instalment: schedule.instalment,
            policy: settings.policy.clone(),
            first_due: schedule.first_due,
            started_on: now.today,
            started_at: now.utc,
            ending: None,
            claims: current
                .selection
                .eligible
                .iter()
                .map(|c| ArrangementClaim {
                    creditor_rank: ranks.get(&c.creditor).copied(),
                    claim: c.clone(),
                })
                .collect(),
        };
        let record = AccessRecord::new(
            &self.person,
            access,
            Action::ArrangementAccepted,
            Some(&arrangement.id),
        );
        let notifications = notification::arrangement_started(&arrangement, &schedule);
        let progress = planner::progress(&schedule, Money::ZERO, &BTreeMap::new(), now.today);
        Ok(Decision {
            writes: vec![Write::ArrangementStarted(arrangement.clone())],
            value: ArrangementView {
                arrangement,
                schedule,
                progress,
                paid_beyond_schedule: Money::ZERO,
                collecting: true,
                changed_claims: Vec::new(),
                during: debt_help.and_then(DuringDebtHelp::of),
            },
            effects: Effects::changed(record).with_notifications(notifications),
        })
    }
}

/// One claim in an arrangement, as planned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArrangementClaim {
    pub claim: EligibleClaim,
    /// The creditor's preference rank when the arrangement started.
    pub creditor_rank: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ending {
    pub at: NaiveDateTime,
    pub reason: String,
    pub by: Actor,
}

/// A Betalingsregeling Rijk: what it was planned with; its schedule is recomputed from this
/// (the planner is deterministic).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arrangement {
    pub id: String,
    pub person: PersonId,
    pub proposal_id: String,
    pub coordinator: String,
    pub capacity: Money,
    pub instalment: Money,
    pub policy: Policy,
    pub first_due: NaiveDate,
    pub started_on: NaiveDate,
    pub started_at: NaiveDateTime,
    pub ending: Option<Ending>,
    pub claims: Vec<ArrangementClaim>,
}

/// What was paid on an arrangement's claims while it ran: see [`Arrangement::paid`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Paid {
    /// Toward its schedule: on each claim at most what the schedule planned for it.
    pub toward_schedule: Money,
    /// Beyond that, on what came onto its claims since the start (a surcharge): owed and paid,
    /// so nothing to refund, but no part of the schedule. The ledger refuses any payment above
    /// what a claim owes, so this is the only way to pay more than the schedule's total.
    pub beyond_schedule: Money,
}

/// What an arrangement counts of the changes to one of its claims: see [`Arrangement::tally`].
#[derive(Debug, Clone, Copy, Default)]
struct Tally {
    /// Paid, less what of it was booked back.
    paid: Money,
    reversed: Money,
    /// Surcharged, and booked back of payments of before the start: above what the schedule
    /// counts on.
    surcharged: Money,
    remitted: Money,
    withdrawn: bool,
}

/// An arrangement with its schedule and how far it has come.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArrangementView {
    pub arrangement: Arrangement,
    pub schedule: Schedule,
    /// Counts what was paid toward the schedule only.
    pub progress: Progress,
    /// Paid on its claims beyond the schedule ([`Paid::beyond_schedule`]).
    pub paid_beyond_schedule: Money,
    /// Whether it still asks for anything: see [`Arrangement::is_collecting`].
    pub collecting: bool,
    /// Its claims that changed since it started: see [`Arrangement::changed_claims`].
    pub changed_claims: Vec<ChangedClaim>,
    /// While it runs, the person's running trajectory, as it bears on it.
    pub during: Option<DuringDebtHelp>,
}

/// What a running trajectory of the person means for their running Betalingsregeling Rijk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DuringDebtHelp {
    /// Municipal debt help: its creditors pause their own collection while it runs, also on
    /// the claims an arrangement stopped then leaves open.
    Pause,
    /// The wettelijke schuldsanering: the claims it covers are paid only through the
    /// bewindvoerder (art. 299 lid 2 Fw), a payment by the person on them is void (art. 306 Fw)
    /// or not counted toward them (art. 308 Fw), so no instalment is due; its coordinator was
    /// told to collect none, and no new arrangement can be proposed while it runs.
    Schuldsanering,
}

impl DuringDebtHelp {
    /// Said with a proposal made while municipal debt help runs: it spends the room to repay on
    /// the government's debts alone, which a schuldregeling shares among all creditors. In the
    /// Wsnp nothing is planned, and the proposal says why.
    pub fn proposal_note(self, addressee: Addressee) -> Option<String> {
        match self {
            DuringDebtHelp::Pause => Some(
                addressee
                    .say(
                        "U zit in een schuldhulptraject. Een Betalingsregeling Rijk gaat alleen over \
                         uw schulden bij de overheid. Bespreek met uw schuldhulpverlener of dit \
                         voorstel past: in een schuldregeling krijgen al uw schuldeisers samen een \
                         deel van dezelfde aflosruimte, en een regeling die die ruimte al gebruikt, \
                         laat daar niets voor over.",
                        "Uw cliënt zit in een schuldhulptraject. Een Betalingsregeling Rijk gaat \
                         alleen over de schulden bij de overheid: schulden bij anderen staan niet \
                         in dit voorstel. In een schuldregeling krijgen alle schuldeisers naar \
                         verhouding een deel van dezelfde aflosruimte; een Betalingsregeling Rijk \
                         die die ruimte al gebruikt, laat daar niets voor over.",
                    )
                    .to_owned(),
            ),
            DuringDebtHelp::Schuldsanering => None,
        }
    }

    /// `None` once the trajectory has ended.
    pub fn of(trajectory: &Trajectory) -> Option<Self> {
        if !trajectory.is_running() {
            None
        } else if trajectory.is_schuldsanering() {
            Some(DuringDebtHelp::Schuldsanering)
        } else {
            Some(DuringDebtHelp::Pause)
        }
    }
}

impl ArrangementView {
    /// Running, with nothing owed any more on its claims: nothing more is asked, though nobody
    /// has ended it.
    pub fn paid_off(&self) -> bool {
        self.arrangement.is_running() && !self.collecting
    }
}

/// The running Betalingsregeling Rijk a claim is in, and the collector that coordinates it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArrangedIn {
    pub arrangement_id: String,
    pub coordinator: String,
    /// When it started: a payment recorded before is one its schedule took as paid.
    pub started_at: NaiveDateTime,
}

/// A claim of a running arrangement that changed since it started other than by the payments
/// the arrangement counts (a surcharge, a remission, a withdrawal): the schedule no longer fits
/// it, and the arrangement should be ended and a new one proposed (docs/choices.md).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangedClaim {
    pub creditor: String,
    pub claim_key: String,
    /// What the schedule counts on: the balance at the start less the payments counted since.
    pub planned: Money,
    /// What is open on it now.
    pub outstanding: Money,
}

impl Arrangement {
    pub fn is_running(&self) -> bool {
        self.ending.is_none()
    }

    /// Whether it still collects: it runs and something is owed on one of its claims (`owed`,
    /// the ids of the person's claims with an amount outstanding). One whose claims are all
    /// paid, remitted or withdrawn asks nothing more, even before anyone ends it; samenloop
    /// counts it as no deduction the same way (`RunningArrangement::rijk`).
    pub fn is_collecting(&self, owed: &BTreeSet<&str>) -> bool {
        self.is_running() && self.claim_ids().any(|id| owed.contains(id))
    }

    pub fn claim_ids(&self) -> impl Iterator<Item = &str> {
        self.claims.iter().map(|c| c.claim.claim_id.as_str())
    }

    /// The day it ended (in the Netherlands), if it did.
    pub fn ended_on(&self) -> Option<NaiveDate> {
        self.ending.as_ref().map(|e| dutch_date(e.at))
    }

    /// What was paid on its claims while it ran: the payments recorded after it started (its
    /// schedule was planned on the balances with every payment recorded before, whatever its
    /// date) and before it ended. Later payments belong to the claims' new arrangement, or to
    /// none. Its progress counts what went toward the schedule: per claim at most the amount it
    /// was planned with; the rest paid what came onto that claim since (a surcharge).
    pub fn paid(&self, changes: &[RecordedChange]) -> Paid {
        let mut paid = Paid::default();
        for c in &self.claims {
            let on_claim = self.tally(&c.claim.claim_id, changes).paid;
            let toward = on_claim.min(c.claim.outstanding);
            paid.toward_schedule += toward;
            paid.beyond_schedule += on_claim - toward;
        }
        paid
    }

    /// What came off each of its claims while it ran other than by payment, as far as the
    /// schedule still counted on it, by claim id: a remission, less what was surcharged on the
    /// same claim since (or booked back of a payment of before the start); for a withdrawn claim, all the schedule still expected of it. Its
    /// progress takes this as settled, so a claim remitted or withdrawn during the arrangement
    /// is not arrears (docs/choices.md). Recorded before it ended, as its payments are.
    pub fn written_off(&self, changes: &[RecordedChange]) -> BTreeMap<String, Money> {
        self.claims
            .iter()
            .filter_map(|c| {
                let tally = self.tally(&c.claim.claim_id, changes);
                let expected = c.claim.outstanding.saturating_sub(tally.paid);
                let off = if tally.withdrawn {
                    expected
                } else {
                    tally
                        .remitted
                        .saturating_sub(tally.surcharged)
                        .min(expected)
                };
                off.is_positive().then(|| (c.claim.claim_id.clone(), off))
            })
            .collect()
    }

    /// The changes to one of its claims that it counts: recorded while it ran.
    fn tally(&self, claim_id: &str, changes: &[RecordedChange]) -> Tally {
        let counted: Vec<&RecordedChange> = changes
            .iter()
            .filter(|c| c.claim_id == claim_id && self.counts(c))
            .collect();
        let payments: HashSet<&str> = counted
            .iter()
            .filter(|c| matches!(c.change, BalanceChange::Payment(_)))
            .map(|c| c.event_key.as_str())
            .collect();
        let mut tally = Tally::default();
        for change in counted {
            match &change.change {
                BalanceChange::Payment(amount) => tally.paid += *amount,
                // Booked back, a payment it counted is owed again. One recorded before it
                // started, which its schedule took as paid, raises the claim above what the
                // schedule counts on instead, as a surcharge does (`changed_claims`), and a
                // remission since takes that off first.
                BalanceChange::PaymentReversal { amount, payment } => {
                    if payments.contains(payment.as_str()) {
                        tally.reversed += *amount;
                    } else {
                        tally.surcharged += *amount;
                    }
                }
                BalanceChange::Surcharge(amount) => tally.surcharged += *amount,
                BalanceChange::Remission(amount) => tally.remitted += *amount,
                BalanceChange::Withdrawal => tally.withdrawn = true,
            }
        }
        // A payment is booked back at most once in full, so this never goes below zero.
        tally.paid = tally.paid.saturating_sub(tally.reversed);
        tally
    }

    /// Whether it counts `change` (on one of its claims): recorded while it ran.
    fn counts(&self, change: &RecordedChange) -> bool {
        change.recorded_at > self.started_at
            && self
                .ending
                .as_ref()
                .is_none_or(|end| change.recorded_at <= end.at)
    }

    /// Its claims whose balance now (`outstanding`, by claim id) is not what the schedule counts
    /// on: the balance at the start less the payments counted since. None once it has ended.
    pub fn changed_claims(
        &self,
        outstanding: &BTreeMap<String, Money>,
        changes: &[RecordedChange],
    ) -> Vec<ChangedClaim> {
        if !self.is_running() {
            return Vec::new();
        }
        self.claims
            .iter()
            .filter_map(|c| {
                let claim = &c.claim;
                let paid = self.tally(&claim.claim_id, changes).paid;
                let planned = claim.outstanding.saturating_sub(paid);
                let now = *outstanding.get(&claim.claim_id)?;
                (now != planned).then(|| ChangedClaim {
                    creditor: claim.creditor.clone(),
                    claim_key: claim.claim_key.clone(),
                    planned,
                    outstanding: now,
                })
            })
            .collect()
    }

    /// The schedule it was planned with.
    pub fn schedule(&self) -> Result<Schedule, ArrangementError> {
        let claims: Vec<_> = self.claims.iter().map(|c| c.claim.clone()).collect();
        let ranks = self
            .claims
            .iter()
            .filter_map(|c| c.creditor_rank.map(|r| (c.claim.creditor.clone(), r)))
            .collect();
        match plan(&claims, self.capacity, &self.policy, &ranks, self.first_due) {
            PlanOutcome::Feasible(schedule) => Ok(schedule),
            PlanOutcome::Infeasible(_) => Err(ArrangementError::Inconsistent(self.id.clone())),
        }
    }

    /// Its schedule and progress, given the changes to its claims' balances (those it counts:
    /// see [`Arrangement::paid`] and [`Arrangement::written_off`]) and what is open now on each
    /// of its claims (`outstanding`, by claim id; empty once it has ended). An ended
    /// arrangement's progress stays as it was on the day it ended: no month falls due after it.
    /// `debt_help` is the person's running trajectory, if any.
    pub fn view(
        self,
        changes: &[RecordedChange],
        outstanding: &BTreeMap<String, Money>,
        debt_help: Option<&Trajectory>,
        today: NaiveDate,
    ) -> Result<ArrangementView, ArrangementError> {
        let paid = self.paid(changes);
        let changed_claims = self.changed_claims(outstanding, changes);
        let owed: BTreeSet<&str> = outstanding
            .iter()
            .filter(|(_, amount)| amount.is_positive())
            .map(|(id, _)| id.as_str())
            .collect();
        let collecting = self.is_collecting(&owed);
        let schedule = self.schedule()?;
        let until = self.ended_on().map_or(today, |end| today.min(end));
        let written_off = self.written_off(changes);
        let mut progress = planner::progress(&schedule, paid.toward_schedule, &written_off, until);
        let during = debt_help
            .filter(|_| self.is_running())
            .and_then(DuringDebtHelp::of);
        if self.ending.is_some() || during == Some(DuringDebtHelp::Schuldsanering) {
            progress.next_due = None;
        }
        Ok(ArrangementView {
            arrangement: self,
            schedule,
            progress,
            paid_beyond_schedule: paid.beyond_schedule,
            collecting,
            changed_claims,
            during,
        })
    }

    /// The codes of the creditors whose claims are in it, sorted, each once.
    pub fn creditors(&self) -> Vec<String> {
        let mut creditors: Vec<String> = self
            .claims
            .iter()
            .map(|c| c.claim.creditor.clone())
            .collect();
        creditors.sort();
        creditors.dedup();
        creditors
    }

    /// As the overview shows a running arrangement.
    pub fn summary(&self) -> Result<ArrangementSummary, ArrangementError> {
        let schedule = self.schedule()?;
        let creditors = self.creditors();
        Ok(ArrangementSummary {
            id: self.id.clone(),
            instalment: schedule.instalment,
            term_months: schedule.term_months,
            first_due: schedule.first_due,
            last_due: schedule.last_due().unwrap_or(schedule.first_due),
            coordinator: self.coordinator.clone(),
            creditors,
        })
    }

    /// Ends a running arrangement with a reason (see [`check_ending_reason`]), and samenloop is
    /// re-evaluated. `outstanding` is what each of its claims still owes, by claim id: every
    /// creditor in it is told where its own collection may resume, or that the person's running
    /// `trajectory` still holds it back.
    pub fn end(
        mut self,
        access: &Access,
        reason: String,
        changes: &[RecordedChange],
        outstanding: &BTreeMap<String, Money>,
        trajectory: Option<&Trajectory>,
        now: Moment,
    ) -> Result<Decision<ArrangementView>, ArrangementError> {
        if let Some(issue) = check_ending_reason(&reason) {
            return Err(ArrangementError::Invalid(vec![issue]));
        }
        if !self.is_running() {
            return Err(ArrangementError::AlreadyEnded);
        }
        let ending = Ending {
            at: now.utc,
            reason,
            by: access.actor.clone(),
        };
        self.ending = Some(ending.clone());
        let record = AccessRecord::new(
            &self.person,
            access,
            Action::ArrangementEnded,
            Some(&self.id),
        );
        let notifications = notification::arrangement_ended(&self, outstanding, trajectory);
        let write = Write::ArrangementEnded {
            id: self.id.clone(),
            ending,
        };
        Ok(Decision {
            writes: vec![write],
            value: self.view(changes, &BTreeMap::new(), None, now.today)?,
            effects: Effects::changed(record).with_notifications(notifications),
        })
    }
}

/// What the reason for ending an arrangement must be: every creditor in it reads it, so it is
/// given, and short enough to read.
pub fn check_ending_reason(reason: &str) -> Option<FieldIssue> {
    check_text("reden", reason, 500)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::household::HouseholdType;
    use crate::domain::testing::{arrangement, d, june_15, m, person};

    fn proposed_on(peildatum: NaiveDate) -> Proposal {
        let made = peildatum
            .pred_opt()
            .expect("a day before")
            .and_hms_opt(10, 0, 0);
        let made = made.expect("valid time");
        Proposal {
            id: "P-1".to_owned(),
            person: person("burger-1"),
            requested_by: Actor::citizen(),
            created_at: made,
            expires_at: made + chrono::Duration::days(14),
            situation: NormInput {
                peildatum,
                household: HouseholdType::Single,
                children: None,
                pension_age: false,
                net_income: m("2017.06"),
                taxable_yearly_income: Some(m("23000.00")),
                housing_costs: None,
                housing_correction: false,
                partner_income: None,
            },
            capacity: m("668.57"),
            feasible: true,
            accepted_as: None,
            claims: Vec::new(),
        }
    }

    #[test]
    fn only_a_proposal_beside_the_pause_is_told_what_it_means_for_a_schuldregeling() {
        let to_counsellor = DuringDebtHelp::Pause.proposal_note(Addressee::Counsellor);
        assert!(
            to_counsellor.is_some_and(|n| n.starts_with("Uw cliënt zit in een schuldhulptraject."))
        );
        assert!(
            DuringDebtHelp::Pause
                .proposal_note(Addressee::Person)
                .is_some_and(|n| n.contains("Bespreek met uw schuldhulpverlener"))
        );
        // In the Wsnp nothing is planned: the proposal says why itself.
        assert_eq!(
            DuringDebtHelp::Schuldsanering.proposal_note(Addressee::Person),
            None
        );
    }

    #[test]
    fn in_the_wsnp_a_running_arrangement_asks_no_next_instalment_and_a_pause_leaves_it_asking() {
        use crate::domain::schuldhulptraject::TrajectoryPhase;
        use crate::domain::testing::trajectory;
        let open = BTreeMap::from([("V-1".to_owned(), m("250.00"))]);
        let view = |debt_help: Option<&Trajectory>| {
            arrangement()
                .view(&[], &open, debt_help, d(2026, 6, 20))
                .expect("view")
        };
        let wsnp = trajectory(TrajectoryPhase::Wsnp);
        let in_wsnp = view(Some(&wsnp));
        assert_eq!(in_wsnp.during, Some(DuringDebtHelp::Schuldsanering));
        assert_eq!(
            in_wsnp.progress.next_due, None,
            "a payment on it would be void (art. 306 Fw)"
        );
        let pause = trajectory(TrajectoryPhase::Stabilisatie);
        let paused = view(Some(&pause));
        assert_eq!(paused.during, Some(DuringDebtHelp::Pause));
        assert_eq!(paused.progress.next_due, Some(d(2026, 7, 1)));
        assert_eq!(view(None).during, None);
        let mut ended = wsnp.clone();
        ended.ended_at = Some(d(2026, 6, 10).and_hms_opt(9, 0, 0).unwrap());
        assert_eq!(
            view(Some(&ended)).during,
            None,
            "an ended trajectory bears on nothing"
        );
        let mut stopped = arrangement();
        stopped.ending = Some(Ending {
            at: d(2026, 6, 18).and_hms_opt(9, 0, 0).unwrap(),
            reason: "Gestopt".into(),
            by: Actor::citizen(),
        });
        let stopped = stopped.view(&[], &BTreeMap::new(), Some(&wsnp), d(2026, 6, 20));
        assert_eq!(
            stopped.expect("view").during,
            None,
            "nor on an ended arrangement"
        );
    }

    #[test]
    fn an_arrangement_collects_while_something_is_owed_on_its_claims_and_it_runs() {
        let running = arrangement();
        assert!(running.is_collecting(&BTreeSet::from(["V-1", "V-9"])));
        assert!(
            !running.is_collecting(&BTreeSet::from(["V-9"])),
            "V-1 is paid off"
        );
        let mut ended = arrangement();
        ended.ending = Some(Ending {
            at: d(2026, 7, 2).and_hms_opt(9, 0, 0).expect("valid time"),
            reason: "Naar de gemeente".to_owned(),
            by: Actor::citizen(),
        });
        assert!(!ended.is_collecting(&BTreeSet::from(["V-1"])));
    }

    /// A change to V-1 recorded at ten on `day`.
    fn changed(day: NaiveDate, change: BalanceChange) -> RecordedChange {
        RecordedChange {
            claim_id: "V-1".to_owned(),
            event_key: format!("E-{day}"),
            recorded_at: day.and_hms_opt(10, 0, 0).expect("valid time"),
            change,
        }
    }

    /// A payment on V-1 recorded at ten on `day`.
    fn paid(day: NaiveDate, amount: &str) -> RecordedChange {
        changed(day, BalanceChange::Payment(m(amount)))
    }

    #[test]
    fn what_was_remitted_while_it_ran_is_not_arrears_less_what_was_surcharged_since() {
        // 250.00 at 100.00 a month from 1 July; July paid; 100.00 remitted on 10 August.
        let remitted = [
            paid(d(2026, 7, 1), "100.00"),
            changed(d(2026, 8, 10), BalanceChange::Remission(m("100.00"))),
        ];
        let running = arrangement();
        assert_eq!(
            running.written_off(&remitted),
            BTreeMap::from([("V-1".to_owned(), m("100.00"))])
        );
        let open = BTreeMap::from([("V-1".to_owned(), m("50.00"))]);
        let p = running
            .clone()
            .view(&remitted, &open, None, d(2026, 9, 2))
            .expect("view")
            .progress;
        // September's 50.00 and half of August's are remitted: August's other 50.00 is late.
        assert_eq!(
            (p.months_in_arrears, p.amount_in_arrears, p.remaining),
            (1, m("50.00"), m("50.00"))
        );
        assert_eq!(p.written_off, m("100.00"));
        // A surcharge of 40.00 since leaves 60.00 off the schedule: 90.00 is open.
        let surcharged = [
            remitted[0].clone(),
            remitted[1].clone(),
            changed(d(2026, 8, 20), BalanceChange::Surcharge(m("40.00"))),
        ];
        let open = BTreeMap::from([("V-1".to_owned(), m("90.00"))]);
        let p = running
            .view(&surcharged, &open, None, d(2026, 9, 2))
            .expect("view")
            .progress;
        assert_eq!(
            (p.written_off, p.amount_in_arrears, p.remaining),
            (m("60.00"), m("90.00"), m("90.00"))
        );

        // Ended on 20 August: the remission of the 10th still counts, one of the 25th not.
        let mut ended = arrangement();
        ended.ending = Some(Ending {
            at: d(2026, 8, 20).and_hms_opt(10, 0, 0).expect("valid time"),
            reason: "Klaar.".to_owned(),
            by: Actor::citizen(),
        });
        let later = changed(d(2026, 8, 25), BalanceChange::Remission(m("50.00")));
        let all = [remitted[0].clone(), remitted[1].clone(), later];
        let p = ended
            .view(&all, &BTreeMap::new(), None, d(2027, 1, 1))
            .expect("view")
            .progress;
        assert_eq!(
            (p.written_off, p.amount_in_arrears, p.months_due),
            (m("100.00"), m("50.00"), 2),
            "as on the day it ended"
        );
    }

    #[test]
    fn an_ended_arrangement_keeps_the_progress_it_had_on_the_day_it_ended() {
        let mut ended = arrangement();
        ended.ending = Some(Ending {
            at: d(2026, 8, 10).and_hms_opt(10, 0, 0).expect("valid time"),
            reason: "Naar de gemeentelijke schuldhulpverlening.".to_owned(),
            by: Actor::citizen(),
        });
        let payments = [
            paid(d(2026, 7, 1), "100.00"),
            paid(d(2026, 8, 10), "50.00"),
            paid(d(2026, 9, 1), "100.00"),
            paid(d(2026, 6, 15), "70.00"),
        ];
        let paid = ended.paid(&payments);
        assert_eq!(
            paid.toward_schedule,
            m("150.00"),
            "not what was paid after it ended"
        );
        let progress = ended
            .view(&payments, &BTreeMap::new(), None, d(2027, 6, 1))
            .expect("view")
            .progress;
        assert_eq!(progress.months_due, 2, "July and August, not September");
        assert_eq!(progress.months_in_arrears, 1);
        assert_eq!(progress.amount_in_arrears, m("50.00"));
        assert_eq!(progress.next_due, None, "nothing more falls due");

        let running = arrangement();
        let paid = running.paid(&payments);
        assert_eq!(paid.toward_schedule, m("250.00"));
        let progress = running
            .view(&payments, &BTreeMap::new(), None, d(2026, 9, 2))
            .expect("view")
            .progress;
        assert_eq!((progress.months_due, progress.months_in_arrears), (3, 0));
    }

    #[test]
    fn a_payment_booked_back_while_it_ran_is_arrears_again_and_leaves_the_schedule_fitting() {
        let running = arrangement();
        // July's 100.00 paid on 1 July and booked back on 10 July.
        let back = |amount: &str, payment: &str| BalanceChange::PaymentReversal {
            amount: m(amount),
            payment: payment.to_owned(),
        };
        let reversed = [
            paid(d(2026, 7, 1), "100.00"),
            changed(d(2026, 7, 10), back("100.00", "E-2026-07-01")),
        ];
        assert_eq!(running.paid(&reversed).toward_schedule, Money::ZERO);
        let open = BTreeMap::from([("V-1".to_owned(), m("250.00"))]);
        assert!(
            running.changed_claims(&open, &reversed).is_empty(),
            "the schedule still fits: only the payment is missing"
        );
        let p = running
            .clone()
            .view(&reversed, &open, None, d(2026, 8, 2))
            .expect("view")
            .progress;
        assert_eq!((p.months_in_arrears, p.amount_in_arrears), (2, m("200.00")));
        // A payment recorded before the start, which the schedule took as paid, booked back
        // after July was paid: nothing counted is undone, and the claim is named as changed.
        let before_start = [
            paid(d(2026, 7, 1), "100.00"),
            changed(d(2026, 7, 20), back("30.00", "E-2026-06-01")),
        ];
        assert_eq!(running.paid(&before_start).toward_schedule, m("100.00"));
        let open = BTreeMap::from([("V-1".to_owned(), m("180.00"))]);
        let named = running.changed_claims(&open, &before_start);
        assert_eq!(
            (named[0].planned, named[0].outstanding),
            (m("150.00"), m("180.00"))
        );
        let p = running
            .clone()
            .view(&before_start, &open, None, d(2026, 7, 21))
            .expect("view")
            .progress;
        assert_eq!((p.months_in_arrears, p.amount_in_arrears), (0, Money::ZERO));
        // A remission of 100.00 since takes the 30.00 booked back off first, as it would a
        // surcharge: 70.00 of what the schedule expects is written off, 80.00 is still to pay.
        let remitted = [
            before_start[0].clone(),
            before_start[1].clone(),
            changed(d(2026, 7, 25), BalanceChange::Remission(m("100.00"))),
        ];
        assert_eq!(
            running.written_off(&remitted),
            BTreeMap::from([("V-1".to_owned(), m("70.00"))])
        );
    }

    #[test]
    fn a_claim_changed_since_the_start_other_than_by_counted_payments_is_named() {
        let running = arrangement();
        let payments = [paid(d(2026, 7, 1), "100.00")];
        let now = |amount: &str| BTreeMap::from([("V-1".to_owned(), m(amount))]);
        // Paid 100.00 of 250.00: 150.00 is what the schedule counts on.
        assert!(running.changed_claims(&now("150.00"), &payments).is_empty());
        // A surcharge of 40.00 since (or a remission, or a withdrawal: 0.00 open).
        for outstanding in ["190.00", "120.00", "0.00"] {
            let changed = running.changed_claims(&now(outstanding), &payments);
            assert_eq!(
                changed,
                [ChangedClaim {
                    creditor: "CJIB".to_owned(),
                    claim_key: "CJIB-1".to_owned(),
                    planned: m("150.00"),
                    outstanding: m(outstanding),
                }]
            );
        }
        let mut ended = arrangement();
        ended.ending = Some(Ending {
            at: d(2026, 8, 10).and_hms_opt(10, 0, 0).expect("valid time"),
            reason: "Klaar.".to_owned(),
            by: Actor::citizen(),
        });
        assert!(ended.changed_claims(&now("190.00"), &payments).is_empty());
    }

    #[test]
    fn what_paid_a_surcharge_since_the_start_is_beyond_the_schedule_not_overpaid() {
        // 250.00 planned on V-1; a surcharge of 100.00 since, and all 350.00 paid.
        let running = arrangement();
        let payments = [paid(d(2026, 7, 1), "300.00"), paid(d(2026, 8, 1), "50.00")];
        assert_eq!(
            running.paid(&payments),
            Paid {
                toward_schedule: m("250.00"),
                beyond_schedule: m("100.00"),
            }
        );
        let settled = BTreeMap::from([("V-1".to_owned(), Money::ZERO)]);
        let view = running
            .view(&payments, &settled, None, d(2026, 8, 2))
            .expect("view");
        assert!(!view.collecting, "nothing is owed any more");
        let withdrawn = arrangement()
            .view(
                &[changed(d(2026, 8, 1), BalanceChange::Withdrawal)],
                &settled,
                None,
                d(2026, 9, 2),
            )
            .expect("view");
        assert_eq!(
            (
                withdrawn.progress.months_in_arrears,
                withdrawn.progress.remaining,
                withdrawn.progress.next_due
            ),
            (0, Money::ZERO, None),
            "a withdrawn claim leaves nothing due or in arrears"
        );
        assert_eq!(view.progress.paid, m("250.00"));
        assert_eq!(
            (view.progress.months_paid, view.progress.remaining),
            (3, Money::ZERO)
        );
        assert_eq!(view.paid_beyond_schedule, m("100.00"));
    }

    #[test]
    fn a_payment_counts_by_when_it_was_recorded_not_by_the_date_it_carries() {
        // Started 15 June at ten, planned on the balances with everything recorded before.
        let running = arrangement();
        let recorded = |day: NaiveDate, hour: u32, amount: &str| RecordedChange {
            claim_id: "V-1".to_owned(),
            event_key: format!("E-{day}-{hour}"),
            recorded_at: day.and_hms_opt(hour, 0, 0).expect("valid time"),
            change: BalanceChange::Payment(m(amount)),
        };
        // Dated and recorded that morning: already in the balance it was planned on.
        assert_eq!(
            running.paid(&[recorded(d(2026, 6, 15), 9, "100.00")]),
            Paid::default()
        );
        // Recorded two days later, whatever day it was paid: not in that balance.
        assert_eq!(
            running
                .paid(&[recorded(d(2026, 6, 17), 9, "40.00")])
                .toward_schedule,
            m("40.00")
        );
    }

    #[test]
    fn a_proposal_still_valid_on_its_first_due_date_says_from_when_it_would_start_later() {
        // Made on 31 May at ten (UTC), first due 1 June, valid for fourteen days.
        let proposal = proposed_on(d(2026, 6, 1));
        assert_eq!(
            proposal.starts_later_if_accepted_from(),
            Some(d(2026, 6, 1))
        );
        assert_eq!(
            proposal.situation_on(d(2026, 6, 1)).peildatum,
            d(2026, 7, 1),
            "accepted that day it starts a month later"
        );
        let mut short = proposed_on(d(2026, 6, 1));
        // Expiring at 21:59 UTC on 31 May is 23:59 that day in Amsterdam: never a later start.
        short.expires_at = d(2026, 5, 31).and_hms_opt(21, 59, 0).expect("valid time");
        assert_eq!(short.starts_later_if_accepted_from(), None);
        short.expires_at = d(2026, 5, 31).and_hms_opt(22, 0, 0).expect("valid time");
        assert_eq!(
            short.starts_later_if_accepted_from(),
            Some(d(2026, 6, 1)),
            "midnight in Amsterdam is already 1 June"
        );
    }

    #[test]
    fn a_proposal_accepted_in_a_later_month_is_recomputed_with_the_norm_of_its_new_first_due_date()
    {
        let proposal = proposed_on(d(2026, 6, 1));
        assert_eq!(proposal.situation_on(d(2026, 5, 31)), proposal.situation);
        let later = proposal.situation_on(d(2026, 6, 2));
        assert_eq!(
            later.peildatum,
            d(2026, 7, 1),
            "the first half-year table no longer applies"
        );
        assert_eq!(
            NormInput {
                peildatum: d(2026, 6, 1),
                ..later
            },
            proposal.situation,
            "nothing else of the situation changes"
        );
    }

    /// CJIB's claim of 1000.00, taking part since 2022, for the proposal's household, assessed
    /// the day before its first due date.
    fn assessed(proposal: &Proposal, circumstances: &Circumstances) -> Assessment {
        assessed_with(
            proposal,
            circumstances,
            &crate::domain::beslagvrije_voet::seed_tables(),
        )
    }

    fn assessed_with(
        proposal: &Proposal,
        circumstances: &Circumstances,
        tables: &[crate::domain::beslagvrije_voet::NormTable],
    ) -> Assessment {
        assessed_owing(proposal, circumstances, tables, m("1000.00"))
    }

    fn assessed_owing(
        proposal: &Proposal,
        circumstances: &Circumstances,
        tables: &[crate::domain::beslagvrije_voet::NormTable],
        owed: Money,
    ) -> Assessment {
        let cjib = Creditor {
            code: "CJIB".to_owned(),
            name: "Centraal Justitieel Incassobureau".to_owned(),
            claim_type_prefix: "cjib".to_owned(),
            brr_from: Some(d(2022, 11, 1)),
            connected_from: None,
            contact: Default::default(),
            preference_rank: None,
        };
        let claim = CandidateClaim {
            claim_id: "V-1".to_owned(),
            claim_key: "CJIB-1".to_owned(),
            creditor: "CJIB".to_owned(),
            outstanding: owed,
            due_date: d(2026, 1, 1),
            disputed: false,
            in_running_arrangement: false,
        };
        let norm =
            crate::domain::beslagvrije_voet::compute(&proposal.situation, tables).expect("a norm");
        let later = crate::domain::beslagvrije_voet::compute_later(&proposal.situation, tables)
            .expect("the later norms");
        assess(
            &proposal.situation,
            norm,
            &later,
            circumstances,
            vec![claim],
            &[cjib],
            &Policy::default(),
            proposal
                .situation
                .peildatum
                .pred_opt()
                .expect("a day before"),
        )
    }

    #[test]
    fn one_instalment_leaves_the_norm_of_every_known_half_year_the_schedule_reaches() {
        // Single, 2100.00 net, 31 000.00 taxable; first due 1 June 2026. The January table leaves
        // 583.67 a month, the July table (already known) 566.61: a schedule that runs into July
        // is planned at 566.61, so that no month takes from what the law then protects.
        let mut proposal = proposed_on(d(2026, 6, 1));
        proposal.situation.net_income = m("2100.00");
        proposal.situation.taxable_yearly_income = Some(m("31000.00"));
        let tables = crate::domain::beslagvrije_voet::seed_tables();
        let assessment =
            assessed_owing(&proposal, &Circumstances::default(), &tables, m("5000.00"));
        assert_eq!(
            assessment.capacity,
            m("583.67"),
            "the first due date's capacity is shown"
        );
        assert_eq!(assessment.planned_capacity, m("566.61"));
        let PlanOutcome::Feasible(schedule) = &assessment.outcome else {
            panic!("a plan: {:?}", assessment.outcome);
        };
        assert_eq!(schedule.instalment, m("566.61"));
        let later = assessment
            .later_norm
            .as_ref()
            .expect("the July norm lowered it");
        assert_eq!(
            (later.peildatum, later.beslagvrije_voet),
            (d(2026, 7, 1), m("1533.39"))
        );
        for month in &schedule.months {
            assert!(m("2100.00") - month.amount >= m("1533.39"), "{month:?}");
        }
        let note = assessment
            .later_norm_note(Addressee::Person)
            .expect("a note");
        assert!(
            note.contains("Vanaf 1 juli 2026 gelden nieuwe bedragen (art. 475da lid 8 Rv): dan is uw beslagvrije voet € 1.533,39"),
            "{note}"
        );

        // Paid off in June, the July norm does not concern it.
        let assessment = assessed_owing(&proposal, &Circumstances::default(), &tables, m("500.00"));
        assert_eq!(assessment.planned_capacity, m("583.67"));
        assert!(assessment.later_norm.is_none());
        assert!(assessment.later_norm_note(Addressee::Person).is_none());
    }

    #[test]
    fn no_arrangement_is_planned_on_the_amounts_of_an_earlier_half_year() {
        let proposal = proposed_on(d(2027, 1, 1));
        let assessment = assessed(&proposal, &Circumstances::default());
        let half_year = d(2027, 1, 1);
        assert_eq!(
            assessment.outcome,
            PlanOutcome::Infeasible(Infeasibility::NormsNotYetKnown { half_year })
        );
        assert_eq!(
            assessment.capacity,
            m("668.57"),
            "the capacity under the newest amounts known is still shown"
        );
        assert_eq!(
            assessment.selection.eligible.len(),
            1,
            "the claims are still shown"
        );
        let why = Infeasibility::NormsNotYetKnown { half_year };
        assert_eq!(why.code(), "NORMEN_NOG_NIET_BEKEND");
        assert!(!why.advises_debt_help(), "only the amounts are missing");
        for (addressee, whom) in [
            (Addressee::Person, " u minder"),
            (Addressee::Counsellor, " uw cliënt minder"),
        ] {
            let text = why.explanation(addressee);
            assert!(text.contains("op of na 1 januari 2027"), "{text}");
            assert!(text.contains("art. 475da lid 8 Rv"), "{text}");
            assert!(text.contains(whom), "{text}");
        }

        // With the amounts of January 2027 known (here the July 2026 ones again), it is planned.
        let mut tables = crate::domain::beslagvrije_voet::seed_tables();
        let mut january = tables[1].clone();
        january.valid_from = half_year;
        tables.push(january);
        let known = assessed_with(&proposal, &Circumstances::default(), &tables);
        let PlanOutcome::Feasible(schedule) = known.outcome else {
            panic!("planned: {:?}", known.outcome);
        };
        assert_eq!(schedule.first_due, half_year);
    }

    #[test]
    fn a_proposal_whose_arrangement_would_now_start_in_an_unknown_half_year_cannot_be_accepted() {
        let mut proposal = proposed_on(d(2026, 12, 1));
        let before = assessed(&proposal, &Circumstances::default());
        assert!(matches!(before.outcome, PlanOutcome::Feasible(_)));
        proposal.capacity = before.capacity;
        proposal.claims = vec![("V-1".to_owned(), m("1000.00"))];
        let access = Access {
            actor: Actor::citizen(),
            mandate_id: None,
        };
        let settings = ArrangementSettings::default();
        // Accepted on 2 December: an arrangement started then is first due on 1 January 2027.
        let now = Moment::at(
            d(2026, 12, 2)
                .and_hms_opt(10, 0, 0)
                .expect("a time")
                .and_utc(),
        );
        let accept = |current: &Assessment| {
            proposal
                .accept(
                    &access,
                    "R-1".to_owned(),
                    current,
                    &[],
                    &settings,
                    None,
                    now,
                )
                .map(|_| ())
        };
        assert!(accept(&assessed(&proposal, &Circumstances::default())).is_ok());
        let moved = Proposal {
            situation: proposal.situation_on(now.today),
            ..proposal.clone()
        };
        let refused = accept(&assessed(&moved, &Circumstances::default()));
        assert_eq!(
            refused,
            Err(ArrangementError::NormsNotYetKnown {
                half_year: d(2027, 1, 1)
            })
        );
        let text = refused.expect_err("refused").to_string();
        assert!(text.contains("op of na 1 januari 2027"), "{text}");
    }

    #[test]
    fn in_the_schuldsanering_no_arrangement_is_planned_and_the_law_is_named() {
        let proposal = proposed_on(d(2026, 7, 1));
        let free = assessed(&proposal, &Circumstances::default());
        assert!(matches!(free.outcome, PlanOutcome::Feasible(_)));
        assert!(free.capacity.is_positive());

        let in_wsnp = Circumstances {
            schuldsanering: true,
            ..Circumstances::default()
        };
        let assessment = assessed(&proposal, &in_wsnp);
        assert_eq!(
            assessment.outcome,
            PlanOutcome::Infeasible(Infeasibility::Schuldsanering)
        );
        assert_eq!(
            assessment.capacity,
            Money::ZERO,
            "the income above the norm is the boedel's"
        );
        assert_eq!(
            assessment.selection, free.selection,
            "the claims are still shown"
        );
        let not_taking_part = ExclusionReason::CreditorNotParticipating;
        assert!(
            free.exclusion_explanation(not_taking_part)
                .contains("Maak met deze schuldeiser een eigen afspraak")
        );
        let in_scheme = assessment.exclusion_explanation(not_taking_part);
        assert!(
            in_scheme.starts_with("Deze schuldeiser doet niet mee aan de Betalingsregeling Rijk.")
                && in_scheme.contains("maak hierover geen eigen afspraak")
                && in_scheme.contains("art. 299 Faillissementswet"),
            "only through the bewindvoerder: {in_scheme}"
        );
        let disputed = assessment.exclusion_explanation(ExclusionReason::Disputed);
        assert!(!disputed.contains("nieuw voorstel"), "{disputed}");
        let why = Infeasibility::Schuldsanering;
        assert_eq!(why.code(), "WETTELIJKE_SCHULDSANERING");
        assert!(
            !why.advises_debt_help(),
            "the person is in debt help already"
        );
        for addressee in [Addressee::Person, Addressee::Counsellor] {
            let text = why.explanation(addressee);
            assert!(
                text.contains("art. 295 lid 2 en 3 Faillissementswet"),
                "{text}"
            );
            assert!(text.contains("art. 299 Faillissementswet"), "{text}");
        }
        assert!(
            why.explanation(Addressee::Counsellor)
                .starts_with("Uw cliënt zit")
        );
    }

    #[test]
    fn a_proposal_made_before_the_schuldsanering_began_cannot_be_accepted_in_it() {
        let mut proposal = proposed_on(d(2026, 7, 1));
        let before = assessed(&proposal, &Circumstances::default());
        proposal.capacity = before.capacity;
        proposal.claims = vec![("V-1".to_owned(), m("1000.00"))];
        let settings = ArrangementSettings::default();
        let access = Access {
            actor: Actor::citizen(),
            mandate_id: None,
        };
        let accepted = proposal.accept(
            &access,
            "R-1".to_owned(),
            &before,
            &[],
            &settings,
            None,
            june_15(),
        );
        assert!(accepted.is_ok(), "{accepted:?}");

        let in_wsnp = Circumstances {
            schuldsanering: true,
            ..Circumstances::default()
        };
        let now = assessed(&proposal, &in_wsnp);
        assert_eq!(
            proposal
                .accept(
                    &access,
                    "R-1".to_owned(),
                    &now,
                    &[],
                    &settings,
                    None,
                    june_15()
                )
                .map(|_| ()),
            Err(ArrangementError::Schuldsanering)
        );
    }
}
