//! The unit of work: every use case runs in one, as load, decide, commit. It authorizes with the
//! one authorization function, persists what the domain decided, and — in the same transaction,
//! once, whatever the use case — writes the access log, re-evaluates samenloop for every person
//! whose circumstances changed and appends the notifications. Forgetting a re-check or a log
//! row is therefore not possible: a use case never writes on its own.

use std::sync::Arc;

use crate::domain::arrangement::ArrangementSettings;
use crate::domain::authorization::{
    self, Access, Denied, Operation, Registers, Target, authorize_role,
};
use crate::domain::caller::Caller;
use crate::domain::decision::{Decision, Effects, Write};
use crate::domain::person::PersonId;
use crate::domain::time::Moment;
use crate::store::{
    self, DbConnection, access_log, arrangements, attachments, claims, creditors,
    declared_arrangements, mandates, norms, notifications, proposals, reference, samenloop_checks,
};

use super::reference::{ReferenceCache, ReferenceData};
use super::{ServiceError, samenloop};

/// What a use case needs besides the connection: the clock reading, the reference data and the
/// arrangement policy.
pub struct Context<'a> {
    pub now: Moment,
    pub reference: &'a ReferenceCache,
    pub settings: &'a ArrangementSettings,
}

pub struct UnitOfWork<'a> {
    conn: &'a mut DbConnection,
    pub now: Moment,
    pub reference: Arc<ReferenceData>,
    pub settings: &'a ArrangementSettings,
    pending: Effects,
    reference_changed: bool,
}

