//! Attachments laid by agencies, attachments and arrangements declared by citizens or their
//! counsellors; every change re-evaluates samenloop for the person.

use chrono::NaiveDate;

use crate::clock::Moment;
use crate::domain::access::{Action, Actor, Role};
use crate::domain::attachment::{
    AttachmentTerms, check_party_name, validate_declared_arrangement, validate_terms,
};
use crate::domain::household::HouseholdType;
use crate::domain::money::Money;
use crate::domain::person::PersonId;
use crate::domain::samenloop::Party;
use crate::store::attachments::{self as attachment_store, StoredAttachment};
use crate::store::declared_arrangements::{self, DeclaredArrangement};
use crate::store::{self, DbConnection, creditors};

use super::arrangements::OnBehalf;
use super::samenloop::reassess;
use super::{Patch, Requester, ServiceError, acting_for, log_access, new_id};

/// Who registers or changes an attachment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Registrar {
    /// The agency laid the attachment itself.
    Agency(String),
    /// The citizen or a counsellor declares one a private party laid.
    Person(OnBehalf),
}

pub struct NewAttachment {
    /// The private party that laid it; only for a declared attachment.
    pub party_name: Option<String>,
    pub reference: Option<String>,
    pub assumed_household: Option<HouseholdType>,
    pub terms: AttachmentTerms,
}

fn invalid_unless_empty(
    issues: Vec<crate::domain::validation::FieldIssue>,
) -> Result<(), ServiceError> {
    if issues.is_empty() {
        Ok(())
    } else {
        Err(ServiceError::Invalid(issues))
    }
}

/// The actor and the requester for a person acting (citizen or counsellor), after checking that
/// a citizen acts on their own data and a counsellor holds a live mandate.
fn person_actor(
    conn: &mut DbConnection,
    on_behalf: &OnBehalf,
    person: &PersonId,
    today: NaiveDate,
) -> Result<Actor, ServiceError> {
    let requester = match on_behalf {
        OnBehalf::Citizen(own) if own == person => Requester::Citizen,
        OnBehalf::Citizen(_) => return Err(ServiceError::NotFound("beslag of regeling")),
        OnBehalf::Counsellor(organisation) => Requester::Counsellor(organisation),
    };
    Ok(acting_for(conn, person, requester, today)?.0)
}

pub fn register(
    conn: &mut DbConnection,
    person: &PersonId,
    registrar: &Registrar,
    new: NewAttachment,
    now: Moment,
) -> Result<StoredAttachment, ServiceError> {
    store::transaction(conn, |conn| {
        let (party, actor) = match (registrar, &new.party_name) {
            (Registrar::Agency(code), None) => {
                if creditors::find(conn, code)?.is_none() {
                    return Err(ServiceError::Forbidden(
                        "uw organisatie staat niet in het schuldeisersregister".into(),
                    ));
                }
                (
                    Party::Creditor(code.clone()),
                    Actor::organisation(Role::Organisatie, code),
                )
            }
            (Registrar::Person(on_behalf), Some(name)) => {
                let actor = person_actor(conn, on_behalf, person, now.today)?;
                (Party::Private(name.clone()), actor)
            }
            (Registrar::Agency(_), Some(_)) => {
                return Err(ServiceError::Invalid(vec![
                    crate::domain::validation::FieldIssue::new(
                        "beslaglegger",
                        "niet_van_toepassing",
                        "laat weg: de beslaglegger is uw organisatie",
                    ),
                ]));
            }
            (Registrar::Person(_), None) => {
                return Err(ServiceError::Invalid(vec![
                    crate::domain::validation::FieldIssue::new(
                        "beslaglegger",
                        "verplicht",
                        "is verplicht: welke partij heeft het beslag gelegd?",
                    ),
                ]));
            }
        };
        let mut issues = validate_terms(&new.terms);
        if let Party::Private(name) = &party {
            issues.extend(check_party_name("beslaglegger", name));
        }
        invalid_unless_empty(issues)?;
        let attachment = StoredAttachment {
            id: new_id(),
            person: person.clone(),
            party,
            declared_by: actor.clone(),
            reference: new.reference.clone(),
            assumed_household: new.assumed_household,
            terms: new.terms.clone(),
            version: 0,
        };
        attachment_store::insert(conn, &attachment, now.utc)?;
        log_access(
            conn,
            person,
            actor,
            Action::AttachmentRegistered,
            Some(&attachment.id),
            now,
        )?;
        reassess(conn, person, now)?;
        Ok(attachment)
    })
}

/// A partial change of an attachment; ending one is setting its `end`.
#[derive(Debug, Clone, Default)]
pub struct AttachmentChange {
    pub income_source: Patch<String>,
    pub known_net_income: Patch<Money>,
    pub assumed_household: Patch<HouseholdType>,
    pub monthly_amount: Patch<Money>,
    pub applied_bvv: Patch<Money>,
    pub start: Patch<NaiveDate>,
    pub end: Patch<NaiveDate>,
    pub executorial: Patch<bool>,
    pub claim_keys: Patch<Vec<String>>,
    pub reference: Patch<String>,
}

