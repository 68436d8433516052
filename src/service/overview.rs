//! The Vorderingenoverzicht for a citizen, or for a counsellor with the citizen's mandate, with
//! what runs on the person's income and the samenloop it causes.

use crate::clock::Moment;
use crate::domain::access::Action;
use crate::domain::overview::{self, Overview, RunningArrangement};
use crate::domain::person::PersonId;
use crate::domain::samenloop::Detection;
use crate::store::arrangements::StoredArrangement;
use crate::store::attachments::StoredAttachment;
use crate::store::claims as claim_store;
use crate::store::declared_arrangements::DeclaredArrangement;
use crate::store::{self, DbConnection, creditors};

use super::samenloop::{Circumstances, reassess_with};
use super::{Requester, ServiceError, acting_for, arrangements, claims::records, log_access};

pub struct OverviewResult {
    pub overview: Overview,
    pub attachments: Vec<StoredAttachment>,
    pub declared: Vec<DeclaredArrangement>,
    pub samenloop: Detection,
}

/// Builds the overview. Samenloop is re-evaluated on the way, so a flag raised or cleared by the
/// passing of time (an attachment that ended yesterday) reaches the creditors too.
pub fn overview(
    conn: &mut DbConnection,
    person: &PersonId,
    requester: Requester<'_>,
    now: Moment,
) -> Result<OverviewResult, ServiceError> {
    store::transaction(conn, |conn| {
        let (actor, subject_id) = acting_for(conn, person, requester, now.today)?;
        let creditors = creditors::all(conn)?;
        let stored = claim_store::for_person(conn, person)?;
        let claims = records(conn, stored)?;
        let circumstances = Circumstances::load(conn, person)?;
        let running = circumstances
            .arrangements
            .iter()
            .filter(|a| a.is_running())
            .map(summary)
            .collect::<Result<Vec<_>, ServiceError>>()?;
        let samenloop = reassess_with(conn, person, &circumstances, now)?;
        log_access(
            conn,
            person,
            actor,
            Action::OverviewRead,
            subject_id.as_deref(),
            now,
        )?;
        Ok(OverviewResult {
            overview: overview::build(&creditors, claims, running, now.today),
            attachments: circumstances.attachments,
            declared: circumstances.declared,
            samenloop,
        })
    })
}

fn summary(arrangement: &StoredArrangement) -> Result<RunningArrangement, ServiceError> {
    let schedule = arrangements::schedule_of(arrangement)?;
    let mut creditors: Vec<String> = arrangement
        .claims
        .iter()
        .map(|c| c.claim.creditor.clone())
        .collect();
    creditors.sort();
    creditors.dedup();
    Ok(RunningArrangement {
        id: arrangement.id.clone(),
        instalment: schedule.instalment,
        term_months: schedule.term_months,
        first_due: schedule.first_due,
        last_due: schedule.last_due().unwrap_or(schedule.first_due),
        coordinator: arrangement.coordinator.clone(),
        creditors,
    })
}
