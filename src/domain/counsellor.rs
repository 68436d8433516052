//! The registry of debt-counsellor organisations (schuldhulpverleners): who may act for citizens
//! that mandate them.

use super::audit::{AuditEntry, Audited, Register};
use super::authorization::Access;
use super::creditor::Contact;
use super::decision::{Decision, Effects, Write};
use super::mandate::check_counsellor_id;
use super::validation::{FieldIssue, check_text};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CounsellorOrganisation {
    /// The id its tokens carry in `organisatie`.
    pub id: String,
    pub name: String,
    pub contact: Contact,
}

/// Checks an entry the beheerder adds or changes.
pub fn validate(organisation: &CounsellorOrganisation) -> Vec<FieldIssue> {
    let mut issues = Vec::new();
    issues.extend(check_counsellor_id("id", &organisation.id));
    issues.extend(check_text("naam", &organisation.name, 200));
    issues.extend(super::creditor::check_contact(&organisation.contact));
    issues
}

/// Adds an organisation to the registry or replaces its entry; returns whether it is new.
pub fn put(
    access: &Access,
    organisation: CounsellorOrganisation,
    existing: Option<&CounsellorOrganisation>,
) -> Result<Decision<bool>, Vec<FieldIssue>> {
    let issues = validate(&organisation);
    if !issues.is_empty() {
        return Err(issues);
    }
    let new = existing.is_none();
    let audit = AuditEntry::of(
        &access.actor,
        Register::Counsellors,
        &organisation.id,
        existing,
        &organisation,
    );
    Ok(Decision {
        value: new,
        writes: vec![Write::CounsellorOrganisation { organisation, new }],
        effects: Effects::audited(audit),
    })
}

impl Audited for CounsellorOrganisation {
    fn audited_fields(&self) -> Vec<(String, Option<String>)> {
        let mut fields = vec![("naam".into(), Some(self.name.clone()))];
        fields.extend(self.contact.audited_fields());
        fields
    }
}