/// Loads an attachment the registrar may see and change: an agency only what it laid itself, a
/// citizen or counsellor only what was declared for the person. Anything else is "not found".
fn load(
    conn: &mut DbConnection,
    id: &str,
    registrar: &Registrar,
    today: NaiveDate,
    for_change: bool,
) -> Result<(StoredAttachment, Actor), ServiceError> {
    let not_found = || ServiceError::NotFound("beslag");
    let attachment = attachment_store::find(conn, id)?.ok_or_else(not_found)?;
    let actor = match registrar {
        Registrar::Agency(code) => {
            if attachment.party != Party::Creditor(code.clone()) || attachment.self_declared() {
                return Err(not_found());
            }
            Actor::organisation(Role::Organisatie, code)
        }
        Registrar::Person(on_behalf) => {
            let actor = person_actor(conn, on_behalf, &attachment.person, today)?;
            if for_change && !attachment.self_declared() {
                return Err(ServiceError::Forbidden(
                    "Dit beslag is door de schuldeiser zelf geregistreerd; alleen die kan het wijzigen.".into(),
                ));
            }
            actor
        }
    };
    Ok((attachment, actor))
}

pub fn change(
    conn: &mut DbConnection,
    id: &str,
    registrar: &Registrar,
    change: AttachmentChange,
    now: Moment,
) -> Result<StoredAttachment, ServiceError> {
    store::transaction(conn, |conn| {
        let (mut attachment, actor) = load(conn, id, registrar, now.today, true)?;
        let c = change.clone();
        let t = &mut attachment.terms;
        t.income_source = c.income_source.apply_required(t.income_source.clone());
        t.known_net_income = c.known_net_income.apply(t.known_net_income);
        t.monthly_amount = c.monthly_amount.apply_required(t.monthly_amount);
        t.applied_bvv = c.applied_bvv.apply(t.applied_bvv);
        t.start = c.start.apply_required(t.start);
        t.end = c.end.apply(t.end);
        t.executorial = c.executorial.apply_required(t.executorial);
        t.claim_keys = c
            .claim_keys
            .apply(Some(t.claim_keys.clone()))
            .unwrap_or_default();
        attachment.assumed_household = c.assumed_household.apply(attachment.assumed_household);
        attachment.reference = c.reference.apply(attachment.reference.take());
        invalid_unless_empty(validate_terms(&attachment.terms))?;
        attachment_store::update(conn, &attachment, now.utc)?;
        attachment.version += 1;
        log_access(
            conn,
            &attachment.person,
            actor,
            Action::AttachmentChanged,
            Some(&attachment.id),
            now,
        )?;
        reassess(conn, &attachment.person, now)?;
        Ok(attachment)
    })
}

pub fn get(
    conn: &mut DbConnection,
    id: &str,
    registrar: &Registrar,
    now: Moment,
) -> Result<StoredAttachment, ServiceError> {
    let (attachment, actor) = load(conn, id, registrar, now.today, false)?;
    log_access(
        conn,
        &attachment.person,
        actor,
        Action::AttachmentRead,
        Some(&attachment.id),
        now,
    )?;
    Ok(attachment)
}

pub struct NewDeclaredArrangement {
    pub party: String,
    pub monthly_amount: Money,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
}

pub fn declare(
    conn: &mut DbConnection,
    person: &PersonId,
    on_behalf: &OnBehalf,
    new: &NewDeclaredArrangement,
    now: Moment,
) -> Result<DeclaredArrangement, ServiceError> {
    invalid_unless_empty(validate_declared_arrangement(
        &new.party,
        new.monthly_amount,
        new.start,
        new.end,
    ))?;
    store::transaction(conn, |conn| {
        let actor = person_actor(conn, on_behalf, person, now.today)?;
        let arrangement = DeclaredArrangement {
            id: new_id(),
            person: person.clone(),
            party: new.party.clone(),
            monthly_amount: new.monthly_amount,
            start: new.start,
            end: new.end,
            declared_by: actor.clone(),
        };
        declared_arrangements::insert(conn, &arrangement, now.utc)?;
        log_access(
            conn,
            person,
            actor,
            Action::ArrangementDeclared,
            Some(&arrangement.id),
            now,
        )?;
        reassess(conn, person, now)?;
        Ok(arrangement)
    })
}

#[derive(Debug, Clone, Default)]
pub struct DeclaredArrangementChange {
    pub party: Patch<String>,
    pub monthly_amount: Patch<Money>,
    pub start: Patch<NaiveDate>,
    pub end: Patch<NaiveDate>,
}

pub fn change_declared(
    conn: &mut DbConnection,
    id: &str,
    on_behalf: &OnBehalf,
    change: DeclaredArrangementChange,
    now: Moment,
) -> Result<DeclaredArrangement, ServiceError> {
    store::transaction(conn, |conn| {
        let mut arrangement = declared_arrangements::find(conn, id)?
            .ok_or(ServiceError::NotFound("opgegeven regeling"))?;
        let actor = person_actor(conn, on_behalf, &arrangement.person, now.today)?;
        let c = change.clone();
        arrangement.party = c.party.apply_required(arrangement.party.clone());
        arrangement.monthly_amount = c.monthly_amount.apply_required(arrangement.monthly_amount);
        arrangement.start = c.start.apply_required(arrangement.start);
        arrangement.end = c.end.apply(arrangement.end);
        invalid_unless_empty(validate_declared_arrangement(
            &arrangement.party,
            arrangement.monthly_amount,
            arrangement.start,
            arrangement.end,
        ))?;
        declared_arrangements::update(conn, &arrangement, now.utc)?;
        log_access(
            conn,
            &arrangement.person,
            actor,
            Action::DeclaredArrangementChanged,
            Some(&arrangement.id),
            now,
        )?;
        reassess(conn, &arrangement.person, now)?;
        Ok(arrangement)
    })
}
