//! The one answer to "may this caller do this to this person or record": roles, ownership and
//! live mandates, decided here and nowhere else (docs/architecture.md, docs/production.md).
//!
//! Deny by default: every operation lists the roles that may perform it. Existence is not
//! disclosed: a record the caller may not see is "not found", whether it exists or not; a
//! request that names a person without a mandate for that person is "forbidden".

use chrono::NaiveDate;

use super::access::{Actor, Role};
use super::caller::Caller;
use super::counsellor::CounsellorOrganisation;
use super::creditor::Creditor;
use super::mandate::{Mandate, MandateStatus};
use super::notification::Feed;
use super::person::PersonId;

/// What a caller wants to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    ReadOverview,
    ReadAccessLog,
    ManageMandates,
    Propose,
    AcceptProposal,
    ListArrangements,
    ReadArrangement,
    EndArrangement,
    RegisterAttachment,
    ReadAttachment,
    ChangeAttachment,
    DeclareArrangement,
    ChangeDeclaredArrangement,
    PostClaimEvents,
    ReadOwnClaims,
    ReadFeed,
    /// A counsellor registers that a citizen is in municipal debt help.
    RegisterTrajectory,
    /// The registering counsellor changes the phase or ends it; the citizen may end it.
    ChangeTrajectory,
    ReadTrajectory,
    /// A saldo-opgave of all the person's claims, kept to be cited later.
    MakeBalanceStatement,
    ReadBalanceStatement,
    /// An organisation's webhook subscriptions of its own feed.
    ManageSubscriptions,
    /// A counsellor's list of the citizens who mandated it, and its own references for them.
    ManageClients,
    ManageReferenceData,
}

impl Operation {
    /// The roles that may perform this operation at all.
    fn roles(self) -> &'static [Role] {
        use Role::*;
        match self {
            Operation::ReadAccessLog | Operation::ManageMandates => &[Burger],
            Operation::ManageClients | Operation::RegisterTrajectory => &[Schuldhulpverlener],
            Operation::ReadOverview
            | Operation::Propose
            | Operation::AcceptProposal
            | Operation::ListArrangements
            | Operation::ReadArrangement
            | Operation::EndArrangement
            | Operation::DeclareArrangement
            | Operation::ChangeDeclaredArrangement
            | Operation::ChangeTrajectory
            | Operation::ReadTrajectory
            | Operation::MakeBalanceStatement
            | Operation::ReadBalanceStatement => &[Burger, Schuldhulpverlener],
            Operation::RegisterAttachment
            | Operation::ReadAttachment
            | Operation::ChangeAttachment => &[Organisatie, Burger, Schuldhulpverlener],
            Operation::PostClaimEvents | Operation::ReadOwnClaims => &[Organisatie],
            Operation::ReadFeed | Operation::ManageSubscriptions => {
                &[Organisatie, Schuldhulpverlener]
            }
            Operation::ManageReferenceData => &[Beheerder],
        }
    }
}

/// What the operation is about.
#[derive(Debug, Clone, Copy)]
pub enum Target<'a> {
    /// The caller's own business: an agency's claims and feed, the reference data.
    Own,
    /// The person the request is about: a citizen's own, or the one named in the body. For a
    /// counsellor, `mandates` are its mandates from this person.
    Person {
        person: &'a PersonId,
        mandates: &'a [Mandate],
    },
    /// A stored record of a person, with the organisation that registered it when it is an
    /// agency's attachment (the creditor) or a trajectory (the counsellor organisation), and for
    /// a counsellor its mandates from the owner.
    Record {
        owner: &'a PersonId,
        laid_by: Option<&'a str>,
        mandates: &'a [Mandate],
    },
    /// A record an organisation keeps of its own feed (a webhook subscription): only the owner
    /// of that feed sees it.
    OfFeed { owner: &'a Feed },
    /// One of a counsellor organisation's mandates, as its client list shows it: its own, while
    /// live or still to come; any other is not found.
    Mandate { mandate: &'a Mandate },
}

/// Leave to act, and how the access log records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Access {
    pub actor: Actor,
    /// The mandate a counsellor acts under; the access log names it as the reason.
    pub mandate_id: Option<String>,
}

