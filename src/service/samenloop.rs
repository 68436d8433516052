//! Samenloop for one person: what runs on their income, the flags it raises, and telling every
//! creditor concerned when a flag is raised, changes or clears. Only the person whose data
//! changed is re-evaluated.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::clock::Moment;
use crate::domain::money::Money;
use crate::domain::norm::{self, Allowances, NormInput};
use crate::domain::person::PersonId;
use crate::domain::samenloop::{
    self, ArrangementClaim, ArrangementKind, BasisSource, ChangeKind, Coordination,
    CreditorFlagDetails, CreditorNotification, DeclaredSituation, Detection, Deviation,
    OwnArrangement, Party, RunningArrangement, Situation, choose_basis, detect,
};
use crate::store::arrangements::{self as arrangement_store, StoredArrangement};
use crate::store::attachments::{self as attachment_store, StoredAttachment};
use crate::store::claims as claim_store;
use crate::store::declared_arrangements::{self, DeclaredArrangement};
use crate::store::notifications::{self, NewNotification};
use crate::store::{
    self, DbConnection, StoreError, norms, proposals, samenloop_checks, samenloop_states,
};

use super::ServiceError;
use super::messages::{
    Afwijking, BeslagEnRegeling, Melding, SamenloopMelding, UwBeslag, UwRegeling,
};

/// Everything that runs, or ran, on a person's income.
pub struct Circumstances {
    pub attachments: Vec<StoredAttachment>,
    pub declared: Vec<DeclaredArrangement>,
    pub arrangements: Vec<StoredArrangement>,
    /// What is still owed on each claim of a running Betalingsregeling Rijk, by claim id.
    outstanding: HashMap<String, Money>,
}

/// What is deducted from the person's income each month today.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Deductions {
    pub attachments: Money,
    /// Running arrangements (Betalingsregelingen Rijk and declared ones), by id, with their
    /// monthly amount.
    pub arrangements: Vec<(String, Money)>,
}

impl Deductions {
    pub fn arrangements_total(&self) -> Money {
        self.arrangements.iter().map(|(_, m)| *m).sum()
    }
}

impl Circumstances {
    pub fn load(conn: &mut DbConnection, person: &PersonId) -> Result<Circumstances, ServiceError> {
        let arrangements = arrangement_store::of_person(conn, person)?;
        let arranged: Vec<&str> = arrangements
            .iter()
            .filter(|a| a.is_running())
            .flat_map(|a| a.claims.iter().map(|c| c.claim.claim_id.as_str()))
            .collect();
        let outstanding = claim_store::find_by_ids(conn, &arranged)?
            .into_iter()
            .map(|c| (c.id, c.ledger.outstanding()))
            .collect();
        Ok(Circumstances {
            attachments: attachment_store::of_person(conn, person)?,
            declared: declared_arrangements::of_person(conn, person)?,
            arrangements,
            outstanding,
        })
    }

    pub fn deductions(&self, today: NaiveDate) -> Deductions {
        Deductions {
            attachments: self
                .attachments
                .iter()
                .map(StoredAttachment::to_domain)
                .filter(|a| a.is_running(today))
                .map(|a| a.terms.monthly_amount)
                .sum(),
            arrangements: self
                .running_arrangements(today)
                .into_iter()
                .map(|a| (a.id, a.monthly_amount))
                .collect(),
        }
    }

    fn running_arrangements(&self, today: NaiveDate) -> Vec<RunningArrangement> {
        let rijk = self
            .arrangements
            .iter()
            .filter(|a| a.is_running())
            .filter_map(|a| {
                let claims = a
                    .claims
                    .iter()
                    .map(|c| {
                        let outstanding = self
                            .outstanding
                            .get(&c.claim.claim_id)
                            .copied()
                            .unwrap_or(Money::ZERO);
                        let claim = ArrangementClaim {
                            creditor: c.claim.creditor.clone(),
                            claim_key: c.claim.claim_key.clone(),
                        };
                        (claim, outstanding)
                    })
                    .collect();
                RunningArrangement::rijk(a.id.clone(), claims, a.instalment, a.started_on)
            });
        let declared = self
            .declared
            .iter()
            .filter(|d| d.is_running(today))
            .map(|d| RunningArrangement {
                id: d.id.clone(),
                kind: ArrangementKind::SingleParty {
                    party: Party::Private(d.party.clone()),
                },
                monthly_amount: d.monthly_amount,
                start: d.start,
                end: d.end,
            });
        rijk.chain(declared).collect()
    }
}

