//! What the daily samenloop check reads and records: the days checked, the run in progress
//! (which day it checks through, the last person done, who holds it), and the persons whose
//! flags the calendar may have changed.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::{arrangements, attachments, declared_arrangements, samenloop_checks};
use super::{DbConnection, StoreError};
use crate::domain::person::PersonId;

/// The one row of `samenloop_checks`.
const ROW: i32 = 1;

/// A run of the check: the days `(after, through]`, continuing after `last_person`, held until
/// `held_until`. That time is also the holder's token: a run dropped (a norm table posted for
/// days it already went over) or taken over (its lease ran out) has another, so its old holder
/// can no longer record anything, not even in a new run through the same day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    pub after: NaiveDate,
    pub through: NaiveDate,
    pub last_person: Option<PersonId>,
    pub held_until: NaiveDateTime,
}

/// A lease as stored: to the microsecond, which both backends keep exactly, so that the holder
/// finds its token as it was written.
pub fn lease_until(at: NaiveDateTime) -> NaiveDateTime {
    chrono::SubsecRound::trunc_subsecs(at, 6)
}

/// Takes the run that is due, if nobody holds it: a run left unfinished by an instance that
/// stopped (its lease ran out), or a new one through `today`. Holding it until `lease_until`.
pub fn take_run(
    conn: &mut DbConnection,
    today: NaiveDate,
    now: NaiveDateTime,
    lease_until: NaiveDateTime,
) -> Result<Option<Run>, StoreError> {
    let row = samenloop_checks::table.find(ROW);
    let lease_until = self::lease_until(lease_until);
    let resumed = diesel::update(
        row.filter(samenloop_checks::pending_through.is_not_null())
            .filter(
                samenloop_checks::lease_until
                    .is_null()
                    .or(samenloop_checks::lease_until.lt(now)),
            ),
    )
    .set(samenloop_checks::lease_until.eq(Some(lease_until)))
    .execute(conn)?;
    let started = resumed == 0
        && diesel::update(
            row.filter(samenloop_checks::pending_through.is_null())
                .filter(samenloop_checks::checked_through.lt(today)),
        )
        .set((
            samenloop_checks::pending_through.eq(Some(today)),
            samenloop_checks::last_person.eq(None::<String>),
            samenloop_checks::lease_until.eq(Some(lease_until)),
        ))
        .execute(conn)?
            == 1;
    if resumed == 0 && !started {
        return Ok(None);
    }
    let (after, through, last): (NaiveDate, Option<NaiveDate>, Option<String>) = row
        .select((
            samenloop_checks::checked_through,
            samenloop_checks::pending_through,
            samenloop_checks::last_person,
        ))
        .first(conn)?;
    Ok(through.map(|through| Run {
        after,
        through,
        last_person: last.map(PersonId::from_stored),
        held_until: lease_until,
    }))
}

/// Records that `person` is done in `run`, and holds it until `lease_until` (now the run's
/// token). Whether the run was still held: if not, nothing is recorded.
pub fn record_progress(
    conn: &mut DbConnection,
    run: &mut Run,
    person: &PersonId,
    lease_until: NaiveDateTime,
) -> Result<bool, StoreError> {
    let lease_until = self::lease_until(lease_until);
    let held = diesel::update(
        samenloop_checks::table
            .find(ROW)
            .filter(samenloop_checks::pending_through.eq(run.through))
            .filter(samenloop_checks::lease_until.eq(run.held_until)),
    )
    .set((
        samenloop_checks::last_person.eq(Some(person.as_str())),
        samenloop_checks::lease_until.eq(Some(lease_until)),
    ))
    .execute(conn)?
        == 1;
    if held {
        run.held_until = lease_until;
    }
    Ok(held)
}

/// Closes `run`, if still held: its days are checked.
pub fn finish_run(conn: &mut DbConnection, run: &Run) -> Result<(), StoreError> {
    diesel::update(
        samenloop_checks::table
            .find(ROW)
            .filter(samenloop_checks::pending_through.eq(run.through))
            .filter(samenloop_checks::lease_until.eq(run.held_until)),
    )
    .set((
        samenloop_checks::checked_through.eq(run.through),
        samenloop_checks::pending_through.eq(None::<NaiveDate>),
        samenloop_checks::last_person.eq(None::<String>),
        samenloop_checks::lease_until.eq(None::<NaiveDateTime>),
    ))
    .execute(conn)?;
    Ok(())
}

