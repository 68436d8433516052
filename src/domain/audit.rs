//! The trail of what administrators change in the reference data every calculation rests on
//! (creditor registry, counsellor registry, norm tables): who, when, which entry, and each field
//! before and after. Recorded in the same transaction as the change; readable by `beheerder`.

use serde::{Deserialize, Serialize};

use super::access::Actor;

/// The reference data an entry belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Register {
    Creditors,
    Counsellors,
    NormTables,
}

impl Register {
    pub const ALL: [Register; 3] = [
        Register::Creditors,
        Register::Counsellors,
        Register::NormTables,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Register::Creditors => "SCHULDEISERS",
            Register::Counsellors => "SCHULDHULPVERLENERS",
            Register::NormTables => "NORMTABELLEN",
        }
    }

    pub fn from_code(code: &str) -> Option<Register> {
        Register::ALL.into_iter().find(|r| r.code() == code)
    }
}

/// One field of an entry that changed; `None` where it had (or has) no value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    pub field: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// A reference-data entry, as its fields read in the audit trail (named as on the API).
pub trait Audited {
    fn audited_fields(&self) -> Vec<(String, Option<String>)>;
}

/// One change by an administrator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub actor: Actor,
    pub register: Register,
    pub key: String,
    pub changes: Vec<FieldChange>,
}

impl AuditEntry {
    /// The entry for replacing `before` (or adding, when `None`) by `after`; `None` when no field
    /// changed, so that repeating a change leaves no trace of a change that did not happen.
    pub fn of<T: Audited>(
        actor: &Actor,
        register: Register,
        key: &str,
        before: Option<&T>,
        after: &T,
    ) -> Option<AuditEntry> {
        let old = before.map(Audited::audited_fields).unwrap_or_default();
        let old_value = |field: &str| {
            old.iter()
                .find(|(name, _)| name == field)
                .and_then(|(_, value)| value.clone())
        };
        let changes: Vec<FieldChange> = after
            .audited_fields()
            .into_iter()
            .filter_map(|(field, after)| {
                let before = old_value(&field);
                (before != after).then_some(FieldChange {
                    field,
                    before,
                    after,
                })
            })
            .collect();
        (!changes.is_empty()).then(|| AuditEntry {
            actor: actor.clone(),
            register,
            key: key.to_owned(),
            changes,
        })
    }
}

/// An entry of the trail as stored, with when it happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedChange {
    pub id: i64,
    pub at: chrono::NaiveDateTime,
    pub entry: AuditEntry,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::access::Role;

    struct Entry(Vec<(&'static str, Option<&'static str>)>);

    impl Audited for Entry {
        fn audited_fields(&self) -> Vec<(String, Option<String>)> {
            self.0
                .iter()
                .map(|(f, v)| (f.to_string(), v.map(str::to_owned)))
                .collect()
        }
    }

    fn admin() -> Actor {
        Actor {
            role: Role::Beheerder,
            organisation: Some("beheerder-1".into()),
        }
    }

    #[test]
    fn a_new_entry_records_every_field_with_a_value_and_a_change_only_what_changed() {
        let before = Entry(vec![("naam", Some("CJIB")), ("telefoon", None)]);
        let after = Entry(vec![("naam", Some("CJIB")), ("telefoon", Some("058"))]);
        let added = AuditEntry::of(&admin(), Register::Creditors, "CJIB", None, &before).unwrap();
        assert_eq!(
            added.changes.len(),
            1,
            "a field without a value is no change"
        );
        let changed =
            AuditEntry::of(&admin(), Register::Creditors, "CJIB", Some(&before), &after).unwrap();
        assert_eq!(
            changed.changes,
            [FieldChange {
                field: "telefoon".into(),
                before: None,
                after: Some("058".into()),
            }]
        );
        assert_eq!(
            AuditEntry::of(&admin(), Register::Creditors, "CJIB", Some(&after), &after),
            None
        );
    }
}
