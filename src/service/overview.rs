//! The Vorderingenoverzicht for a citizen, or for a counsellor with the citizen's mandate.

use crate::clock::Moment;
use crate::domain::access::Action;
use crate::domain::overview::{self, Overview, RunningArrangement};
use crate::domain::person::PersonId;
use crate::store::access_log::{self, Entry};
use crate::store::arrangements::{self as arrangement_store, StoredArrangement};
use crate::store::claims as claim_store;
use crate::store::{DbConnection, creditors};

use super::{Requester, ServiceError, acting_for, arrangements, claims::records};

pub fn overview(
    conn: &mut DbConnection,
    person: &PersonId,
    requester: Requester<'_>,
    now: Moment,
) -> Result<Overview, ServiceError> {
    let (actor, subject_id) = acting_for(conn, person, requester, now.today)?;
    let creditors = creditors::all(conn)?;
    let stored = claim_store::for_person(conn, person)?;
    let claims = records(conn, stored)?;
    let running = arrangement_store::of_person(conn, person)?
        .into_iter()
        .filter(StoredArrangement::is_running)
        .map(|a| {
            let schedule = arrangements::schedule_of(&a)?;
            let mut creditors: Vec<String> =
                a.claims.iter().map(|c| c.claim.creditor.clone()).collect();
            creditors.sort();
            creditors.dedup();
            Ok(RunningArrangement {
                instalment: schedule.instalment,
                term_months: schedule.term_months,
                first_due: schedule.first_due,
                last_due: schedule.last_due().unwrap_or(schedule.first_due),
                coordinator: a.coordinator,
                creditors,
                id: a.id,
            })
        })
        .collect::<Result<Vec<_>, ServiceError>>()?;
    let overview = overview::build(&creditors, claims, running, now.today);
    access_log::record(
        conn,
        &[Entry {
            person: person.clone(),
            actor,
            action: Action::OverviewRead,
            subject_id,
        }],
        now.utc,
    )?;
    Ok(overview)
}
