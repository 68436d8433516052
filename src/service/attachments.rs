//! Attachments laid by agencies, attachments and arrangements declared by citizens or their
//! counsellors. Each change re-evaluates samenloop for the person, in the unit of work.

use chrono::NaiveDate;

use crate::domain::attachment::{
    Attachment, AttachmentChange, DeclaredArrangement, DeclaredArrangementChange, NewAttachment,
    NewDeclaredArrangement, Registration, check_ending,
};
use crate::domain::authorization::{Access, Operation};
use crate::domain::caller::Caller;
use crate::domain::claims::Claim;
use crate::domain::creditor::Creditor;
use crate::domain::decision::Decision;
use crate::domain::patch::Patch;
use crate::domain::person::PersonId;
use crate::store::{
    attachments as attachment_store, claims as claim_store, declared_arrangements, person_file,
    trajectories,
};

use super::unit_of_work::UnitOfWork;
use super::{ServiceError, Whom};

pub const ATTACHMENT: &str = "dit beslag";
pub const DECLARED: &str = "deze opgegeven regeling";

/// Why an ended declaration is not corrected: it stays as it ran.
pub const ATTACHMENT_ENDED: &str = "Dit beslag is al afgelopen. Het blijft staan zoals het liep en kan niet meer worden gewijzigd.";
pub const DECLARED_ENDED: &str = "Deze regeling is al afgelopen. Zij blijft staan zoals zij liep en kan niet meer worden gewijzigd.";
/// Why a correction is refused when the record changed since its form was filled in.
pub const CHANGED_MEANWHILE: &str =
    "Dit is intussen gewijzigd, in een ander venster of door een ander.";

/// An attachment as the law has it: with the day a Wsnp ruling lapsed it, when one did
/// ([`Attachment::lapsed_on`]).
pub struct AttachmentRead {
    pub attachment: Attachment,
    pub lapsed_on: Option<NaiveDate>,
}

impl AttachmentRead {
    fn of(attachment: Attachment, ruling: Option<NaiveDate>) -> AttachmentRead {
        AttachmentRead {
            lapsed_on: attachment.lapsed_on(ruling),
            attachment,
        }
    }
}

/// Registers an attachment, or gives back the same one already registered (and whether it is
/// new): see [`Attachment::register`].
pub fn register(
    uow: &mut UnitOfWork<'_>,
    caller: &Caller,
    whom: &Whom,
    new: &NewAttachment,
) -> Result<(AttachmentRead, bool), ServiceError> {
    let (person, access) = uow.authorize_person(caller, Operation::RegisterAttachment, whom)?;
    let facts = RegistrationFacts::read(uow, caller, &person)?;
    let id = uow.new_id();
    let (decision, new) = Attachment::register(
        caller,
        &access,
        &person,
        id,
        new.clone(),
        &facts.context(uow),
    )?
    .into_decision();
    let attachment = uow.commit(decision)?;
    Ok((AttachmentRead::of(attachment, facts.ruling), new))
}

/// What a registration or change of an attachment on a person is checked against, read under
/// the person's lock (so that two requests cannot both take one `beslagkenmerk`): their
/// attachments and, for an agency, their claims and the agency as the registry has it.
struct RegistrationFacts {
    attachments: Vec<Attachment>,
    agency: Option<Creditor>,
    claims: Vec<Claim>,
    /// The person's latest Wsnp ruling.
    ruling: Option<NaiveDate>,
}

impl RegistrationFacts {
    fn read(
        uow: &mut UnitOfWork<'_>,
        caller: &Caller,
        person: &PersonId,
    ) -> Result<RegistrationFacts, ServiceError> {
        uow.hold_income_of(person)?;
        let file = person_file::load(uow.conn(), person)?;
        let agency = caller
            .creditor()
            .and_then(|code| uow.reference.creditor(code))
            .cloned();
        let claims = match agency {
            Some(_) => claim_store::for_person(uow.conn(), person)?,
            None => Vec::new(),
        };
        Ok(RegistrationFacts {
            attachments: file.attachments,
            agency,
            claims,
            ruling: file.schuldsanering_ruling,
        })
    }

    fn context(&self, uow: &UnitOfWork<'_>) -> Registration<'_> {
        Registration {
            recorded: &self.attachments,
            agency: self.agency.as_ref(),
            claims: &self.claims,
            today: uow.now.today,
        }
    }
}

/// Loads an attachment the caller may act on: an agency only what it laid itself, a citizen or
/// counsellor what is on the person. Anything else is "not found".
fn load(
    uow: &mut UnitOfWork<'_>,
    caller: &Caller,
    operation: Operation,
    id: &str,
) -> Result<(Attachment, Access), ServiceError> {
    let attachment = uow.find(caller, operation, ATTACHMENT, |c| {
        attachment_store::find(c, id)
    })?;
    let access = uow.authorize_record(
        caller,
        operation,
        &attachment.person,
        attachment.laid_by(),
        ATTACHMENT,
    )?;
    Ok((attachment, access))
}

pub fn change(
    uow: &mut UnitOfWork<'_>,
    caller: &Caller,
    id: &str,
    change: &AttachmentChange,
) -> Result<AttachmentRead, ServiceError> {
    change_where(uow, caller, id, change, |_| Ok(())).map(|(read, _)| read)
}

/// What a correction did. Saving what already stands changes nothing and tells nobody.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Corrected {
    Changed,
    AlreadySo,
}

