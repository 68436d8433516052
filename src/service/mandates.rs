//! Mandates: citizens granting, listing and revoking them; counsellors listing the citizens who
//! mandated them, keeping their own dossier reference, and acting for a citizen by mandate.

use crate::domain::access::Action;
use crate::domain::attention::{Attention, in_attention_order};
use crate::domain::authorization::{Access, Operation};
use crate::domain::caller::Caller;
use crate::domain::decision::{AccessRecord, Decision};
use crate::domain::mandate::{self, Counsellor, Grant, Mandate};
use crate::domain::schuldhulptraject::Trajectory;
use crate::store::mandates as mandate_store;
use crate::store::samenloop_states;
use crate::store::trajectories;

use super::unit_of_work::UnitOfWork;
use super::{ServiceError, Whom};

const MANDATE: &str = "deze machtiging";

pub fn grant(
    uow: &mut UnitOfWork<'_>,
    caller: &Caller,
    whom: &Whom,
    grant: &Grant,
) -> Result<Mandate, ServiceError> {
    let (person, access) = uow.authorize_person(caller, Operation::ManageMandates, whom)?;
    let person = &person;
    uow.hold_mandates_of(person)?;
    let existing = mandate_store::of_person_for(uow.conn(), person, &grant.counsellor)?;
    let counsellor = match uow.reference.counsellor(&grant.counsellor) {
        Some(_) => Counsellor::Registered,
        None => Counsellor::Unknown,
    };
    let id = uow.new_id();
    let decision = Mandate::grant(
        &access,
        person,
        id,
        grant.clone(),
        counsellor,
        &existing,
        uow.now,
    )?;
    let mandate = uow.commit(decision)?;
    super::schuldhulptrajecten::mandate_granted(uow, &mandate)?;
    Ok(mandate)
}

pub fn list(
    uow: &mut UnitOfWork<'_>,
    caller: &Caller,
    whom: &Whom,
) -> Result<Vec<Mandate>, ServiceError> {
    let (person, access) = uow.authorize_person(caller, Operation::ManageMandates, whom)?;
    let person = &person;
    let mandates = mandate_store::of_person(uow.conn(), person)?;
    uow.commit(Decision::read(
        mandates,
        AccessRecord::new(person, &access, Action::MandatesRead, None),
    ))
}

/// One of the citizen's own mandates; someone else's is "not found".
fn citizens_mandate(
    uow: &mut UnitOfWork<'_>,
    caller: &Caller,
    id: &str,
) -> Result<(Mandate, Access), ServiceError> {
    let mandate = uow.find(caller, Operation::ManageMandates, MANDATE, |c| {
        mandate_store::find(c, id)
    })?;
    let access = uow.authorize_record(
        caller,
        Operation::ManageMandates,
        &mandate.person,
        None,
        MANDATE,
    )?;
    Ok((mandate, access))
}

/// What revoking one of the citizen's mandates would leave, read before they are asked once
/// more: the mandate, and the trajectory its organisation registered that runs under it (it runs
/// on, and nobody may change or end it for the person until they mandate someone again).
pub fn to_revoke(
    uow: &mut UnitOfWork<'_>,
    caller: &Caller,
    id: &str,
) -> Result<(Mandate, Option<Trajectory>), ServiceError> {
    let (mandate, access) = citizens_mandate(uow, caller, id)?;
    let trajectory =
        trajectories::running_of(uow.conn(), &mandate.person)?.filter(|t| t.runs_under(&mandate));
    let mut reads = vec![AccessRecord::new(
        &mandate.person,
        &access,
        Action::MandatesRead,
        Some(&mandate.id),
    )];
    reads.extend(
        trajectory
            .iter()
            .map(|t| AccessRecord::new(&t.person, &access, Action::TrajectoryRead, Some(&t.id))),
    );
    uow.commit(Decision::reads((mandate, trajectory), reads))
}

/// Revokes one of the person's mandates. Revoking twice is harmless; someone else's mandate is
/// "not found". A counsellor whose trajectory for the person runs on is told.
pub fn revoke(uow: &mut UnitOfWork<'_>, caller: &Caller, id: &str) -> Result<(), ServiceError> {
    let (mandate, access) = citizens_mandate(uow, caller, id)?;
    let revoked = (mandate.revoked_at.is_none()).then(|| Mandate {
        revoked_at: Some(uow.now.utc),
        ..mandate.clone()
    });
    let decision = mandate.revoke(&access, uow.now);
    uow.commit(decision)?;
    match revoked {
        Some(revoked) => super::schuldhulptrajecten::mandate_revoked(uow, &revoked),
        None => Ok(()),
    }
}

