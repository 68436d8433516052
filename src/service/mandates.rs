//! Citizens granting, listing and revoking mandates; checking a counsellor's mandate.

use chrono::NaiveDate;

use crate::clock::Moment;
use crate::domain::access::{Action, Actor};
use crate::domain::mandate::{self, Mandate};
use crate::domain::person::PersonId;
use crate::store::{self, DbConnection, mandates as mandate_store};

use super::{ServiceError, log_access, new_id};

pub struct Grant<'a> {
    pub counsellor: &'a str,
    /// Defaults to today.
    pub valid_from: Option<NaiveDate>,
    pub valid_until: NaiveDate,
}

pub fn grant(
    conn: &mut DbConnection,
    person: &PersonId,
    grant: &Grant<'_>,
    now: Moment,
) -> Result<Mandate, ServiceError> {
    let valid_from = grant.valid_from.unwrap_or(now.today);
    let issues =
        mandate::validate_grant(grant.counsellor, valid_from, grant.valid_until, now.today);
    if !issues.is_empty() {
        return Err(ServiceError::Invalid(issues));
    }
    store::transaction(conn, |conn| {
        let existing = mandate_store::of_person_for(conn, person, grant.counsellor)?;
        if existing
            .iter()
            .any(|m| m.revoked_at.is_none() && m.valid_until >= now.today)
        {
            return Err(ServiceError::Conflict {
                detail:
                    "U heeft deze schuldhulpverlener al gemachtigd. Trek die machtiging eerst in \
                         als u een andere periode wilt."
                        .into(),
                issues: vec![],
            });
        }
        let mandate = Mandate {
            id: new_id(),
            person: person.clone(),
            counsellor: grant.counsellor.to_owned(),
            valid_from,
            valid_until: grant.valid_until,
            granted_at: now.utc,
            revoked_at: None,
        };
        mandate_store::insert(conn, &mandate)?;
        log_access(
            conn,
            person,
            Actor::citizen(),
            Action::MandateGranted,
            Some(&mandate.id),
            now,
        )?;
        Ok(mandate)
    })
}

pub fn list(
    conn: &mut DbConnection,
    person: &PersonId,
    now: Moment,
) -> Result<Vec<Mandate>, ServiceError> {
    let mandates = mandate_store::of_person(conn, person)?;
    log_access(
        conn,
        person,
        Actor::citizen(),
        Action::MandatesRead,
        None,
        now,
    )?;
    Ok(mandates)
}

/// Revokes one of the person's mandates. Revoking twice is harmless; someone else's mandate is
/// "not found".
pub fn revoke(
    conn: &mut DbConnection,
    person: &PersonId,
    id: &str,
    now: Moment,
) -> Result<(), ServiceError> {
    store::transaction(conn, |conn| {
        let owned = mandate_store::of_person(conn, person)?
            .into_iter()
            .find(|m| m.id == id);
        let mandate = owned.ok_or(ServiceError::NotFound("machtiging"))?;
        if mandate.revoked_at.is_none() {
            mandate_store::revoke(conn, id, now.utc)?;
            log_access(
                conn,
                person,
                Actor::citizen(),
                Action::MandateRevoked,
                Some(id),
                now,
            )?;
        }
        Ok(())
    })
}

/// The live mandate that lets `counsellor` act for `person` today, or a refusal that does not
/// say whether the person exists.
pub fn require_live(
    conn: &mut DbConnection,
    person: &PersonId,
    counsellor: &str,
    today: NaiveDate,
) -> Result<Mandate, ServiceError> {
    mandate_store::of_person_for(conn, person, counsellor)?
        .into_iter()
        .find(|m| m.is_live(today))
        .ok_or_else(|| {
            ServiceError::Forbidden(
                "Uw organisatie heeft geen geldige machtiging van deze burger.".into(),
            )
        })
}