/// Makes the check go over `day` and every day after it again, when it has reached it: a norm
/// table posted on or after the day it takes effect changes the norm for everyone, which the run
/// over that day could not know. A run in progress is dropped (what its instance records after
/// this no longer matches it); the next run starts after the day before `day`.
pub fn check_again_from(conn: &mut DbConnection, day: NaiveDate) -> Result<(), StoreError> {
    let row = samenloop_checks::table.find(ROW);
    let (checked, pending): (NaiveDate, Option<NaiveDate>) = row
        .select((
            samenloop_checks::checked_through,
            samenloop_checks::pending_through,
        ))
        .first(conn)?;
    if day > pending.unwrap_or(checked) {
        return Ok(());
    }
    diesel::update(row)
        .set((
            samenloop_checks::checked_through.eq(checked.min(day.pred_opt().unwrap_or(day))),
            samenloop_checks::pending_through.eq(None::<NaiveDate>),
            samenloop_checks::last_person.eq(None::<String>),
            samenloop_checks::lease_until.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn checked_through(conn: &mut DbConnection) -> Result<NaiveDate, StoreError> {
    Ok(samenloop_checks::table
        .find(ROW)
        .select(samenloop_checks::checked_through)
        .first(conn)?)
}

/// The next persons of `$table` after `$last` in person order, at most `$limit`, that `$filter`
/// selects.
macro_rules! next_persons {
    ($table:ident, $conn:expr, $last:expr, $limit:expr, $filter:expr) => {
        $table::table
            .filter($filter)
            .filter($table::person.gt($last))
            .select($table::person)
            .distinct()
            .order($table::person)
            .limit($limit)
            .load::<String>($conn)
    };
}

/// The first `limit` distinct persons of several lists, each sorted and itself the first
/// `limit` of its table: together they hold the first `limit` of the union.
fn first_of(lists: Vec<Vec<String>>, limit: i64) -> Vec<PersonId> {
    let mut all: Vec<String> = lists.into_iter().flatten().collect();
    all.sort();
    all.dedup();
    all.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    all.into_iter().map(PersonId::from_stored).collect()
}

/// Persons after `last` with an attachment or a declared arrangement that started running in
/// the days `(after, through]` or stopped (it stopped when its (inclusive) end lies in
/// `[after, through)`), or with a Betalingsregeling Rijk in force whose first due date, from
/// which it takes from the income, lies in those days.
pub fn persons_with_start_or_end(
    conn: &mut DbConnection,
    after: NaiveDate,
    through: NaiveDate,
    last: &str,
    limit: i64,
) -> Result<Vec<PersonId>, StoreError> {
    let attachments = next_persons!(
        attachments,
        conn,
        last,
        limit,
        attachments::starts_on
            .gt(after)
            .and(attachments::starts_on.le(through))
            .or(attachments::ends_on
                .ge(after)
                .and(attachments::ends_on.lt(through)))
    )?;
    let declared = next_persons!(
        declared_arrangements,
        conn,
        last,
        limit,
        declared_arrangements::starts_on
            .gt(after)
            .and(declared_arrangements::starts_on.le(through))
            .or(declared_arrangements::ends_on
                .ge(after)
                .and(declared_arrangements::ends_on.lt(through)))
    )?;
    let first_due = next_persons!(
        arrangements,
        conn,
        last,
        limit,
        arrangements::first_due
            .gt(after)
            .and(arrangements::first_due.le(through))
            .and(arrangements::ended_at.is_null())
    )?;
    Ok(first_of(vec![attachments, declared, first_due], limit))
}

/// Persons after `last` that something runs or ran on: only they can have flags.
pub fn persons_concerned(
    conn: &mut DbConnection,
    last: &str,
    limit: i64,
) -> Result<Vec<PersonId>, StoreError> {
    let attachments = next_persons!(
        attachments,
        conn,
        last,
        limit,
        attachments::id.is_not_null()
    )?;
    let declared = next_persons!(
        declared_arrangements,
        conn,
        last,
        limit,
        declared_arrangements::id.is_not_null()
    )?;
    let running = next_persons!(
        arrangements,
        conn,
        last,
        limit,
        arrangements::ended_at.is_null()
    )?;
    Ok(first_of(vec![attachments, declared, running], limit))
}
