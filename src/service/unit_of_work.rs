//! The unit of work: every use case runs in one, as load, decide, commit. It authorizes with the
//! one authorization function, persists what the domain decided, and — in the same transaction,
//! once, whatever the use case — writes the access log, re-evaluates samenloop for every person
//! whose circumstances changed and appends the notifications. Forgetting a re-check or a log
//! row is therefore not possible: a use case never writes on its own.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::domain::arrangement::ArrangementSettings;
use crate::domain::authorization::{
    self, Access, Denied, Operation, Registers, Target, authorize_role,
};
use crate::domain::caller::Caller;
use crate::domain::decision::{AccessRecord, Decision, Effects, Write};
use crate::domain::mandate::Mandate;
use crate::domain::notification::{self, Feed, FeedItem, Recipient};
use crate::domain::person::PersonId;
use crate::domain::time::Moment;
use crate::domain::webhook::Subscription;
use crate::metrics::Metrics;
use crate::store::{
    self, DbConnection, access_log, arrangements, attachments, audit_trail, balance_statements,
    claims, counsellors, creditors, declared_arrangements, mandates, norms, notifications,
    proposals, reference, samenloop_checks, samenloop_states, trajectories, webhook_subscriptions,
};

use super::reference::{ReferenceCache, ReferenceData};
use super::webhooks::Wakeup;
use super::{ServiceError, Whom, samenloop, schuldhulptrajecten};

/// What a use case needs besides the connection: the clock reading, the reference data, the
/// arrangement policy; the metrics, told what was committed, and the relay to wake when
/// notifications were appended.
pub struct Context<'a> {
    pub now: Moment,
    pub reference: &'a ReferenceCache,
    pub settings: &'a ArrangementSettings,
    pub metrics: &'a Metrics,
    pub wakeup: &'a Wakeup,
}

pub struct UnitOfWork<'a> {
    conn: &'a mut DbConnection,
    pub now: Moment,
    pub reference: Arc<ReferenceData>,
    pub settings: &'a ArrangementSettings,
    /// False when an earlier attempt lost a race (or guessed wrong) and was rolled back: the
    /// work then reads everything it relies on.
    pub first_attempt: bool,
    pending: Effects,
    reference_changed: bool,
    /// Codes of the samenloop flags this unit of work raised.
    flags_raised: Vec<&'static str>,
    notified: bool,
    /// A read: it runs outside a write transaction, so it may decide nothing but reads.
    reading: bool,
}