/// Evaluates the flags for today. The norm is computed from `declared` (the situation of the
/// most recent proposal) when there is one, else from the attaching parties' data.
pub fn evaluate(
    conn: &mut DbConnection,
    circumstances: &Circumstances,
    declared: Option<(&NormInput, NaiveDate)>,
    today: NaiveDate,
) -> Result<Detection, ServiceError> {
    let attachments: Vec<_> = circumstances
        .attachments
        .iter()
        .map(StoredAttachment::to_domain)
        .collect();
    let declared_situation = declared.map(|(input, on)| DeclaredSituation {
        household: input.household,
        pension_age: Some(input.pension_age),
        net_income: input.net_income,
        declared_on: on,
    });
    let basis = choose_basis(declared_situation.as_ref(), &attachments, today);
    let tables = norms::all(conn)?;
    let situation = basis.and_then(|basis| {
        let input = match (&basis.source, declared) {
            (BasisSource::Declared { .. }, Some((input, _))) => NormInput {
                peildatum: today,
                ..input.clone()
            },
            _ => NormInput {
                peildatum: today,
                household: basis.household,
                pension_age: basis.pension_age,
                net_income: basis.net_income,
                housing_costs: None,
                allowances: Allowances::default(),
            },
        };
        // Without a norm table for today the norm flags are reported as not evaluated.
        let norm = norm::compute(&input, &tables).ok()?.norm;
        Some(Situation { basis, norm })
    });
    Ok(detect(
        situation.as_ref(),
        &attachments,
        &circumstances.running_arrangements(today),
        today,
    ))
}

/// Re-evaluates one person and tells every creditor concerned what changed, each only its own
/// part, through its feed. Call within the transaction of the change.
pub fn reassess(
    conn: &mut DbConnection,
    person: &PersonId,
    now: Moment,
) -> Result<Detection, ServiceError> {
    let circumstances = Circumstances::load(conn, person)?;
    reassess_with(conn, person, &circumstances, now)
}

/// [`reassess`] with the person's circumstances already loaded in this transaction.
pub fn reassess_with(
    conn: &mut DbConnection,
    person: &PersonId,
    circumstances: &Circumstances,
    now: Moment,
) -> Result<Detection, ServiceError> {
    let latest = proposals::latest_of_person(conn, person)?;
    let declared = latest.as_ref().map(|p| (&p.situation, p.created_at.date()));
    let detection = evaluate(conn, circumstances, declared, now.today)?;
    let previous = samenloop_states::load(conn, person)?;
    let changes = samenloop::changes(&previous, &detection.flags);
    if changes.is_empty() {
        return Ok(detection);
    }
    let items = samenloop::notifications_for(&changes, detection.remaining_capacity)
        .into_iter()
        .map(|n| encode(person, n))
        .collect::<Result<Vec<_>, StoreError>>()?;
    notifications::append(conn, &items, now.utc)?;
    samenloop_states::save(conn, person, &detection.flags, now.utc)?;
    Ok(detection)
}

/// Flags also change with the calendar: an attachment or declared arrangement starts or ends,
/// a new norm table takes effect. Once a day, for the days since the last check, re-checks the
/// persons concerned, all in one transaction so no day's changes are lost halfway. Of several
/// instances only the one that advances the checked date does the work. Returns how many persons
/// were re-checked, `None` when today was already checked.
pub fn daily_check(conn: &mut DbConnection, now: Moment) -> Result<Option<usize>, ServiceError> {
    if samenloop_checks::checked_through(conn)? >= now.today {
        return Ok(None);
    }
    store::transaction(conn, |conn| {
        let after = samenloop_checks::checked_through(conn)?;
        if after >= now.today || !samenloop_checks::advance(conn, after, now.today)? {
            return Ok(None);
        }
        let persons = if samenloop_checks::norm_table_took_effect(conn, after, now.today)? {
            samenloop_checks::persons_concerned(conn)?
        } else {
            samenloop_checks::persons_with_start_or_end(conn, after, now.today)?
        };
        for person in &persons {
            reassess(conn, person, now)?;
        }
        Ok(Some(persons.len()))
    })
}

