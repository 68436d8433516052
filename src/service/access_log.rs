//! A citizen reading who read or changed their data.

use crate::domain::access::AccessLogEntry;
use crate::domain::authorization::Operation;
use crate::domain::caller::Caller;
use crate::store::access_log;

use super::unit_of_work::UnitOfWork;
use super::{ServiceError, Whom};

pub struct LogPage {
    pub entries: Vec<AccessLogEntry>,
    pub next: Option<String>,
}

/// A page of the person's access log, newest first. Reading the log is itself not logged: the
/// log shows what others and the citizen did with their data, not the reading of it.
pub fn page(
    uow: &mut UnitOfWork<'_>,
    caller: &Caller,
    whom: &Whom,
    after: Option<i64>,
    limit: usize,
) -> Result<LogPage, ServiceError> {
    let (person, _) = uow.authorize_person(caller, Operation::ReadAccessLog, whom)?;
    let person = &person;
    let page_size = i64::try_from(limit).unwrap_or(i64::MAX);
    let mut entries =
        access_log::page_of_person(uow.conn(), person, after, page_size.saturating_add(1))?;
    let next = if entries.len() > limit {
        entries.truncate(limit);
        entries.last().map(|e| e.id.to_string())
    } else {
        None
    };
    Ok(LogPage { entries, next })
}