/// Runs `work` as one unit of work in one transaction, retried from the start when it lost a
/// race with another transaction. `work` must therefore only load and decide; the unit of work
/// writes.
pub fn run<T>(
    conn: &mut DbConnection,
    context: &Context<'_>,
    mut work: impl FnMut(&mut UnitOfWork<'_>) -> Result<T, ServiceError>,
) -> Result<T, ServiceError> {
    let mut attempts = 0;
    let (value, reference_changed, flags_raised, notified) =
        store::transaction(conn, |conn| -> Result<_, ServiceError> {
            attempts += 1;
            let mut uow = UnitOfWork::begin(conn, context, attempts, false)?;
            let value = work(&mut uow)?;
            uow.finish()?;
            Ok((value, uow.reference_changed, uow.flags_raised, uow.notified))
        })?;
    if reference_changed {
        context.reference.forget();
    }
    // Counted after the commit: a transaction retried or rolled back raised nothing.
    for kind in flags_raised {
        context.metrics.flag_raised(kind);
    }
    if notified {
        context.wakeup.wake();
    }
    Ok(value)
}

/// Runs `work`, a use case that only reads, as [`run`] runs a change but outside a write
/// transaction (`store::read`): on SQLite it does not wait for the write lock, on PostgreSQL it
/// saves BEGIN and COMMIT. Returns its value and the access-log rows it decided, which the caller
/// must see committed before it answers (`AccessLogGroups`).
pub fn read<T>(
    conn: &mut DbConnection,
    context: &Context<'_>,
    mut work: impl FnMut(&mut UnitOfWork<'_>) -> Result<T, ServiceError>,
) -> Result<(T, Vec<AccessRecord>), ServiceError> {
    let mut attempts = 0;
    store::read(conn, |conn| -> Result<_, ServiceError> {
        attempts += 1;
        let mut uow = UnitOfWork::begin(conn, context, attempts, true)?;
        let value = work(&mut uow)?;
        Ok((value, std::mem::take(&mut uow.pending.access)))
    })
}

/// Commits the access-log rows of reads ([`read`]), gathered by `AccessLogGroups`: nothing else
/// is written for a read. The rows are one statement on PostgreSQL (one INSERT, or one COPY for
/// several), so there it runs without BEGIN and COMMIT (`store::single_statement`), which saves
/// two of the group's three round trips; they are committed when it returns.
pub fn record_reads(
    conn: &mut DbConnection,
    now: Moment,
    rows: &[AccessRecord],
) -> Result<(), ServiceError> {
    store::single_statement(conn, |conn| {
        access_log::record(conn, rows, now.utc).map_err(ServiceError::from)
    })
}

/// The daily check's unit of work for one person: re-evaluated because the calendar moved, with
/// the progress of the run (`check`, then held until `lease_until`) recorded in the same
/// transaction, so a person is done exactly when the run says so. Whether the run was still
/// held; if not, nothing is done.
pub fn recheck(
    conn: &mut DbConnection,
    context: &Context<'_>,
    person: &PersonId,
    check: &mut samenloop_checks::Run,
    lease_until: chrono::NaiveDateTime,
) -> Result<bool, ServiceError> {
    let before = check.clone();
    let held = run(conn, context, |uow| {
        let mut held = before.clone();
        if !samenloop_checks::record_progress(uow.conn, &mut held, person, lease_until)? {
            return Ok(None);
        }
        uow.pending.circumstances_changed.insert(person.clone());
        Ok(Some(held))
    })?;
    let still_held = held.is_some();
    if let Some(held) = held {
        *check = held;
    }
    Ok(still_held)
}

/// The relay's record of deliveries acknowledged in order (`items`, at least one): the
/// subscription's position (held by `holder`, the lease renewed until `lease_until`) and the
/// persons' access-log rows, in one transaction. Whether `holder` still held the subscription;
/// if not, its position is left to the instance that holds it (or to nobody, once it was
/// removed), but the access-log rows are written all the same: the endpoint got the data.
pub fn delivered(
    conn: &mut DbConnection,
    context: &Context<'_>,
    subscription: &Subscription,
    items: &[FeedItem],
    holder: &str,
    lease_until: chrono::NaiveDateTime,
) -> Result<bool, ServiceError> {
    let Some(last) = items.last() else {
        return Ok(true);
    };
    run(conn, context, |uow| {
        let held = webhook_subscriptions::record_delivery(
            uow.conn,
            &subscription.id,
            holder,
            last.position,
            uow.now.utc,
            lease_until,
        )?;
        uow.commit(subscription.delivered(items))?;
        Ok(held)
    })
}

impl<'a> UnitOfWork<'a> {
    fn begin(
        conn: &'a mut DbConnection,
        context: &Context<'a>,
        attempt: u32,
        reading: bool,
    ) -> Result<Self, ServiceError> {
        Ok(UnitOfWork {
            reference: context.reference.get(conn)?,
            conn,
            now: context.now,
            settings: context.settings,
            first_attempt: attempt == 1,
            pending: Effects::default(),
            reference_changed: false,
            flags_raised: Vec::new(),
            notified: false,
            reading,
        })
    }

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
            counsellors: &self.reference.counsellors,
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

    /// The person a request is about and leave to act on their data, with a counsellor's
    /// mandates of that person. A mandate names its citizen only for the counsellor holding it.
    pub fn authorize_person(
        &mut self,
        caller: &Caller,
        operation: Operation,
        whom: &Whom,
    ) -> Result<(PersonId, Access), ServiceError> {
        let person = match whom {
            Whom::Person(person) => person.clone(),
            Whom::Mandate(id) => mandates::find(self.conn, id)?
                .filter(|m| caller.counsellor() == Some(m.counsellor.as_str()))
                .map(|m| m.person)
                .ok_or(ServiceError::NotFound("deze machtiging"))?,
        };
        let mandates = self.mandates(caller, &person)?;
        let target = Target::Person {
            person: &person,
            mandates: &mandates,
        };
        let access = self.decide(caller, operation, target, "burger")?;
        Ok((person, access))
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

    /// Holds the person's claims for a change that decides on all of them together, before they
    /// are read: see [`claims::hold_of_person`].
    pub fn hold_claims_of(&mut self, person: &PersonId) -> Result<(), ServiceError> {
        assert!(!self.reading, "a read holds nothing");
        Ok(claims::hold_of_person(self.conn, person)?)
    }

    /// Holds the registers for an administrator's change, before it reads them as stored (not
    /// from this instance's cache, which may be seconds behind another's change): see
    /// [`reference::hold`].
    pub fn hold_registers(&mut self) -> Result<(), ServiceError> {
        assert!(!self.reading, "a read holds nothing");
        Ok(reference::hold(self.conn)?)
    }

    /// Holds the registers against change, beside other writers that do, before the stored
    /// registers are read: see [`reference::share`].
    pub fn share_registers(&mut self) -> Result<(), ServiceError> {
        assert!(!self.reading, "a read holds nothing");
        Ok(reference::share(self.conn)?)
    }

    /// Holds the person's mandates for a grant, before they are read: see
    /// [`mandates::hold_of_person`].
    pub fn hold_mandates_of(&mut self, person: &PersonId) -> Result<(), ServiceError> {
        assert!(!self.reading, "a read holds nothing");
        Ok(mandates::hold_of_person(self.conn, person)?)
    }

    /// Holds a feed's subscriptions for a new one, before they are counted: see
    /// [`webhook_subscriptions::hold_of_feed`].
    pub fn hold_subscriptions_of(&mut self, feed: &Feed) -> Result<(), ServiceError> {
        assert!(!self.reading, "a read holds nothing");
        Ok(webhook_subscriptions::hold_of_feed(self.conn, feed)?)
    }

    /// Holds what runs on the person's income for a registration, before it is read: two at once
    /// (a second click) are decided one after the other, and the second sees the first. The
    /// lock is the one the person's samenloop re-evaluation is made under: see
    /// [`samenloop_states::hold`].
    pub fn hold_income_of(&mut self, person: &PersonId) -> Result<(), ServiceError> {
        assert!(!self.reading, "a read holds nothing");
        Ok(samenloop_states::hold(self.conn, person)?)
    }

    /// Holds a declared arrangement for a change, before it is read: see
    /// [`declared_arrangements::hold`].
    pub fn hold_declared(&mut self, id: &str) -> Result<(), ServiceError> {
        assert!(!self.reading, "a read holds nothing");
        Ok(declared_arrangements::hold(self.conn, id)?)
    }

    /// The record `find` looks up by id, for `operation`, before leave to act on it is decided: a
    /// caller whose role may never do that is refused before the lookup, so that the answer is
    /// the same whether the id exists or not (existence is not disclosed).
    pub fn find<T>(
        &mut self,
        caller: &Caller,
        operation: Operation,
        what: &'static str,
        find: impl FnOnce(&mut DbConnection) -> Result<Option<T>, store::StoreError>,
    ) -> Result<T, ServiceError> {
        authorize_role(caller, operation).map_err(|d| ServiceError::denied(d, what))?;
        find(self.conn())?.ok_or(ServiceError::NotFound(what))
    }

    /// Leave for a counsellor organisation to act on one of its own mandates (live or to come),
    /// as its client list shows them; any other is "not found" as `what`.
    pub fn authorize_mandate(
        &mut self,
        caller: &Caller,
        operation: Operation,
        mandate: &Mandate,
        what: &'static str,
    ) -> Result<Access, ServiceError> {
        authorize_role(caller, operation).map_err(|d| ServiceError::denied(d, what))?;
        self.decide(caller, operation, Target::Mandate { mandate }, what)
    }

    /// Leave to act on a record an organisation keeps of its own feed; another's is "not found"
    /// as `what`.
    pub fn authorize_feed_record(
        &mut self,
        caller: &Caller,
        operation: Operation,
        owner: &Feed,
        what: &'static str,
    ) -> Result<Access, ServiceError> {
        authorize_role(caller, operation).map_err(|d| ServiceError::denied(d, what))?;
        self.decide(caller, operation, Target::OfFeed { owner }, what)
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
        // A use case is run as a read by its call site; one that decides a change there is a
        // fault of ours, found by its tests, never a change written outside a transaction.
        assert!(
            !self.reading || decision.only_reads(),
            "a use case run as a read decided a change"
        );
        for write in decision.writes {
            self.persist(write)?;
        }
        let Effects {
            access,
            circumstances_changed,
            notifications,
            audit,
        } = decision.effects;
        self.pending.access.extend(access);
        self.pending.audit.extend(audit);
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
            Write::NewAttachment(attachment) => {
                attachments::insert(conn, &attachment, now)?;
                let signals = schuldhulptrajecten::on_new_attachment(conn, &attachment)?;
                self.pending.notifications.extend(signals);
            }
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
                // Before the batch is written, while the phases before it can still be read.
                let pause = schuldhulptrajecten::on_claim_batch(
                    conn,
                    &batch,
                    &self.reference.counsellors,
                    self.now.today,
                )?;
                let new: Vec<&_> = batch.new_claims.iter().collect();
                claims::insert_new(conn, &new, now)?;
                claims::update_ledgers(conn, &batch.updated_claims, now)?;
                let events: Vec<_> = batch
                    .events
                    .iter()
                    .map(|(e, id)| (e, id.as_str()))
                    .collect();
                claims::insert_events(conn, &batch.creditor, &events, now)?;
                self.commit(pause)?;
            }
            Write::CounsellorOrganisation { organisation, new } => {
                if new {
                    counsellors::insert(conn, &organisation, now)?;
                } else {
                    counsellors::update(conn, &organisation, now)?;
                }
                self.reference_data_changed()?;
            }
            Write::MandateReference { id, reference } => {
                mandates::set_reference(conn, &id, &reference)?
            }
            Write::NormTable(table) => {
                norms::insert(conn, &table, "beheerder", now)?;
                samenloop_checks::check_again_from(conn, table.valid_from)?;
                self.reference_data_changed()?;
            }
            Write::NewTrajectory(trajectory) => trajectories::insert(conn, &trajectory)?,
            Write::ChangedTrajectory(trajectory) => trajectories::update(conn, &trajectory)?,
            Write::TrajectoryCreditorsInformed {
                trajectory_id,
                creditors,
            } => trajectories::inform(conn, &trajectory_id, &creditors, now)?,
            Write::BalanceStatement(stored) => balance_statements::insert(conn, &stored)?,
            Write::NewSubscription(subscription) => {
                webhook_subscriptions::insert(conn, &subscription)?
            }
            Write::SubscriptionRemoved { id } => webhook_subscriptions::remove(conn, &id)?,
        }
        Ok(())
    }

    /// What every change sets off, once: the access log, the audit trail, samenloop for each
    /// person whose circumstances changed (which may add notifications), then the notifications,
    /// those for "the person's counsellors" addressed to each organisation with a live mandate.
    fn finish(&mut self) -> Result<(), ServiceError> {
        let Effects {
            access,
            circumstances_changed,
            mut notifications,
            audit,
        } = std::mem::take(&mut self.pending);
        access_log::record(self.conn, &access, self.now.utc)?;
        audit_trail::record(self.conn, &audit, self.now.utc)?;
        for person in &circumstances_changed {
            let (told, raised) = samenloop::reassess(self.conn, person, &self.reference, self.now)?;
            notifications.extend(told);
            self.flags_raised.extend(raised);
        }
        let mut mandates_of = BTreeMap::new();
        for notification in &notifications {
            if notification.recipient == Recipient::PersonsCounsellors
                && !mandates_of.contains_key(&notification.person)
            {
                let person = notification.person.clone();
                mandates_of.insert(person.clone(), mandates::of_person(self.conn, &person)?);
            }
        }
        let notifications = notification::address(notifications, &mandates_of, self.now.today);
        notifications::append(self.conn, &notifications, self.now.utc)?;
        self.notified = !notifications.is_empty();
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
            Denied::OnlyRegisteringOrganisation => ServiceError::Forbidden(
                "Dit schuldhulptraject is door een andere organisatie geregistreerd; alleen die \
                 organisatie, of de burger zelf, kan het wijzigen of beëindigen."
                    .into(),
            ),
            Denied::NotFound => ServiceError::NotFound(what),
        }
    }
}

