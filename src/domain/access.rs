//! Who did what with a person's data: the actors and the actions of the access log (inzagelog).

use chrono::NaiveDateTime;

use super::time::dutch_date;

use super::claims::EventType;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    Burger,
    Organisatie,
    Schuldhulpverlener,
    Beheerder,
}

impl Role {
    pub const ALL: [Role; 4] = [
        Role::Burger,
        Role::Organisatie,
        Role::Schuldhulpverlener,
        Role::Beheerder,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Role::Burger => "burger",
            Role::Organisatie => "organisatie",
            Role::Schuldhulpverlener => "schuldhulpverlener",
            Role::Beheerder => "beheerder",
        }
    }

    pub fn from_code(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }

    /// Who has this role, in a sentence: "burgers", "schuldhulpverleners".
    pub fn plural(self) -> &'static str {
        match self {
            Role::Burger => "burgers",
            Role::Organisatie => "organisaties (schuldeisers)",
            Role::Schuldhulpverlener => "schuldhulpverleners",
            Role::Beheerder => "beheerders",
        }
    }
}

/// The one acting, as recorded in the access log. A citizen is recorded without any identifier:
/// the log is theirs, so "you" is enough.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Actor {
    pub role: Role,
    pub organisation: Option<String>,
}

impl Actor {
    pub fn citizen() -> Actor {
        Actor {
            role: Role::Burger,
            organisation: None,
        }
    }

    pub fn organisation(role: Role, organisation: &str) -> Actor {
        Actor {
            role,
            organisation: Some(organisation.to_owned()),
        }
    }
}

/// One row of a person's access log as they read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessLogEntry {
    pub id: i64,
    pub occurred_at: NaiveDateTime,
    pub actor: Actor,
    pub action: Action,
    pub subject_id: Option<String>,
}

/// Entries of the access log one after another by the same party, doing the same, on the same
/// Dutch day, as the person reads them: one line with how often. A counsellor's system that
/// lists its clients every minute would otherwise bury every other entry (the log itself keeps
/// each one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepeatedEntry<'a> {
    /// The newest of them.
    pub newest: &'a AccessLogEntry,
    /// When the oldest of them happened.
    pub since: NaiveDateTime,
    pub times: usize,
}

/// Groups `entries` (newest first) into runs of the same party and action on one day.
pub fn repeats(entries: &[AccessLogEntry]) -> Vec<RepeatedEntry<'_>> {
    let mut runs: Vec<RepeatedEntry<'_>> = Vec::new();
    for entry in entries {
        match runs.last_mut() {
            Some(run)
                if run.newest.actor == entry.actor
                    && run.newest.action == entry.action
                    && dutch_date(run.newest.occurred_at) == dutch_date(entry.occurred_at) =>
            {
                run.since = entry.occurred_at;
                run.times += 1;
            }
            _ => runs.push(RepeatedEntry {
                newest: entry,
                since: entry.occurred_at,
                times: 1,
            }),
        }
    }
    runs
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    OverviewRead,
    ClaimRead,
    ClaimEventRecorded(EventType),
    MandateGranted,
    MandateRevoked,
    MandatesRead,
    ProposalMade,
    ArrangementAccepted,
    ArrangementRead,
    ArrangementEnded,
    NotificationRead,
    AttachmentRegistered,
    AttachmentChanged,
    AttachmentRead,
    ArrangementDeclared,
    DeclaredArrangementChanged,
    DeclaredArrangementRead,
    DossierReferenceSet,
    TrajectoryRegistered,
    TrajectoryChanged,
    TrajectoryRead,
    ClientListRead,
    BalanceStatementMade,
    BalanceStatementRead,
    BalanceStatementsListed,
    NotificationDelivered,
}