fn encode(
    person: &PersonId,
    notification: CreditorNotification,
) -> Result<NewNotification, StoreError> {
    let view = notification.view;
    let mut message = SamenloopMelding {
        signalering: view.code.code().to_owned(),
        sleutel: view.key.as_str().to_owned(),
        toelichting: view.explanation,
        restcapaciteit: view.remaining_capacity,
        tekort: None,
        uw_beslagen: Vec::new(),
        uw_regelingen: Vec::new(),
        coordinatie: None,
        afwijking: None,
        beslag_en_regeling: None,
    };
    let own_arrangement = |a: OwnArrangement| UwRegeling {
        regeling_id: a.arrangement_id,
        vorderingkenmerken: a.claim_keys,
        maandbedrag: a.monthly_amount,
    };
    match view.details {
        CreditorFlagDetails::SubsistenceMinimumUndercut {
            shortfall,
            own_attachments,
            own_arrangements,
        } => {
            message.tekort = Some(shortfall);
            message.uw_beslagen = own_attachments
                .into_iter()
                .map(|a| UwBeslag {
                    beslag_id: a.attachment_id,
                    maandbedrag: Some(a.monthly_amount),
                })
                .collect();
            message.uw_regelingen = own_arrangements.into_iter().map(own_arrangement).collect();
        }
        CreditorFlagDetails::MultipleAttachingParties {
            own_attachment_ids,
            coordination,
        } => {
            message.uw_beslagen = own_attachment_ids
                .into_iter()
                .map(|id| UwBeslag {
                    beslag_id: id,
                    maandbedrag: None,
                })
                .collect();
            message.coordinatie = Some(
                match coordination {
                    Coordination::ThisCreditor => "U",
                    Coordination::AnotherParty => "ANDERE_PARTIJ",
                    Coordination::NoneYet => "NOG_GEEN",
                }
                .to_owned(),
            );
        }
        CreditorFlagDetails::DeviatingExemptAmount {
            attachment_id,
            applied,
            common_norm,
            difference,
            direction,
        } => {
            message.afwijking = Some(Afwijking {
                beslag_id: attachment_id,
                uw_beslagvrije_voet: applied,
                gemeenschappelijke_beslagvrije_voet: common_norm,
                verschil: difference,
                richting: match direction {
                    Deviation::Lower => "LAGER",
                    Deviation::Higher => "HOGER",
                }
                .to_owned(),
            });
        }
        CreditorFlagDetails::ClaimInArrangementAndAttachment {
            attachment_id,
            arrangement_id,
            claim_keys,
            attachment_names_claims,
        } => {
            message.beslag_en_regeling = Some(BeslagEnRegeling {
                beslag_id: attachment_id,
                regeling_id: arrangement_id,
                vorderingkenmerken: claim_keys,
                beslag_noemt_vorderingen: attachment_names_claims,
            });
        }
        CreditorFlagDetails::ConcurrentArrangements { own_arrangements } => {
            message.uw_regelingen = own_arrangements.into_iter().map(own_arrangement).collect();
        }
    }
    let melding = match notification.change {
        ChangeKind::Raised => Melding::SamenloopGesignaleerd(message),
        ChangeKind::Changed => Melding::SamenloopGewijzigd(message),
        ChangeKind::Cleared => Melding::SamenloopOpgeheven(message),
    };
    Ok(NewNotification {
        creditor: notification.creditor,
        kind: melding.kind(),
        person: person.clone(),
        subject_id: view.key.as_str().to_owned(),
        payload: serde_json::to_string(&melding).map_err(|e| StoreError::Corrupt(e.to_string()))?,
    })
}
