//! Attachments laid by agencies, attachments and arrangements declared by citizens or their
//! counsellors. Each change re-evaluates samenloop for the person, in the unit of work.

use crate::domain::attachment::{
    Attachment, AttachmentChange, DeclaredArrangement, DeclaredArrangementChange, NewAttachment,
    NewDeclaredArrangement,
};
use crate::domain::authorization::Operation;
use crate::domain::caller::Caller;
use crate::store::{attachments as attachment_store, declared_arrangements};

use super::unit_of_work::UnitOfWork;
use super::{ServiceError, Whom};

const ATTACHMENT: &str = "dit beslag";
const DECLARED: &str = "deze opgegeven regeling";

pub fn register(
    uow: &mut UnitOfWork<'_>,
    caller: &Caller,
    whom: &Whom,
    new: &NewAttachment,
) -> Result<Attachment, ServiceError> {
    let (person, access) = uow.authorize_person(caller, Operation::RegisterAttachment, whom)?;
    let person = &person;
    let id = uow.new_id();
    let decision = Attachment::register(caller, &access, person, id, new.clone())?;
    uow.commit(decision)
}

/// Loads an attachment the caller may act on: an agency only what it laid itself, a citizen or
/// counsellor what is on the person. Anything else is "not found".
fn load(
    uow: &mut UnitOfWork<'_>,
    caller: &Caller,
    operation: Operation,
    id: &str,
) -> Result<(Attachment, crate::domain::authorization::Access), ServiceError> {
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
) -> Result<Attachment, ServiceError> {
    let (attachment, access) = load(uow, caller, Operation::ChangeAttachment, id)?;
    let decision = attachment.change(&access, change.clone())?;
    uow.commit(decision)
}

pub fn get(
    uow: &mut UnitOfWork<'_>,
    caller: &Caller,
    id: &str,
) -> Result<Attachment, ServiceError> {
    let (attachment, access) = load(uow, caller, Operation::ReadAttachment, id)?;
    uow.commit(attachment.read(&access))
}

pub fn declare(
    uow: &mut UnitOfWork<'_>,
    caller: &Caller,
    whom: &Whom,
    new: &NewDeclaredArrangement,
) -> Result<DeclaredArrangement, ServiceError> {
    let (person, access) = uow.authorize_person(caller, Operation::DeclareArrangement, whom)?;
    let person = &person;
    let id = uow.new_id();
    let decision = DeclaredArrangement::declare(&access, person, id, new.clone())?;
    uow.commit(decision)
}

pub fn change_declared(
    uow: &mut UnitOfWork<'_>,
    caller: &Caller,
    id: &str,
    change: &DeclaredArrangementChange,
) -> Result<DeclaredArrangement, ServiceError> {
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
    let decision = declared.change(&access, change.clone())?;
    uow.commit(decision)
}