/// The citizens who mandated the counsellor organisation, by mandate, with its own references:
/// live mandates and those that start later. Each citizen's log shows the reading.
pub fn clients(uow: &mut UnitOfWork<'_>, caller: &Caller) -> Result<Vec<Mandate>, ServiceError> {
    let (access, mandates) = listed_clients(uow, caller)?;
    let reads = mandates
        .iter()
        .map(|m| AccessRecord::new(&m.person, &access, Action::MandatesRead, Some(&m.id)))
        .collect();
    uow.commit(Decision::reads(mandates, reads))
}

/// The clients as [`clients`] lists them, those who need attention first, each with what asks
/// for it: for a live mandate, its last samenloop evaluation and its end; a mandate that starts
/// later shows nothing yet. Each citizen's log shows one reading: of the list with the samenloop
/// signals, or of the mandate alone.
pub fn clients_by_attention(
    uow: &mut UnitOfWork<'_>,
    caller: &Caller,
) -> Result<Vec<(Mandate, Attention)>, ServiceError> {
    let (access, mandates) = listed_clients(uow, caller)?;
    let today = uow.now.today;
    let live: Vec<&str> = mandates
        .iter()
        .filter(|m| m.is_live(today))
        .map(|m| m.person.as_str())
        .collect();
    let evaluations = samenloop_states::of_persons(uow.conn(), &live)?;
    let mut reads = Vec::with_capacity(mandates.len());
    let mut clients = Vec::with_capacity(mandates.len());
    for m in mandates {
        let (action, attention) = if m.is_live(today) {
            let attention = Attention::of(evaluations.get(&m.person), &m, today);
            (Action::ClientListRead, attention)
        } else {
            (Action::MandatesRead, Attention::default())
        };
        reads.push(AccessRecord::new(&m.person, &access, action, Some(&m.id)));
        clients.push((m, attention));
    }
    in_attention_order(&mut clients);
    uow.commit(Decision::reads(clients, reads))
}

/// The organisation's clients in client order.
fn listed_clients(
    uow: &mut UnitOfWork<'_>,
    caller: &Caller,
) -> Result<(Access, Vec<Mandate>), ServiceError> {
    let access = uow.authorize(caller, Operation::ManageClients)?;
    let Some(organisation) = caller.counsellor() else {
        return Ok((access, Vec::new()));
    };
    let today = uow.now.today;
    let mut mandates = mandate_store::current_of_counsellor(uow.conn(), organisation, today)?;
    mandate::in_client_order(&mut mandates);
    Ok((access, mandates))
}

/// A mandate of the counsellor organisation, live or still to come (as its client list shows
/// them); any other id is "not found".
fn own_mandate(
    uow: &mut UnitOfWork<'_>,
    caller: &Caller,
    id: &str,
) -> Result<(Mandate, Access), ServiceError> {
    let mandate = uow.find(caller, Operation::ManageClients, MANDATE, |c| {
        mandate_store::find(c, id)
    })?;
    let access = uow.authorize_mandate(caller, Operation::ManageClients, &mandate, MANDATE)?;
    Ok((mandate, access))
}

/// Records the counsellor's own dossier reference for the citizen of one of its mandates.
pub fn set_reference(
    uow: &mut UnitOfWork<'_>,
    caller: &Caller,
    id: &str,
    reference: &str,
) -> Result<Mandate, ServiceError> {
    let (mandate, access) = own_mandate(uow, caller, id)?;
    let decision = mandate.set_reference(&access, reference.to_owned())?;
    uow.commit(decision)
}

/// The counsellor organisation's live mandate from the person named (a counsellor types the BSN
/// in a form body to find a citizen's pages). Without one it is "forbidden", as for any request
/// that names a person; the citizen's log shows the look-up.
pub fn live_mandate_for(
    uow: &mut UnitOfWork<'_>,
    caller: &Caller,
    whom: &Whom,
) -> Result<Mandate, ServiceError> {
    let (person, access) = uow.authorize_person(caller, Operation::ManageClients, whom)?;
    let id = access
        .mandate_id
        .clone()
        .ok_or(ServiceError::NotFound(MANDATE))?;
    let mandate = mandate_store::find(uow.conn(), &id)?.ok_or(ServiceError::NotFound(MANDATE))?;
    uow.commit(Decision::read(
        mandate,
        AccessRecord::new(&person, &access, Action::MandatesRead, Some(&id)),
    ))
}

/// One of the counsellor's live mandates, by id: pages and clients address a citizen by
/// mandate, never by BSN in a URL.
pub fn client_mandate(
    uow: &mut UnitOfWork<'_>,
    caller: &Caller,
    mandate_id: &str,
) -> Result<Mandate, ServiceError> {
    let (mandate, _) = own_mandate(uow, caller, mandate_id)?;
    // The pages act for a client only while the mandate is live; one still to come is listed
    // (and takes a dossier reference), but its client's pages are not yet open.
    if !mandate.is_live(uow.now.today) {
        return Err(ServiceError::NotFound(MANDATE));
    }
    Ok(mandate)
}
