//! Betalingsregeling Rijk: proposals, accepting them (recomputed, not trusted), reading and
//! ending arrangements, and telling every creditor concerned through its feed.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::clock::{Moment, format_instant};
use crate::config::ArrangementSettings;
use crate::domain::access::{Action, Actor};
use crate::domain::creditor::Creditor;
use crate::domain::money::Money;
use crate::domain::norm::{self, NormInput, NormResult};
use crate::domain::person::PersonId;
use crate::domain::planner::{
    self, CandidateClaim, Change, PlanOutcome, Progress, Schedule, Selection, capacity, plan,
    select,
};
use crate::domain::samenloop::Detection;
use crate::domain::validation::{FieldIssue, check_text};
use crate::store::arrangements::{
    self as arrangement_store, ArrangementClaim, Ending, StoredArrangement,
};
use crate::store::notifications::{self, NewNotification};
use crate::store::proposals::{self as proposal_store, StoredProposal};
use crate::store::{self, DbConnection, claims as claim_store, creditors, norms};

use super::messages::{
    Aandeel, AandeelSchuldeiser, Coordinatie, Melding, RegelingBeeindigd, RegelingGestart, Termijn,
    VorderingInRegeling,
};
use super::norms::invalid_peildatum;
use super::samenloop::{Circumstances, Deductions, reassess};
use super::{Requester, ServiceError, acting_for, log_access, new_id};

/// Everything a proposal is computed from, as it is now.
pub struct Assessment {
    pub norm: NormResult,
    pub deductions: Deductions,
    pub capacity: Money,
    pub candidates: Vec<CandidateClaim>,
    pub selection: Selection,
    pub outcome: PlanOutcome,
    pub creditors: Vec<Creditor>,
}

pub struct Proposal {
    pub stored: StoredProposal,
    pub assessment: Assessment,
    /// Samenloop as it stands with this proposal's situation.
    pub samenloop: Detection,
}

fn ranks(creditors: &[Creditor]) -> BTreeMap<String, u32> {
    creditors
        .iter()
        .filter_map(|c| c.preference_rank.map(|r| (c.code.clone(), r)))
        .collect()
}

fn assess(
    conn: &mut DbConnection,
    person: &PersonId,
    situation: &NormInput,
    settings: &ArrangementSettings,
    today: NaiveDate,
) -> Result<Assessment, ServiceError> {
    let norm = norm::compute(situation, &norms::all(conn)?).map_err(invalid_peildatum)?;
    let stored = claim_store::for_person(conn, person)?;
    let ids: Vec<&str> = stored.iter().map(|c| c.id.as_str()).collect();
    let arranged = arrangement_store::arranged(conn, &ids)?;
    let candidates: Vec<CandidateClaim> = stored
        .iter()
        .map(|c| CandidateClaim {
            claim_id: c.id.clone(),
            claim_key: c.claim_key.clone(),
            creditor: c.creditor_code.clone(),
            outstanding: c.ledger.outstanding(),
            due_date: c.due_date,
            disputed: c.ledger.disputed,
            in_running_arrangement: arranged.contains(&c.id),
        })
        .collect();
    let creditors = creditors::all(conn)?;
    let participation = creditors
        .iter()
        .map(|c| (c.code.clone(), c.brr_from))
        .collect();
    let deductions = Circumstances::load(conn, person)?.deductions(today);
    let capacity = capacity(
        situation.net_income,
        norm.norm,
        deductions.attachments,
        deductions.arrangements_total(),
    );
    let selection = select(&candidates, &participation, situation.peildatum);
    let outcome = plan(
        &selection.eligible,
        capacity,
        &settings.policy,
        &ranks(&creditors),
        planner::first_due_after(today),
    );
    Ok(Assessment {
        norm,
        deductions,
        capacity,
        candidates,
        selection,
        outcome,
        creditors,
    })
}

/// Makes and stores a proposal for the person's situation. Nothing changes for the person until
/// it is accepted.
pub fn propose(
    conn: &mut DbConnection,
    person: &PersonId,
    requester: Requester<'_>,
    situation: &NormInput,
    settings: &ArrangementSettings,
    now: Moment,
) -> Result<Proposal, ServiceError> {
    store::transaction(conn, |conn| {
        let (actor, _) = acting_for(conn, person, requester, now.today)?;
        let assessment = assess(conn, person, situation, settings, now.today)?;
        let stored = StoredProposal {
            id: new_id(),
            person: person.clone(),
            requested_by: actor.clone(),
            created_at: now.utc,
            expires_at: now.utc
                + chrono::Duration::days(i64::from(settings.proposal_validity_days)),
            situation: situation.clone(),
            capacity: assessment.capacity,
            feasible: matches!(assessment.outcome, PlanOutcome::Feasible(_)),
            accepted_as: None,
            claims: assessment
                .selection
                .eligible
                .iter()
                .map(|c| (c.claim_id.clone(), c.outstanding))
                .collect(),
        };
        proposal_store::insert(conn, &stored)?;
        log_access(
            conn,
            person,
            actor,
            Action::ProposalMade,
            Some(&stored.id),
            now,
        )?;
        // The proposal's situation is now the person's most recent declared one.
        let samenloop = reassess(conn, person, now)?;
        Ok(Proposal {
            stored,
            assessment,
            samenloop,
        })
    })
}