/// The registers that say which organisations exist.
#[derive(Debug, Clone, Copy)]
pub struct Registers<'a> {
    pub creditors: &'a [Creditor],
    pub counsellors: &'a [CounsellorOrganisation],
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Denied {
    #[error("this role may not do this")]
    Role { allowed: &'static [Role] },
    /// A token for an organisation the registers do not know.
    #[error("unknown organisation")]
    UnknownOrganisation,
    #[error("a citizen acts only on their own data")]
    OnlyOwnData,
    #[error("no live mandate")]
    NoMandate,
    #[error("only the party that laid it may change it")]
    OnlyLayingParty,
    #[error("only the organisation that registered it may change it")]
    OnlyRegisteringOrganisation,
    /// The record does not exist for this caller.
    #[error("not found")]
    NotFound,
}

/// Whether the caller's role may perform `operation` at all. Asked at the edge before a request
/// body is read, so a wrong role never learns what the body should hold; [`authorize`] asks it
/// again with everything else.
pub fn authorize_role(caller: &Caller, operation: Operation) -> Result<(), Denied> {
    let allowed = operation.roles();
    if allowed.contains(&caller.role()) {
        Ok(())
    } else {
        Err(Denied::Role { allowed })
    }
}

/// Decides whether `caller` may perform `operation` on `target` today.
pub fn authorize(
    caller: &Caller,
    operation: Operation,
    target: Target<'_>,
    today: NaiveDate,
    registers: Registers<'_>,
) -> Result<Access, Denied> {
    authorize_role(caller, operation)?;
    let registered = match caller {
        Caller::Agency { creditor } => registers.creditors.iter().any(|c| c.code == *creditor),
        Caller::Counsellor { organisation } => {
            registers.counsellors.iter().any(|c| c.id == *organisation)
        }
        Caller::Citizen { .. } | Caller::Administrator { .. } => true,
    };
    if !registered {
        return Err(Denied::UnknownOrganisation);
    }
    let granted = |mandate_id: Option<String>| Access {
        actor: caller.actor(),
        mandate_id,
    };
    match target {
        Target::Own => Ok(granted(None)),
        Target::Mandate { mandate } => match caller {
            Caller::Counsellor { organisation }
                if mandate.counsellor == *organisation
                    && matches!(
                        mandate.status(today),
                        MandateStatus::Live | MandateStatus::NotYetValid
                    ) =>
            {
                Ok(granted(Some(mandate.id.clone())))
            }
            _ => Err(Denied::NotFound),
        },
        Target::OfFeed { owner } => match Feed::of(caller) {
            Some(feed) if feed == *owner => Ok(granted(None)),
            _ => Err(Denied::NotFound),
        },
        Target::Person { person, mandates } => match caller {
            Caller::Citizen { person: own } if own == person => Ok(granted(None)),
            Caller::Citizen { .. } => Err(Denied::OnlyOwnData),
            Caller::Counsellor { organisation } => {
                live_mandate(mandates, organisation, person, today)
                    .map(|m| granted(Some(m.id.clone())))
                    .ok_or(Denied::NoMandate)
            }
            // An agency may name any person it attaches; its own claims decide the rest.
            Caller::Agency { .. } => Ok(granted(None)),
            Caller::Administrator { .. } => Err(Denied::Role {
                allowed: operation.roles(),
            }),
        },
        Target::Record {
            owner,
            laid_by,
            mandates,
        } => {
            let access = match caller {
                Caller::Citizen { person } if person == owner => granted(None),
                Caller::Counsellor { organisation } => {
                    live_mandate(mandates, organisation, owner, today)
                        .map(|m| granted(Some(m.id.clone())))
                        .ok_or(Denied::NotFound)?
                }
                Caller::Agency { creditor } if laid_by == Some(creditor.as_str()) => granted(None),
                _ => return Err(Denied::NotFound),
            };
            // What an agency registered itself only that agency changes; the person sees it.
            if operation == Operation::ChangeAttachment
                && laid_by.is_some()
                && caller.creditor().is_none()
            {
                return Err(Denied::OnlyLayingParty);
            }
            // A trajectory is changed by the organisation that registered it (or ended by the
            // citizen); another mandated organisation only sees it.
            if operation == Operation::ChangeTrajectory
                && caller
                    .counsellor()
                    .is_some_and(|organisation| laid_by != Some(organisation))
            {
                return Err(Denied::OnlyRegisteringOrganisation);
            }
            Ok(access)
        }
    }
}

fn live_mandate<'m>(
    mandates: &'m [Mandate],
    organisation: &str,
    person: &PersonId,
    today: NaiveDate,
) -> Option<&'m Mandate> {
    mandates
        .iter()
        .find(|m| m.counsellor == organisation && m.person == *person && m.is_live(today))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::testing::d;

    fn person(id: &str) -> PersonId {
        PersonId::from_stored(id.to_owned())
    }

    fn citizen(id: &str) -> Caller {
        Caller::Citizen { person: person(id) }
    }

    fn counsellor() -> Caller {
        Caller::Counsellor {
            organisation: "GKB".into(),
        }
    }

    fn agency(code: &str) -> Caller {
        Caller::Agency {
            creditor: code.into(),
        }
    }

    fn mandate(of: &str, until: NaiveDate, revoked: bool) -> Mandate {
        Mandate {
            id: format!("m-{of}"),
            person: person(of),
            counsellor: "GKB".into(),
            valid_from: d(2026, 1, 1),
            valid_until: until,
            granted_at: d(2026, 1, 1).and_hms_opt(9, 0, 0).unwrap(),
            revoked_at: revoked.then(|| d(2026, 2, 1).and_hms_opt(9, 0, 0).unwrap()),
            counsellor_reference: None,
        }
    }

    const TODAY: fn() -> NaiveDate = || d(2026, 6, 15);

    fn registry() -> Vec<Creditor> {
        ["CJIB", "DUO"]
            .into_iter()
            .map(|code| Creditor {
                code: code.into(),
                name: code.into(),
                claim_type_prefix: code.to_lowercase(),
                brr_from: None,
                connected_from: None,
                contact: Default::default(),
                preference_rank: None,
            })
            .collect()
    }

    fn decide(caller: &Caller, operation: Operation, target: Target<'_>) -> Result<Access, Denied> {
        authorize(
            caller,
            operation,
            target,
            TODAY(),
            Registers {
                creditors: &registry(),
                counsellors: &[CounsellorOrganisation {
                    id: "GKB".into(),
                    name: "Gemeentelijke Kredietbank".into(),
                    contact: Default::default(),
                }],
            },
        )
    }

    #[test]
    fn every_role_outside_an_operations_list_is_refused_before_anything_is_loaded() {
        let admin = Caller::Administrator {
            subject: "beheerder-1".to_owned(),
        };
        for (caller, operation) in [
            (&admin, Operation::ReadOverview),
            (&agency("CJIB"), Operation::Propose),
            (&citizen("p"), Operation::PostClaimEvents),
            (&counsellor(), Operation::ManageMandates),
            (&citizen("p"), Operation::ManageReferenceData),
        ] {
            assert!(
                matches!(authorize_role(caller, operation), Err(Denied::Role { .. })),
                "{caller:?} {operation:?}"
            );
        }
        assert!(decide(&admin, Operation::ManageReferenceData, Target::Own).is_ok());
    }

    #[test]
    fn an_organisation_outside_its_registry_is_refused_whatever_it_asks() {
        assert_eq!(
            decide(&agency("ONBEKEND"), Operation::ReadOwnClaims, Target::Own),
            Err(Denied::UnknownOrganisation)
        );
        let stranger = Caller::Counsellor {
            organisation: "ONBEKEND".into(),
        };
        assert_eq!(
            decide(&stranger, Operation::ManageClients, Target::Own),
            Err(Denied::UnknownOrganisation)
        );
        assert!(decide(&agency("CJIB"), Operation::ReadOwnClaims, Target::Own).is_ok());
    }

    #[test]
    fn a_citizen_acts_on_their_own_data_only() {
        let own = person("p");
        let target = Target::Person {
            person: &own,
            mandates: &[],
        };
        let access = decide(&citizen("p"), Operation::ReadOverview, target).unwrap();
        assert_eq!(access.actor, Actor::citizen());
        assert_eq!(
            decide(&citizen("q"), Operation::ReadOverview, target),
            Err(Denied::OnlyOwnData)
        );
    }

    #[test]
    fn a_counsellor_needs_a_live_mandate_of_that_person_and_is_logged_with_it() {
        let p = person("p");
        let live = [mandate("p", d(2026, 12, 31), false)];
        let access = decide(
            &counsellor(),
            Operation::Propose,
            Target::Person {
                person: &p,
                mandates: &live,
            },
        )
        .unwrap();
        assert_eq!(access.mandate_id.as_deref(), Some("m-p"));
        for mandates in [
            vec![],
            vec![mandate("p", d(2026, 6, 14), false)],
            vec![mandate("p", d(2026, 12, 31), true)],
            vec![mandate("q", d(2026, 12, 31), false)],
        ] {
            let target = Target::Person {
                person: &p,
                mandates: &mandates,
            };
            assert_eq!(
                decide(&counsellor(), Operation::Propose, target),
                Err(Denied::NoMandate)
            );
        }
    }

    #[test]
    fn a_record_the_caller_may_not_see_is_not_found_whoever_asks() {
        let owner = person("p");
        let record = |laid_by| Target::Record {
            owner: &owner,
            laid_by,
            mandates: &[],
        };
        for (caller, laid_by) in [
            (citizen("q"), None),
            (counsellor(), None),
            (agency("DUO"), Some("CJIB")),
            (agency("DUO"), None),
        ] {
            assert_eq!(
                decide(&caller, Operation::ReadAttachment, record(laid_by)),
                Err(Denied::NotFound),
                "{caller:?}"
            );
        }
        assert!(
            decide(
                &agency("CJIB"),
                Operation::ReadAttachment,
                record(Some("CJIB"))
            )
            .is_ok()
        );
        assert!(
            decide(
                &citizen("p"),
                Operation::ReadAttachment,
                record(Some("CJIB"))
            )
            .is_ok()
        );
    }

    #[test]
    fn only_the_laying_agency_changes_what_it_registered() {
        let owner = person("p");
        let laid = Target::Record {
            owner: &owner,
            laid_by: Some("CJIB"),
            mandates: &[],
        };
        assert_eq!(
            decide(&citizen("p"), Operation::ChangeAttachment, laid),
            Err(Denied::OnlyLayingParty)
        );
        assert!(decide(&agency("CJIB"), Operation::ChangeAttachment, laid).is_ok());
        let declared = Target::Record {
            owner: &owner,
            laid_by: None,
            mandates: &[],
        };
        assert!(decide(&citizen("p"), Operation::ChangeAttachment, declared).is_ok());
    }

    #[test]
    fn only_a_counsellor_registers_a_trajectory_and_only_for_a_citizen_who_mandated_it() {
        let p = person("p");
        let live = [mandate("p", d(2026, 12, 31), false)];
        let target = |mandates| Target::Person {
            person: &p,
            mandates,
        };
        assert!(decide(&counsellor(), Operation::RegisterTrajectory, target(&live)).is_ok());
        assert_eq!(
            decide(&counsellor(), Operation::RegisterTrajectory, target(&[])),
            Err(Denied::NoMandate)
        );
        for caller in [citizen("p"), agency("CJIB")] {
            assert!(matches!(
                decide(&caller, Operation::RegisterTrajectory, target(&live)),
                Err(Denied::Role { .. })
            ));
        }
    }

    #[test]
    fn a_trajectory_is_changed_by_its_own_counsellor_or_the_citizen_and_hidden_from_others() {
        let owner = person("p");
        let live = [mandate("p", d(2026, 12, 31), false)];
        let trajectory = |laid_by, mandates| Target::Record {
            owner: &owner,
            laid_by,
            mandates,
        };
        assert!(
            decide(
                &counsellor(),
                Operation::ChangeTrajectory,
                trajectory(Some("GKB"), &live)
            )
            .is_ok()
        );
        assert_eq!(
            decide(
                &counsellor(),
                Operation::ChangeTrajectory,
                trajectory(Some("ANDERE"), &live)
            ),
            Err(Denied::OnlyRegisteringOrganisation)
        );
        assert!(
            decide(
                &counsellor(),
                Operation::ReadTrajectory,
                trajectory(Some("ANDERE"), &live)
            )
            .is_ok(),
            "a mandated organisation sees it"
        );
        assert_eq!(
            decide(
                &counsellor(),
                Operation::ChangeTrajectory,
                trajectory(Some("GKB"), &[])
            ),
            Err(Denied::NotFound),
            "without a mandate the id is not found"
        );
        assert!(
            decide(
                &citizen("p"),
                Operation::ChangeTrajectory,
                trajectory(Some("GKB"), &[])
            )
            .is_ok()
        );
    }

    #[test]
    fn a_subscription_is_seen_only_by_the_owner_of_its_feed() {
        let feed = Feed::Creditor("CJIB".into());
        let target = Target::OfFeed { owner: &feed };
        assert!(decide(&agency("CJIB"), Operation::ManageSubscriptions, target).is_ok());
        assert_eq!(
            decide(&agency("DUO"), Operation::ManageSubscriptions, target),
            Err(Denied::NotFound)
        );
        let counsellors = Feed::Counsellor("GKB".into());
        assert!(
            decide(
                &counsellor(),
                Operation::ManageSubscriptions,
                Target::OfFeed {
                    owner: &counsellors
                }
            )
            .is_ok()
        );
        assert!(matches!(
            authorize_role(&citizen("p"), Operation::ManageSubscriptions),
            Err(Denied::Role { .. })
        ));
    }

    #[test]
    fn a_counsellor_acts_on_its_own_mandate_while_live_or_still_to_come() {
        let live = mandate("p1", d(2026, 12, 31), false);
        let coming = Mandate {
            valid_from: d(2026, 7, 1),
            ..live.clone()
        };
        for m in [&live, &coming] {
            let access = decide(
                &counsellor(),
                Operation::ManageClients,
                Target::Mandate { mandate: m },
            );
            assert_eq!(access.map(|a| a.mandate_id), Ok(Some("m-p1".to_owned())));
        }
        let revoked = mandate("p1", d(2026, 12, 31), true);
        let expired = mandate("p1", d(2026, 6, 14), false);
        let another = Mandate {
            counsellor: "ANDERE".into(),
            ..live.clone()
        };
        for m in [&revoked, &expired, &another] {
            let denied = decide(
                &counsellor(),
                Operation::ManageClients,
                Target::Mandate { mandate: m },
            );
            assert_eq!(denied, Err(Denied::NotFound));
        }
    }
}
