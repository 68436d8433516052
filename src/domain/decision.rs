//! What a domain record decides: the records to write and what the change sets off. The unit of
//! work of the service layer commits a decision in one transaction: it persists the writes,
//! appends the access-log rows, re-evaluates samenloop once for every person whose circumstances
//! changed, and appends the notifications.

use std::collections::BTreeSet;

use chrono::NaiveDateTime;

use super::access::{Action, Actor};
use super::arrangement::{Arrangement, Ending, Proposal};
use super::attachment::{Attachment, DeclaredArrangement};
use super::audit::AuditEntry;
use super::authorization::Access;
use super::beslagvrije_voet::NormTable;
use super::claims::ClaimBatch;
use super::counsellor::CounsellorOrganisation;
use super::creditor::Creditor;
use super::mandate::Mandate;
use super::notification::Notification;
use super::person::PersonId;
use super::saldo_opgave::StoredStatement;
use super::schuldhulptraject::Trajectory;
use super::webhook::Subscription;

/// One thing done with one person's data, for their access log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessRecord {
    pub person: PersonId,
    pub actor: Actor,
    pub action: Action,
    /// The record concerned, or for a counsellor the mandate it acted under.
    pub subject_id: Option<String>,
}

impl AccessRecord {
    /// The row for `action` on `subject` by the one `access` was granted to. A counsellor's row
    /// names the mandate it acted under when the action concerns no record of its own.
    pub fn new(person: &PersonId, access: &Access, action: Action, subject: Option<&str>) -> Self {
        AccessRecord {
            person: person.clone(),
            actor: access.actor.clone(),
            action,
            subject_id: subject
                .map(str::to_owned)
                .or_else(|| access.mandate_id.clone()),
        }
    }
}

/// A record to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Write {
    Mandate(Mandate),
    MandateRevoked {
        id: String,
        at: NaiveDateTime,
    },
    NewAttachment(Attachment),
    /// Written only if nobody changed it since it was read (its `version`).
    ChangedAttachment(Attachment),
    NewDeclaredArrangement(DeclaredArrangement),
    ChangedDeclaredArrangement(DeclaredArrangement),
    Proposal(Proposal),
    /// A proposal accepted: the arrangement, the proposal marked as accepted (once), and its
    /// household recorded as the person's declared situation.
    ArrangementStarted(Arrangement),
    ArrangementEnded {
        id: String,
        ending: Ending,
    },
    /// A registry entry added (`new`) or replaced.
    Creditor {
        creditor: Creditor,
        new: bool,
    },
    NormTable(NormTable),
    /// A counsellor organisation added (`new`) or replaced in the registry.
    CounsellorOrganisation {
        organisation: CounsellorOrganisation,
        new: bool,
    },
    /// A counsellor's own dossier reference for a mandate.
    MandateReference {
        id: String,
        reference: String,
    },
    /// The claims and events of a batch an agency posted.
    ClaimBatch(ClaimBatch),
    NewTrajectory(Trajectory),
    /// Written only if nobody changed it since it was read (its `version`).
    ChangedTrajectory(Trajectory),
    /// Creditors told of a trajectory for the first time.
    TrajectoryCreditorsInformed {
        trajectory_id: String,
        creditors: Vec<String>,
    },
    /// A saldo-opgave, kept as given.
    BalanceStatement(StoredStatement),
    NewSubscription(Subscription),
    SubscriptionRemoved {
        id: String,
    },
}

/// What a change sets off besides its own writes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Effects {
    pub access: Vec<AccessRecord>,
    /// Persons whose income, deductions or declared situation changed: samenloop is
    /// re-evaluated for each, once, in the same transaction.
    pub circumstances_changed: BTreeSet<PersonId>,
    pub notifications: Vec<Notification>,
    /// Administrators' changes to reference data, for the audit trail.
    pub audit: Vec<AuditEntry>,
}

impl Effects {
    pub fn audited(audit: Option<AuditEntry>) -> Effects {
        Effects {
            audit: audit.into_iter().collect(),
            ..Effects::default()
        }
    }

    pub fn read(record: AccessRecord) -> Effects {
        Effects {
            access: vec![record],
            ..Effects::default()
        }
    }

    /// A change of `record.person`'s circumstances, logged as `record`.
    pub fn changed(record: AccessRecord) -> Effects {
        Effects {
            circumstances_changed: BTreeSet::from([record.person.clone()]),
            access: vec![record],
            ..Effects::default()
        }
    }

    pub fn with_notifications(mut self, notifications: Vec<Notification>) -> Effects {
        self.notifications.extend(notifications);
        self
    }
}

/// A decision: the value to answer with, the writes and their effects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision<T> {
    pub value: T,
    pub writes: Vec<Write>,
    pub effects: Effects,
}

impl<T> Decision<T> {
    /// Nothing is written: only what was read is logged.
    pub fn read(value: T, record: AccessRecord) -> Decision<T> {
        Decision::reads(value, vec![record])
    }

    /// Whether this decides nothing but access-log rows.
    pub fn only_reads(&self) -> bool {
        let Effects {
            access: _,
            circumstances_changed,
            notifications,
            audit,
        } = &self.effects;
        self.writes.is_empty()
            && circumstances_changed.is_empty()
            && notifications.is_empty()
            && audit.is_empty()
    }

    /// Nothing is written: each person whose data was read gets a row.
    pub fn reads(value: T, records: Vec<AccessRecord>) -> Decision<T> {
        Decision {
            value,
            writes: Vec::new(),
            effects: Effects {
                access: records,
                ..Effects::default()
            },
        }
    }
}
