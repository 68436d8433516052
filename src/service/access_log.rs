//! A citizen reading who read or changed their data.

use crate::domain::access::AccessLogEntry;
use crate::domain::authorization::Operation;
use crate::domain::caller::Caller;
use crate::store::access_log;

use super::unit_of_work::UnitOfWork;
use super::{Page, ServiceError, Whom};

/// A page of the person's access log, newest first. Reading the log is itself not logged: the
/// log shows what others and the citizen did with their data, not the reading of it.
pub fn page(
    uow: &mut UnitOfWork<'_>,
    caller: &Caller,
    whom: &Whom,
    after: Option<i64>,
    limit: usize,
) -> Result<Page<AccessLogEntry>, ServiceError> {
    let (person, _) = uow.authorize_person(caller, Operation::ReadAccessLog, whom)?;
    let conn = uow.conn();
    Page::load(
        limit,
        |size| access_log::page_of_person(conn, &person, after, size),
        |entry| entry.id.to_string(),
    )
}