impl Corrected {
    fn of<T>(decision: &Decision<T>) -> Corrected {
        if decision.writes.is_empty() {
            Corrected::AlreadySo
        } else {
            Corrected::Changed
        }
    }
}

/// Changes attachment `id` when `check` allows it as it stands: checked on the version the
/// change is written over, so that nothing changed in between goes unseen.
fn change_where(
    uow: &mut UnitOfWork<'_>,
    caller: &Caller,
    id: &str,
    change: &AttachmentChange,
    check: impl Fn(&Attachment) -> Result<(), ServiceError>,
) -> Result<(AttachmentRead, Corrected), ServiceError> {
    let (attachment, access) = load(uow, caller, Operation::ChangeAttachment, id)?;
    check(&attachment)?;
    let facts = RegistrationFacts::read(uow, caller, &attachment.person)?;
    let decision = attachment.change(&access, change.clone(), &facts.context(uow))?;
    let corrected = Corrected::of(&decision);
    let attachment = uow.commit(decision)?;
    Ok((AttachmentRead::of(attachment, facts.ruling), corrected))
}

pub fn get(
    uow: &mut UnitOfWork<'_>,
    caller: &Caller,
    id: &str,
) -> Result<AttachmentRead, ServiceError> {
    let (attachment, access) = load(uow, caller, Operation::ReadAttachment, id)?;
    let ruling = trajectories::latest_ruling(uow.conn(), &attachment.person)?;
    let attachment = uow.commit(attachment.read(&access))?;
    Ok(AttachmentRead::of(attachment, ruling))
}

/// Declares an arrangement, or gives back the same one already declared (and whether it is
/// new): see [`DeclaredArrangement::declare`].
pub fn declare(
    uow: &mut UnitOfWork<'_>,
    caller: &Caller,
    whom: &Whom,
    new: &NewDeclaredArrangement,
) -> Result<(DeclaredArrangement, bool), ServiceError> {
    let (person, access) = uow.authorize_person(caller, Operation::DeclareArrangement, whom)?;
    let person = &person;
    uow.hold_income_of(person)?;
    let recorded = person_file::load(uow.conn(), person)?.declared;
    let id = uow.new_id();
    let today = uow.now.today;
    let (decision, new) =
        DeclaredArrangement::declare(&access, person, id, new.clone(), &recorded, today)?
            .into_decision();
    Ok((uow.commit(decision)?, new))
}

pub fn change_declared(
    uow: &mut UnitOfWork<'_>,
    caller: &Caller,
    id: &str,
    change: &DeclaredArrangementChange,
) -> Result<DeclaredArrangement, ServiceError> {
    change_declared_where(uow, caller, id, change, |_| Ok(())).map(|(declared, _)| declared)
}

/// Changes declared arrangement `id` when `check` allows it as it stands, under the hold the
/// change is written in.
fn change_declared_where(
    uow: &mut UnitOfWork<'_>,
    caller: &Caller,
    id: &str,
    change: &DeclaredArrangementChange,
    check: impl Fn(&DeclaredArrangement) -> Result<(), ServiceError>,
) -> Result<(DeclaredArrangement, Corrected), ServiceError> {
    uow.hold_declared(id)?;
    let declared = uow.find(
        caller,
        Operation::ChangeDeclaredArrangement,
        DECLARED,
        |c| declared_arrangements::find(c, id),
    )?;
    let access = uow.authorize_record(
        caller,
        Operation::ChangeDeclaredArrangement,
        &declared.person,
        None,
        DECLARED,
    )?;
    check(&declared)?;
    let decision = declared.change(&access, change.clone())?;
    let corrected = Corrected::of(&decision);
    Ok((uow.commit(decision)?, corrected))
}

/// One attachment on the person a page is about (`whom`), read; one of anyone else is "not
/// found", also when the caller may see it under another mandate.
pub fn attachment_of(
    uow: &mut UnitOfWork<'_>,
    caller: &Caller,
    whom: &Whom,
    id: &str,
) -> Result<Attachment, ServiceError> {
    about(uow, caller, Operation::ReadAttachment, whom, id)?;
    get(uow, caller, id).map(|read| read.attachment)
}