/// A running or ended arrangement with its schedule and how far it has come.
pub struct ArrangementView {
    pub arrangement: StoredArrangement,
    pub schedule: Schedule,
    pub progress: Progress,
}

/// Accepts a proposal: recomputes it against the claims and income deductions as they are now,
/// and refuses with every change listed if anything differs.
pub fn accept(
    conn: &mut DbConnection,
    proposal_id: &str,
    on_behalf: &OnBehalf,
    settings: &ArrangementSettings,
    now: Moment,
) -> Result<ArrangementView, ServiceError> {
    store::transaction(conn, |conn| {
        let proposal = proposal_store::find(conn, proposal_id)?
            .filter(|p| on_behalf.may_see(&p.person))
            .ok_or(ServiceError::NotFound("voorstel"))?;
        let (actor, _) = acting_for(conn, &proposal.person, on_behalf.requester(), now.today)?;
        let refuse = |detail: &str| ServiceError::Conflict {
            detail: detail.to_owned(),
            issues: vec![],
        };
        if proposal.accepted_as.is_some() {
            return Err(refuse("Dit voorstel is al geaccepteerd."));
        }
        if now.utc > proposal.expires_at {
            return Err(refuse(
                "Dit voorstel is verlopen. Vraag een nieuw voorstel aan.",
            ));
        }
        if !proposal.feasible {
            return Err(refuse(
                "Dit voorstel is geen betalingsregeling: het advies was om naar de gemeentelijke schuldhulpverlening te gaan.",
            ));
        }
        let assessment = assess(
            conn,
            &proposal.person,
            &proposal.situation,
            settings,
            now.today,
        )?;
        let changes = planner::changes(
            &proposal.claims,
            proposal.capacity,
            &assessment.selection,
            assessment.capacity,
            &assessment.candidates,
        );
        let PlanOutcome::Feasible(schedule) = assessment.outcome.clone() else {
            return Err(changed(changes));
        };
        if !changes.is_empty() {
            return Err(changed(changes));
        }
        let ranks = ranks(&assessment.creditors);
        let arrangement = StoredArrangement {
            id: new_id(),
            person: proposal.person.clone(),
            proposal_id: proposal.id.clone(),
            coordinator: settings.coordinator.clone(),
            capacity: assessment.capacity,
            instalment: schedule.instalment,
            policy: settings.policy.clone(),
            first_due: schedule.first_due,
            started_on: now.today,
            started_at: now.utc,
            ending: None,
            claims: assessment
                .selection
                .eligible
                .iter()
                .map(|c| ArrangementClaim {
                    creditor_rank: ranks.get(&c.creditor).copied(),
                    claim: c.clone(),
                })
                .collect(),
        };
        arrangement_store::insert(conn, &arrangement)?;
        proposal_store::mark_accepted(conn, &proposal.id, &arrangement.id)?;
        notifications::append(
            conn,
            &started_notifications(&arrangement, &schedule)?,
            now.utc,
        )?;
        log_access(
            conn,
            &arrangement.person,
            actor,
            Action::ArrangementAccepted,
            Some(&arrangement.id),
            now,
        )?;
        let progress = planner::progress(&schedule, Money::ZERO, now.today);
        Ok(ArrangementView {
            arrangement,
            schedule,
            progress,
        })
    })
}

fn changed(changes: Vec<Change>) -> ServiceError {
    ServiceError::Conflict {
        detail: "Sinds het voorstel is er iets veranderd, dus dit voorstel klopt niet meer. Vraag een nieuw voorstel aan."
            .to_owned(),
        issues: changes
            .iter()
            .map(|c| FieldIssue::new("voorstel", "gewijzigd", c.explanation()))
            .collect(),
    }
}

/// Who acts, and for whom: a citizen on their own data, or a counsellor for the person the
/// resource belongs to (its mandate is checked).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OnBehalf {
    Citizen(PersonId),
    Counsellor(String),
}

impl OnBehalf {
    /// A citizen sees only their own; a counsellor's mandate is checked afterwards.
    fn may_see(&self, person: &PersonId) -> bool {
        match self {
            OnBehalf::Citizen(own) => own == person,
            OnBehalf::Counsellor(_) => true,
        }
    }

