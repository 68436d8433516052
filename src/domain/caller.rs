//! Who is calling: built once at the edge (from a bearer token, later from a session), then
//! passed to the one authorization function. Nothing else decides who someone is.

use super::access::{Actor, Role};
use super::person::PersonId;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Caller {
    /// A citizen, known only by the pseudonym of their BSN.
    Citizen { person: PersonId },
    /// An agency's system, by its code in the creditor registry.
    Agency { creditor: String },
    /// A debt-counsellor organisation, by its id in the counsellor registry.
    Counsellor { organisation: String },
    /// An administrator of reference data; `subject` (the token's `sub`, required) names them in
    /// the audit trail.
    Administrator { subject: String },
}

impl Caller {
    pub fn role(&self) -> Role {
        match self {
            Caller::Citizen { .. } => Role::Burger,
            Caller::Agency { .. } => Role::Organisatie,
            Caller::Counsellor { .. } => Role::Schuldhulpverlener,
            Caller::Administrator { .. } => Role::Beheerder,
        }
    }

    /// How the access log records this caller. A citizen is recorded without an identifier:
    /// the log is theirs, so "you" is enough.
    pub fn actor(&self) -> Actor {
        match self {
            Caller::Citizen { .. } => Actor::citizen(),
            Caller::Agency { creditor } => Actor::organisation(Role::Organisatie, creditor),
            Caller::Counsellor { organisation } => {
                Actor::organisation(Role::Schuldhulpverlener, organisation)
            }
            Caller::Administrator { subject } => Actor {
                role: Role::Beheerder,
                organisation: Some(subject.clone()),
            },
        }
    }

    /// The creditor code of an agency.
    pub fn creditor(&self) -> Option<&str> {
        match self {
            Caller::Agency { creditor } => Some(creditor),
            _ => None,
        }
    }

    /// The organisation id of a counsellor.
    pub fn counsellor(&self) -> Option<&str> {
        match self {
            Caller::Counsellor { organisation } => Some(organisation),
            _ => None,
        }
    }
}