/// Runs `work` as one unit of work in one transaction, retried from the start when it lost a
/// race with another transaction. `work` must therefore only load and decide; the unit of work
/// writes.
pub fn run<T>(
    conn: &mut DbConnection,
    context: &Context<'_>,
    mut work: impl FnMut(&mut UnitOfWork<'_>) -> Result<T, ServiceError>,
) -> Result<T, ServiceError> {
    let (value, reference_changed) = store::transaction(conn, |conn| -> Result<_, ServiceError> {
        let reference = context.reference.get(conn)?;
        let mut uow = UnitOfWork {
            conn,
            now: context.now,
            reference,
            settings: context.settings,
            pending: Effects::default(),
            reference_changed: false,
        };
        let value = work(&mut uow)?;
        uow.finish()?;
        Ok((value, uow.reference_changed))
    })?;
    if reference_changed {
        context.reference.forget();
    }
    Ok(value)
}

/// The daily check's unit of work for one person: re-evaluated because the calendar moved, with
/// the progress of the run (`through`, held until `lease_until`) recorded in the same
/// transaction, so a person is done exactly when the run says so.
pub fn recheck(
    conn: &mut DbConnection,
    context: &Context<'_>,
    person: &PersonId,
    through: chrono::NaiveDate,
    lease_until: chrono::NaiveDateTime,
) -> Result<(), ServiceError> {
    run(conn, context, |uow| {
        uow.pending.circumstances_changed.insert(person.clone());
        samenloop_checks::record_progress(uow.conn, through, person, lease_until)?;
        Ok(())
    })
}

impl UnitOfWork<'_> {
    /// The connection, for loading. Writes go through [`commit`](Self::commit).
    pub fn conn(&mut self) -> &mut DbConnection {
        self.conn
    }

    /// A fresh identifier for a new record: time-ordered, so ids also order pages.
    pub fn new_id(&self) -> String {
        uuid::Uuid::now_v7().to_string()
    }

    fn registers(&self) -> Registers<'_> {
        Registers {
            creditors: &self.reference.creditors,
        }
    }

    fn decide(
        &self,
        caller: &Caller,
        operation: Operation,
        target: Target<'_>,
        what: &'static str,
    ) -> Result<Access, ServiceError> {
        authorization::authorize(caller, operation, target, self.now.today, self.registers())
            .map_err(|denied| ServiceError::denied(denied, what))
    }

    /// Leave to act on the caller's own business (its claims, its feed, the reference data).
    pub fn authorize(
        &mut self,
        caller: &Caller,
        operation: Operation,
    ) -> Result<Access, ServiceError> {
        self.decide(caller, operation, Target::Own, "gegeven")
    }

    /// Leave to act on `person`'s data, with a counsellor's mandates of that person.
    pub fn authorize_person(
        &mut self,
        caller: &Caller,
        operation: Operation,
        person: &PersonId,
    ) -> Result<Access, ServiceError> {
        let mandates = self.mandates(caller, person)?;
        let target = Target::Person {
            person,
            mandates: &mandates,
        };
        self.decide(caller, operation, target, "burger")
    }

    /// Leave to act on a record of `owner` (laid by agency `laid_by`, if one registered it); a
    /// record the caller may not see is "not found" as `what`.
    pub fn authorize_record(
        &mut self,
        caller: &Caller,
        operation: Operation,
        owner: &PersonId,
        laid_by: Option<&str>,
        what: &'static str,
    ) -> Result<Access, ServiceError> {
        authorize_role(caller, operation).map_err(|d| ServiceError::denied(d, what))?;
        let mandates = self.mandates(caller, owner)?;
        let target = Target::Record {
            owner,
            laid_by,
            mandates: &mandates,
        };
        self.decide(caller, operation, target, what)
    }

    fn mandates(
        &mut self,
        caller: &Caller,
        person: &PersonId,
    ) -> Result<Vec<crate::domain::mandate::Mandate>, ServiceError> {
        Ok(match caller.counsellor() {
            Some(organisation) => mandates::of_person_for(self.conn, person, organisation)?,
            None => Vec::new(),
        })
    }

    /// Persists what the domain decided and keeps its effects for the end of the unit of work.
    pub fn commit<T>(&mut self, decision: Decision<T>) -> Result<T, ServiceError> {
        for write in decision.writes {
            self.persist(write)?;
        }
        let Effects {
            access,
            circumstances_changed,
            notifications,
        } = decision.effects;
        self.pending.access.extend(access);
        self.pending
            .circumstances_changed
            .extend(circumstances_changed);
        self.pending.notifications.extend(notifications);
        Ok(decision.value)
    }

    /// Records that reference data changed: its version is raised in this transaction and the
    /// cache of this instance forgets its snapshot after the commit.
    fn reference_data_changed(&mut self) -> Result<(), ServiceError> {
        reference::raise(self.conn)?;
        self.reference_changed = true;
        Ok(())
    }

    fn persist(&mut self, write: Write) -> Result<(), ServiceError> {
        let now = self.now.utc;
        let conn = &mut *self.conn;
        match write {
            Write::Mandate(mandate) => mandates::insert(conn, &mandate)?,
            Write::MandateRevoked { id, at } => mandates::revoke(conn, &id, at)?,
            Write::NewAttachment(attachment) => attachments::insert(conn, &attachment, now)?,
            Write::ChangedAttachment(attachment) => attachments::update(conn, &attachment, now)?,
            Write::NewDeclaredArrangement(declared) => {
                declared_arrangements::insert(conn, &declared, now)?
            }
            Write::ChangedDeclaredArrangement(declared) => {
                declared_arrangements::update(conn, &declared, now)?
            }
            Write::Proposal(proposal) => proposals::insert(conn, &proposal)?,
            Write::ArrangementStarted(arrangement) => {
                arrangements::insert(conn, &arrangement)?;
                proposals::mark_accepted(conn, &arrangement.proposal_id, &arrangement.id)?;
                proposals::declare_situation(
                    conn,
                    &arrangement.person,
                    &arrangement.proposal_id,
                    arrangement.started_on,
                )?;
            }
            Write::ArrangementEnded { id, ending } => arrangements::end(conn, &id, &ending)?,
            Write::Creditor { creditor, new } => {
                if new {
                    creditors::insert(conn, &creditor, now)?;
                } else {
                    creditors::update(conn, &creditor, now)?;
                }
                self.reference_data_changed()?;
            }
            Write::ClaimBatch(batch) => {
                let new: Vec<&_> = batch.new_claims.iter().collect();
                claims::insert_new(conn, &new, now)?;
                for claim in &batch.updated_claims {
                    claims::update_ledger(conn, claim, now)?;
                }
                let events: Vec<_> = batch
                    .events
                    .iter()
                    .map(|(e, id)| (e, id.as_str()))
                    .collect();
                claims::insert_events(conn, &batch.creditor, &events, now)?;
            }
            Write::NormTable(table) => {
                norms::insert(conn, &table, "beheerder", now)?;
                self.reference_data_changed()?;
            }
        }
        Ok(())
    }

    /// What every change sets off, once: the access log, samenloop for each person whose
    /// circumstances changed (which may add notifications), then the notifications.
    fn finish(&mut self) -> Result<(), ServiceError> {
        let Effects {
            access,
            circumstances_changed,
            mut notifications,
        } = std::mem::take(&mut self.pending);
        access_log::record(self.conn, &access, self.now.utc)?;
        for person in &circumstances_changed {
            notifications.extend(samenloop::reassess(
                self.conn,
                person,
                &self.reference.norm_tables,
                self.now,
            )?);
        }
        notifications::append(self.conn, &notifications, self.now.utc)?;
        Ok(())
    }
}

impl ServiceError {
    /// The refusal for a denied authorization; `what` names a record that is not found.
    pub fn denied(denied: Denied, what: &'static str) -> ServiceError {
        match denied {
            Denied::Role { allowed } => ServiceError::Forbidden(format!(
                "Deze handeling is alleen toegestaan voor {}.",
                crate::domain::text::list(&allowed.iter().map(|r| r.plural()).collect::<Vec<_>>())
            )),
            Denied::UnknownOrganisation => ServiceError::Forbidden(
                "Uw organisatie staat niet in het register van deze dienst.".into(),
            ),
            Denied::OnlyOwnData => {
                ServiceError::Forbidden("Een burger kan dit alleen voor zichzelf doen.".into())
            }
            Denied::NoMandate => ServiceError::Forbidden(
                "Uw organisatie heeft geen geldige machtiging van deze burger.".into(),
            ),
            Denied::OnlyLayingParty => ServiceError::Forbidden(
                "Dit is door de schuldeiser zelf geregistreerd; alleen die kan het wijzigen."
                    .into(),
            ),
            Denied::NotFound => ServiceError::NotFound(what),
        }
    }
}