    fn requester(&self) -> Requester<'_> {
        match self {
            OnBehalf::Citizen(_) => Requester::Citizen,
            OnBehalf::Counsellor(organisation) => Requester::Counsellor(organisation),
        }
    }
}

/// Recomputes the schedule an arrangement was planned with (the planner is deterministic).
pub fn schedule_of(arrangement: &StoredArrangement) -> Result<Schedule, ServiceError> {
    let claims: Vec<_> = arrangement.claims.iter().map(|c| c.claim.clone()).collect();
    let ranks = arrangement
        .claims
        .iter()
        .filter_map(|c| c.creditor_rank.map(|r| (c.claim.creditor.clone(), r)))
        .collect();
    match plan(
        &claims,
        arrangement.capacity,
        &arrangement.policy,
        &ranks,
        arrangement.first_due,
    ) {
        PlanOutcome::Feasible(schedule) => Ok(schedule),
        PlanOutcome::Infeasible(_) => Err(ServiceError::Store(crate::store::StoreError::Corrupt(
            format!(
                "arrangement {} no longer yields its schedule",
                arrangement.id
            ),
        ))),
    }
}

fn view(
    conn: &mut DbConnection,
    arrangement: StoredArrangement,
    today: NaiveDate,
) -> Result<ArrangementView, ServiceError> {
    let schedule = schedule_of(&arrangement)?;
    let ids: Vec<&str> = arrangement
        .claims
        .iter()
        .map(|c| c.claim.claim_id.as_str())
        .collect();
    let paid = claim_store::payments_since(conn, &ids, arrangement.started_on)?;
    let progress = planner::progress(&schedule, paid, today);
    Ok(ArrangementView {
        arrangement,
        schedule,
        progress,
    })
}

fn load(
    conn: &mut DbConnection,
    id: &str,
    on_behalf: &OnBehalf,
    today: NaiveDate,
) -> Result<(StoredArrangement, Actor), ServiceError> {
    let arrangement = arrangement_store::find(conn, id)?
        .filter(|a| on_behalf.may_see(&a.person))
        .ok_or(ServiceError::NotFound("betalingsregeling"))?;
    let (actor, _) = acting_for(conn, &arrangement.person, on_behalf.requester(), today)?;
    Ok((arrangement, actor))
}

pub fn get(
    conn: &mut DbConnection,
    id: &str,
    on_behalf: &OnBehalf,
    now: Moment,
) -> Result<ArrangementView, ServiceError> {
    let (arrangement, actor) = load(conn, id, on_behalf, now.today)?;
    log_access(
        conn,
        &arrangement.person,
        actor,
        Action::ArrangementRead,
        Some(&arrangement.id),
        now,
    )?;
    view(conn, arrangement, now.today)
}

/// The person's arrangements, most recent first, each with its schedule and progress.
pub fn of_person(
    conn: &mut DbConnection,
    person: &PersonId,
    now: Moment,
) -> Result<Vec<ArrangementView>, ServiceError> {
    let arrangements = arrangement_store::of_person(conn, person)?;
    if !arrangements.is_empty() {
        log_access(
            conn,
            person,
            Actor::citizen(),
            Action::ArrangementRead,
            None,
            now,
        )?;
    }
    arrangements
        .into_iter()
        .map(|a| view(conn, a, now.today))
        .collect()
}

/// Ends a running arrangement; every creditor in it is told its own collection may resume.
pub fn end(
    conn: &mut DbConnection,
    id: &str,
    on_behalf: &OnBehalf,
    reason: &str,
    now: Moment,
) -> Result<ArrangementView, ServiceError> {
    if let Some(issue) = check_text("reden", reason, 500) {
        return Err(ServiceError::Invalid(vec![issue]));
    }
    store::transaction(conn, |conn| {
        let (mut arrangement, actor) = load(conn, id, on_behalf, now.today)?;
        if !arrangement.is_running() {
            return Err(ServiceError::Conflict {
                detail: "Deze betalingsregeling is al beëindigd.".to_owned(),
                issues: vec![],
            });
        }
        let ending = Ending {
            at: now.utc,
            reason: reason.to_owned(),
            by: actor.clone(),
        };
        arrangement_store::end(conn, &arrangement.id, &ending)?;
        arrangement.ending = Some(ending);
        notifications::append(conn, &ended_notifications(&arrangement)?, now.utc)?;
        log_access(
            conn,
            &arrangement.person,
            actor,
            Action::ArrangementEnded,
            Some(&arrangement.id),
            now,
        )?;
        view(conn, arrangement, now.today)
    })
}

fn instalments(schedule: &Schedule, creditor: &str) -> Vec<Termijn> {
    schedule
        .shares_of(creditor)
        .into_iter()
        .map(|(maand, vervaldatum, bedrag)| Termijn {
            maand,
            vervaldatum,
            bedrag,
        })
        .collect()
}