/// Ends an attachment on the person a page is about on `end`, its last day: see [`change`].
pub fn end_attachment_of(
    uow: &mut UnitOfWork<'_>,
    caller: &Caller,
    whom: &Whom,
    id: &str,
    end: NaiveDate,
) -> Result<Attachment, ServiceError> {
    let current = about(uow, caller, Operation::ChangeAttachment, whom, id)?
        .terms
        .end;
    if let Some(issue) = check_ending(current, end) {
        return Err(ServiceError::Invalid(vec![issue]));
    }
    let ending = AttachmentChange {
        end: Patch::Set(end),
        ..AttachmentChange::default()
    };
    change(uow, caller, id, &ending).map(|read| read.attachment)
}

/// Corrects an attachment on the person a page is about, provided it still stands as the form
/// showed it (`as_shown`): see [`change`].
pub fn correct_attachment_of(
    uow: &mut UnitOfWork<'_>,
    caller: &Caller,
    whom: &Whom,
    id: &str,
    correction: &AttachmentChange,
    as_shown: &dyn Fn(&Attachment) -> bool,
) -> Result<Corrected, ServiceError> {
    about(uow, caller, Operation::ChangeAttachment, whom, id)?;
    let today = uow.now.today;
    let check = |current: &Attachment| {
        // An agency's own is that agency's to change; an ended one stays as it ran.
        if !current.self_declared() {
            Err(ServiceError::NotFound(ATTACHMENT))
        } else if !current.stands(today) {
            Err(ServiceError::conflict(ATTACHMENT_ENDED))
        } else if !as_shown(current) {
            Err(ServiceError::conflict(CHANGED_MEANWHILE))
        } else {
            Ok(())
        }
    };
    change_where(uow, caller, id, correction, check).map(|(_, corrected)| corrected)
}

/// Corrects a declared arrangement of the person a page is about, provided it still stands as
/// the form showed it (`as_shown`): see [`change_declared`].
pub fn correct_declared_of(
    uow: &mut UnitOfWork<'_>,
    caller: &Caller,
    whom: &Whom,
    id: &str,
    correction: &DeclaredArrangementChange,
    as_shown: &dyn Fn(&DeclaredArrangement) -> bool,
) -> Result<Corrected, ServiceError> {
    declared_about(uow, caller, whom, id)?;
    let today = uow.now.today;
    let check = |current: &DeclaredArrangement| {
        if !current.endable(today) {
            Err(ServiceError::conflict(DECLARED_ENDED))
        } else if !as_shown(current) {
            Err(ServiceError::conflict(CHANGED_MEANWHILE))
        } else {
            Ok(())
        }
    };
    change_declared_where(uow, caller, id, correction, check).map(|(_, corrected)| corrected)
}

/// Attachment `id` when it is on the person `whom` names: "not found" otherwise.
fn about(
    uow: &mut UnitOfWork<'_>,
    caller: &Caller,
    operation: Operation,
    whom: &Whom,
    id: &str,
) -> Result<Attachment, ServiceError> {
    let (person, _) = uow.authorize_person(caller, operation, whom)?;
    attachment_store::find(uow.conn(), id)?
        .filter(|attachment| attachment.person == person)
        .ok_or(ServiceError::NotFound(ATTACHMENT))
}

/// One declared arrangement of the person a page is about (`whom`), read; one of anyone else is
/// "not found".
pub fn declared_of(
    uow: &mut UnitOfWork<'_>,
    caller: &Caller,
    whom: &Whom,
    id: &str,
) -> Result<DeclaredArrangement, ServiceError> {
    let (declared, _, access) = declared_about(uow, caller, whom, id)?;
    uow.commit(declared.read(&access))
}

/// Ends a declared arrangement of the person a page is about on `end`, its last instalment: see
/// [`change_declared`].
pub fn end_declared_of(
    uow: &mut UnitOfWork<'_>,
    caller: &Caller,
    whom: &Whom,
    id: &str,
    end: NaiveDate,
) -> Result<DeclaredArrangement, ServiceError> {
    let current = declared_about(uow, caller, whom, id)?.0.end;
    if let Some(issue) = check_ending(current, end) {
        return Err(ServiceError::Invalid(vec![issue]));
    }
    let ending = DeclaredArrangementChange {
        end: Patch::Set(end),
        ..DeclaredArrangementChange::default()
    };
    change_declared(uow, caller, id, &ending)
}

/// Declared arrangement `id` when it is of the person `whom` names, with that person and the
/// caller's leave: "not found" otherwise.
fn declared_about(
    uow: &mut UnitOfWork<'_>,
    caller: &Caller,
    whom: &Whom,
    id: &str,
) -> Result<(DeclaredArrangement, PersonId, Access), ServiceError> {
    let (person, access) =
        uow.authorize_person(caller, Operation::ChangeDeclaredArrangement, whom)?;
    let declared = declared_arrangements::find(uow.conn(), id)?
        .filter(|d| d.person == person)
        .ok_or(ServiceError::NotFound(DECLARED))?;
    Ok((declared, person, access))
}
