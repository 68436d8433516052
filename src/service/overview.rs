//! The Vorderingenoverzicht for a citizen, or for a counsellor with the citizen's mandate.

use crate::clock::Moment;
use crate::domain::access::{Action, Actor, Role};
use crate::domain::overview::{self, Overview};
use crate::domain::person::PersonId;
use crate::store::access_log::{self, Entry};
use crate::store::claims as claim_store;
use crate::store::{DbConnection, creditors};

use super::{ServiceError, claims::with_surcharges, mandates};

/// Who asks for the overview.
pub enum Requester<'a> {
    Citizen,
    Counsellor(&'a str),
}

pub fn overview(
    conn: &mut DbConnection,
    person: &PersonId,
    requester: Requester<'_>,
    now: Moment,
) -> Result<Overview, ServiceError> {
    let (actor, subject_id) = match requester {
        Requester::Citizen => (Actor::citizen(), None),
        Requester::Counsellor(organisation) => {
            let mandate = mandates::require_live(conn, person, organisation, now.today)?;
            (
                Actor::organisation(Role::Schuldhulpverlener, organisation),
                Some(mandate.id),
            )
        }
    };
    let creditors = creditors::all(conn)?;
    let stored = claim_store::for_person(conn, person)?;
    let claims = with_surcharges(conn, stored)?;
    let overview = overview::build(&creditors, claims, now.today);
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