impl Action {
    /// Every action but the claim events.
    const FIXED: [Action; 25] = [
        Action::OverviewRead,
        Action::ClaimRead,
        Action::MandateGranted,
        Action::MandateRevoked,
        Action::MandatesRead,
        Action::ProposalMade,
        Action::ArrangementAccepted,
        Action::ArrangementRead,
        Action::ArrangementEnded,
        Action::NotificationRead,
        Action::AttachmentRegistered,
        Action::AttachmentChanged,
        Action::AttachmentRead,
        Action::ArrangementDeclared,
        Action::DeclaredArrangementChanged,
        Action::DeclaredArrangementRead,
        Action::DossierReferenceSet,
        Action::TrajectoryRegistered,
        Action::TrajectoryChanged,
        Action::TrajectoryRead,
        Action::ClientListRead,
        Action::BalanceStatementMade,
        Action::BalanceStatementRead,
        Action::BalanceStatementsListed,
        Action::NotificationDelivered,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Action::OverviewRead => "VORDERINGENOVERZICHT_INGEZIEN",
            Action::ClaimRead => "VORDERING_INGEZIEN",
            Action::ClaimEventRecorded(EventType::VorderingOpgelegd) => "VORDERING_OPGELEGD",
            Action::ClaimEventRecorded(EventType::OphogingOpgelegd) => "OPHOGING_OPGELEGD",
            Action::ClaimEventRecorded(EventType::BetalingVerwerkt) => "BETALING_VERWERKT",
            Action::ClaimEventRecorded(EventType::BetalingTeruggeboekt) => "BETALING_TERUGGEBOEKT",
            Action::ClaimEventRecorded(EventType::VorderingKwijtgescholden) => {
                "VORDERING_KWIJTGESCHOLDEN"
            }
            Action::ClaimEventRecorded(EventType::VorderingIngetrokken) => "VORDERING_INGETROKKEN",
            Action::ClaimEventRecorded(EventType::FaseGewijzigd) => "FASE_GEWIJZIGD",
            Action::MandateGranted => "MACHTIGING_VERLEEND",
            Action::MandateRevoked => "MACHTIGING_INGETROKKEN",
            Action::MandatesRead => "MACHTIGINGEN_INGEZIEN",
            Action::ProposalMade => "VOORSTEL_BETALINGSREGELING_GEMAAKT",
            Action::ArrangementAccepted => "BETALINGSREGELING_AFGESLOTEN",
            Action::ArrangementRead => "BETALINGSREGELING_INGEZIEN",
            Action::ArrangementEnded => "BETALINGSREGELING_BEEINDIGD",
            Action::NotificationRead => "MELDING_INGEZIEN",
            Action::AttachmentRegistered => "BESLAG_GEREGISTREERD",
            Action::AttachmentChanged => "BESLAG_GEWIJZIGD",
            Action::AttachmentRead => "BESLAG_INGEZIEN",
            Action::ArrangementDeclared => "REGELING_OPGEGEVEN",
            Action::DeclaredArrangementChanged => "OPGEGEVEN_REGELING_GEWIJZIGD",
            Action::DeclaredArrangementRead => "OPGEGEVEN_REGELING_INGEZIEN",
            Action::DossierReferenceSet => "DOSSIERKENMERK_VASTGELEGD",
            Action::TrajectoryRegistered => "SCHULDHULPTRAJECT_GEREGISTREERD",
            Action::TrajectoryChanged => "SCHULDHULPTRAJECT_GEWIJZIGD",
            Action::TrajectoryRead => "SCHULDHULPTRAJECT_INGEZIEN",
            Action::ClientListRead => "CLIENTENLIJST_INGEZIEN",
            Action::BalanceStatementMade => "SALDO_OPGAVE_OPGESTELD",
            Action::BalanceStatementRead => "SALDO_OPGAVE_INGEZIEN",
            Action::BalanceStatementsListed => "SALDO_OPGAVEN_INGEZIEN",
            Action::NotificationDelivered => "MELDING_AFGELEVERD",
        }
    }

    pub fn from_code(code: &str) -> Option<Action> {
        Action::FIXED
            .into_iter()
            .chain(EventType::ALL.into_iter().map(Action::ClaimEventRecorded))
            .find(|a| a.code() == code)
    }

    /// What happened and why, in words the citizen reads in their access log.
    pub fn description(self) -> &'static str {
        match self {
            Action::OverviewRead => "Uw vorderingenoverzicht is ingezien.",
            Action::ClaimRead => "Een vordering op uw naam is ingezien door de schuldeiser.",
            Action::ClaimEventRecorded(EventType::VorderingOpgelegd) => {
                "Een schuldeiser heeft een vordering op uw naam geregistreerd."
            }
            Action::ClaimEventRecorded(EventType::OphogingOpgelegd) => {
                "Een schuldeiser heeft een vordering verhoogd (verhoging, rente of kosten)."
            }
            Action::ClaimEventRecorded(EventType::BetalingVerwerkt) => {
                "Een schuldeiser heeft een betaling verwerkt."
            }
            Action::ClaimEventRecorded(EventType::BetalingTeruggeboekt) => {
                "Een schuldeiser heeft een betaling teruggeboekt: wat ermee betaald was, staat weer open."
            }
            Action::ClaimEventRecorded(EventType::VorderingKwijtgescholden) => {
                "Een schuldeiser heeft (een deel van) een vordering kwijtgescholden."
            }
            Action::ClaimEventRecorded(EventType::VorderingIngetrokken) => {
                "Een schuldeiser heeft een vordering ingetrokken."
            }
            Action::ClaimEventRecorded(EventType::FaseGewijzigd) => {
                "Een schuldeiser heeft de fase van een vordering gewijzigd."
            }
            Action::MandateGranted => "U heeft een schuldhulpverlener gemachtigd.",
            Action::MandateRevoked => "Een machtiging is ingetrokken.",
            Action::MandatesRead => "Uw machtigingen zijn ingezien.",
            Action::ProposalMade => "Er is een voorstel voor een Betalingsregeling Rijk gemaakt.",
            Action::ArrangementAccepted => "Er is een Betalingsregeling Rijk afgesloten.",
            Action::ArrangementRead => "Uw Betalingsregeling Rijk is ingezien.",
            Action::ArrangementEnded => "Een Betalingsregeling Rijk is beëindigd.",
            Action::NotificationRead => {
                "Een schuldeiser of uw schuldhulpverlener heeft een melding over u gelezen."
            }
            Action::AttachmentRegistered => "Er is een beslag op uw inkomen geregistreerd.",
            Action::AttachmentChanged => "Een beslag op uw inkomen is gewijzigd of beëindigd.",
            Action::AttachmentRead => "Een beslag op uw inkomen is ingezien.",
            Action::ArrangementDeclared => {
                "Er is een betalingsregeling met een andere partij opgegeven."
            }
            Action::DeclaredArrangementChanged => {
                "Een opgegeven betalingsregeling is gewijzigd of beëindigd."
            }
            Action::DeclaredArrangementRead => "Een opgegeven betalingsregeling is ingezien.",
            Action::DossierReferenceSet => {
                "Uw schuldhulpverlener heeft bij uw machtiging een eigen dossierkenmerk vastgelegd."
            }
            Action::TrajectoryRegistered => {
                "Uw schuldhulpverlener heeft vastgelegd dat u in schuldhulpverlening zit; uw schuldeisers \
                 bij het Rijk zijn ingelicht."
            }
            Action::TrajectoryChanged => {
                "Uw schuldhulptraject is gewijzigd of beëindigd; uw schuldeisers zijn ingelicht."
            }
            Action::TrajectoryRead => "Uw schuldhulptraject is ingezien.",
            Action::ClientListRead => {
                "Uw schuldhulpverlener zag u in de lijst van cliënten, met de signalen van \
                 samenloop over uw beslagen en regelingen."
            }
            Action::BalanceStatementMade => {
                "Er is een saldo-opgave van al uw vorderingen bij het Rijk opgesteld."
            }
            Action::BalanceStatementRead => "Een saldo-opgave van uw vorderingen is ingezien.",
            Action::BalanceStatementsListed => "De lijst van uw saldo-opgaven is ingezien.",
            Action::NotificationDelivered => {
                "Een melding over u is afgeleverd bij een schuldeiser of uw schuldhulpverlener."
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_entries_of_one_party_and_action_on_one_day_are_one_line() {
        let at = |day: u32, hour: u32| {
            crate::domain::testing::d(2026, 12, day)
                .and_hms_opt(hour, 0, 0)
                .unwrap()
        };
        let entry = |id: i64, at: NaiveDateTime, org: &str, action: Action| AccessLogEntry {
            id,
            occurred_at: at,
            actor: Actor::organisation(Role::Schuldhulpverlener, org),
            action,
            subject_id: None,
        };
        let entries = [
            entry(6, at(8, 9), "GKB", Action::MandatesRead),
            entry(5, at(7, 15), "GKB", Action::MandatesRead),
            entry(4, at(7, 12), "GKB", Action::MandatesRead),
            entry(3, at(7, 11), "GKB", Action::OverviewRead),
            entry(2, at(7, 10), "ANDERE", Action::MandatesRead),
            // 23:00 UTC on 6 December is midnight on 7 December in Amsterdam: the same day.
            entry(1, at(6, 23), "ANDERE", Action::MandatesRead),
        ];
        let runs: Vec<(i64, usize, NaiveDateTime)> = repeats(&entries)
            .iter()
            .map(|r| (r.newest.id, r.times, r.since))
            .collect();
        assert_eq!(
            runs,
            [
                (6, 1, at(8, 9)),
                (5, 2, at(7, 12)),
                (3, 1, at(7, 11)),
                (2, 2, at(6, 23)),
            ]
        );
    }

    #[test]
    fn every_action_code_reads_back_as_the_same_action() {
        let all = Action::FIXED
            .into_iter()
            .chain(EventType::ALL.into_iter().map(Action::ClaimEventRecorded));
        for action in all {
            assert_eq!(Action::from_code(action.code()), Some(action));
        }
    }
}