#[cfg(test)]
mod tests {
    //! The unit of work is the only way to write: a use case that called the store's writes
    //! itself would skip the access log, the samenloop re-check or the notifications. This reads
    //! the service layer's sources and fails on any store call that is not a read.

    use std::collections::BTreeMap;

    /// Store functions that only read.
    const READS: [&str; 43] = [
        "all",
        "any_of_creditor",
        "arranged",
        "changes_since",
        "checked_through",
        "claim_type_prefix",
        "count",
        "current_of_counsellor",
        "due",
        "ended_of_persons",
        "event_hashes",
        "events_of_claim",
        "events_of_claims",
        "find",
        "find_by_ids",
        "find_by_key",
        "find_by_keys",
        "find_for_creditor",
        "find_many",
        "for_person",
        "last_position",
        "latest_ruling",
        "load",
        "load_with_claims",
        "mandate_lapsed",
        "newest",
        "of_counsellor",
        "of_feed",
        "of_person",
        "of_person_for",
        "of_persons",
        "page",
        "page_for_creditor",
        "page_of_person",
        "persons_concerned",
        "persons_with_start_or_end",
        "ping",
        "reversible_payments",
        "running_of",
        "running_of_persons",
        "surcharges_of_claims",
        "unaccepted_expired_before",
        "version",
    ];