/// Participants and the coordinator, each with its roles, in code order.
fn recipients(arrangement: &StoredArrangement) -> BTreeMap<String, Vec<String>> {
    let mut roles: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for claim in &arrangement.claims {
        let entry = roles.entry(claim.claim.creditor.clone()).or_default();
        if entry.is_empty() {
            entry.push("DEELNEMER".to_owned());
        }
    }
    roles
        .entry(arrangement.coordinator.clone())
        .or_default()
        .push("COORDINATOR".to_owned());
    roles
}

fn own_claims<'a>(
    arrangement: &'a StoredArrangement,
    creditor: &'a str,
) -> impl Iterator<Item = &'a ArrangementClaim> {
    arrangement
        .claims
        .iter()
        .filter(move |c| c.claim.creditor == creditor)
}

fn encode(
    arrangement: &StoredArrangement,
    creditor: String,
    message: &Melding,
) -> Result<NewNotification, ServiceError> {
    let payload = serde_json::to_string(message)
        .map_err(|e| ServiceError::Store(crate::store::StoreError::Corrupt(e.to_string())))?;
    Ok(NewNotification {
        creditor,
        kind: message.kind(),
        person: arrangement.person.clone(),
        subject_id: arrangement.id.clone(),
        payload,
    })
}

fn started_notifications(
    arrangement: &StoredArrangement,
    schedule: &Schedule,
) -> Result<Vec<NewNotification>, ServiceError> {
    let totals = schedule.creditor_totals();
    let coordination = Coordinatie {
        maandbedrag: schedule.instalment,
        totaal: schedule.total,
        schuldeisers: totals
            .iter()
            .map(|(code, totaal)| AandeelSchuldeiser {
                code: (*code).to_owned(),
                totaal: *totaal,
                termijnen: instalments(schedule, code),
            })
            .collect(),
    };
    recipients(arrangement)
        .into_iter()
        .map(|(creditor, rollen)| {
            let participant = rollen.iter().any(|r| r == "DEELNEMER");
            let coordinator = rollen.iter().any(|r| r == "COORDINATOR");
            let message = Melding::RegelingGestart(RegelingGestart {
                regeling_id: arrangement.id.clone(),
                eerste_vervaldatum: schedule.first_due,
                laatste_vervaldatum: schedule.last_due().unwrap_or(schedule.first_due),
                looptijd_maanden: schedule.term_months,
                eigen_invordering_opschorten: participant,
                toelichting: if participant {
                    format!(
                        "Deze vorderingen vallen onder een Betalingsregeling Rijk. Schort uw eigen invordering erop op \
                         zolang de regeling loopt; u ontvangt uw aandeel via {}.",
                        arrangement.coordinator
                    )
                } else {
                    "U coördineert deze Betalingsregeling Rijk: u int de termijn en betaalt de aandelen uit.".to_owned()
                },
                uw_aandeel: participant.then(|| Aandeel {
                    totaal: totals.get(creditor.as_str()).copied().unwrap_or(Money::ZERO),
                    vorderingen: own_claims(arrangement, &creditor)
                        .map(|c| VorderingInRegeling {
                            vorderingkenmerk: c.claim.claim_key.clone(),
                            bedrag: c.claim.outstanding,
                        })
                        .collect(),
                    termijnen: instalments(schedule, &creditor),
                }),
                coordinatie: coordinator.then(|| coordination.clone()),
                rollen,
            });
            encode(arrangement, creditor, &message)
        })
        .collect()
}

fn ended_notifications(
    arrangement: &StoredArrangement,
) -> Result<Vec<NewNotification>, ServiceError> {
    let ending = arrangement.ending.as_ref();
    recipients(arrangement)
        .into_iter()
        .map(|(creditor, rollen)| {
            let keys: Vec<String> = own_claims(arrangement, &creditor).map(|c| c.claim.claim_key.clone()).collect();
            let message = Melding::RegelingBeeindigd(RegelingBeeindigd {
                regeling_id: arrangement.id.clone(),
                beeindigd_op: ending.map(|e| format_instant(e.at)).unwrap_or_default(),
                reden: ending.map(|e| e.reason.clone()).unwrap_or_default(),
                toelichting: if keys.is_empty() {
                    "De Betalingsregeling Rijk die u coördineerde is beëindigd.".to_owned()
                } else {
                    "De Betalingsregeling Rijk is beëindigd. U kunt uw eigen invordering op deze vorderingen hervatten, \
                     met inachtneming van de beslagvrije voet."
                        .to_owned()
                },
                uw_vorderingen: keys,
                rollen,
            });
            encode(arrangement, creditor, &message)
        })
        .collect()
}