    /// Writes outside this file, each with why it is not a use case's: the daily check's and
    /// the webhook relay's own bookkeeping (leases and refused attempts, no person's data), the
    /// evaluation the unit of work asks for (and the lock it is made under), seeding at
    /// start-up, and retention (deleting what is no longer kept is nobody's action).
    const ALLOWED: [(&str, &str); 10] = [
        ("arrangements.rs", "proposals::delete_unaccepted"),
        ("samenloop.rs", "samenloop_states::hold"),
        ("samenloop.rs", "samenloop_states::save"),
        ("samenloop.rs", "samenloop_checks::take_run"),
        ("samenloop.rs", "samenloop_checks::finish_run"),
        ("norms.rs", "norms::insert"),
        ("norms.rs", "store::reference::raise"),
        ("webhooks.rs", "webhook_subscriptions::take_lease"),
        ("webhooks.rs", "webhook_subscriptions::record_refusal"),
        ("webhooks.rs", "webhook_subscriptions::release"),
    ];

    /// The store modules a file imports, by the name it uses for them.
    fn store_modules(source: &str) -> BTreeMap<String, String> {
        let mut modules = BTreeMap::new();
        let mut rest = source;
        while let Some(start) = rest.find("use crate::store::") {
            let after = &rest[start + "use crate::store::".len()..];
            let end = after.find(';').unwrap_or(after.len());
            let list = after[..end].trim_start_matches('{').trim_end_matches('}');
            for item in list.split(',').map(str::trim).filter(|i| !i.is_empty()) {
                let (module, alias) = item.split_once(" as ").unwrap_or((item, item));
                let module = if module == "self" { "store" } else { module };
                // Types (`StoreError`, `DbConnection`) are not modules.
                if module.starts_with(|c: char| c.is_ascii_lowercase()) {
                    modules.insert(alias.trim().to_owned(), module.trim().to_owned());
                }
            }
            rest = &after[end..];
        }
        modules
    }

    /// Every `alias::function(` call on an imported store module, as `module::function`.
    fn store_calls(source: &str) -> Vec<String> {
        let modules = store_modules(source);
        let mut calls = Vec::new();
        for (alias, module) in &modules {
            let needle = format!("{alias}::");
            let mut rest = source;
            while let Some(at) = rest.find(&needle) {
                let preceded = rest[..at]
                    .chars()
                    .last()
                    .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':');
                let name: String = rest[at + needle.len()..]
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                let called = rest[at + needle.len() + name.len()..].starts_with('(');
                if !preceded && called {
                    calls.push(format!("{module}::{name}"));
                }
                rest = &rest[at + needle.len()..];
            }
        }
        calls
    }

    #[test]
    fn no_use_case_writes_except_through_the_unit_of_work() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/service");
        let mut checked = 0;
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let file = path.file_name().unwrap().to_string_lossy().into_owned();
            if file == "unit_of_work.rs" {
                continue;
            }
            let source = std::fs::read_to_string(&path).unwrap();
            for call in store_calls(&source) {
                let function = call.rsplit("::").next().unwrap_or_default();
                let allowed = READS.contains(&function)
                    || ALLOWED.contains(&(file.as_str(), call.as_str()))
                    || ALLOWED
                        .iter()
                        .any(|(f, c)| *f == file && c.ends_with(&call));
                assert!(
                    allowed,
                    "{file} calls {call}: write through the unit of work"
                );
                checked += 1;
            }
        }
        assert!(
            checked > 20,
            "the scan found the service layer's store calls ({checked})"
        );
    }

    #[test]
    fn the_scan_sees_a_write_behind_an_alias() {
        let source = "use crate::store::{claims as claim_store, samenloop_states};\n\
                      fn f() { claim_store::update_ledger(conn, c, now)?; samenloop_states::load(conn, p)?; }";
        assert_eq!(
            store_calls(source),
            ["claims::update_ledger", "samenloop_states::load"]
        );
    }
}
