//! What the daily samenloop check reads and records: the last day checked, and the persons whose
//! flags the calendar may have changed since.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use diesel::prelude::*;

use super::schema::{
    arrangements, attachments, declared_arrangements, norm_tables, samenloop_checks,
};
use super::{DbConnection, StoreError};
use crate::domain::person::PersonId;

/// The one row of `samenloop_checks`.
const ROW: i32 = 1;

pub fn checked_through(conn: &mut DbConnection) -> Result<NaiveDate, StoreError> {
    Ok(samenloop_checks::table
        .find(ROW)
        .select(samenloop_checks::checked_through)
        .first(conn)?)
}

/// Moves the last day checked from `from` to `to`, unless another instance already moved it:
/// whoever moves it does the check for the days in between.
pub fn advance(
    conn: &mut DbConnection,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<bool, StoreError> {
    let updated = diesel::update(
        samenloop_checks::table
            .find(ROW)
            .filter(samenloop_checks::checked_through.eq(from)),
    )
    .set(samenloop_checks::checked_through.eq(to))
    .execute(conn)?;
    Ok(updated == 1)
}

/// The persons of `$table` (with `person`, `starts_on` and an inclusive `ends_on`) whose row
/// started running in the days `(after, through]` or stopped: it stopped when its end date lies
/// in `[after, through)`.
macro_rules! persons_started_or_ended {
    ($table:ident, $conn:expr, $after:expr, $through:expr) => {
        $table::table
            .filter(
                $table::starts_on
                    .gt($after)
                    .and($table::starts_on.le($through))
                    .or($table::ends_on.ge($after).and($table::ends_on.lt($through))),
            )
            .select($table::person)
            .distinct()
            .load::<String>($conn)
    };
}

/// Persons with an attachment or a declared arrangement that started or stopped running in the
/// days `(after, through]`.
pub fn persons_with_start_or_end(
    conn: &mut DbConnection,
    after: NaiveDate,
    through: NaiveDate,
) -> Result<BTreeSet<PersonId>, StoreError> {
    let mut persons = persons_started_or_ended!(attachments, conn, after, through)?;
    persons.extend(persons_started_or_ended!(
        declared_arrangements,
        conn,
        after,
        through
    )?);
    Ok(persons.into_iter().map(PersonId::from_stored).collect())
}

/// Whether a norm table took effect in the days `(after, through]`: the norm changes for
/// everyone.
pub fn norm_table_took_effect(
    conn: &mut DbConnection,
    after: NaiveDate,
    through: NaiveDate,
) -> Result<bool, StoreError> {
    let count: i64 = norm_tables::table
        .filter(norm_tables::valid_from.gt(after))
        .filter(norm_tables::valid_from.le(through))
        .count()
        .get_result(conn)?;
    Ok(count > 0)
}

/// Everyone something runs or ran on: only they can have flags.
pub fn persons_concerned(conn: &mut DbConnection) -> Result<BTreeSet<PersonId>, StoreError> {
    let mut persons: Vec<String> = attachments::table
        .select(attachments::person)
        .distinct()
        .load(conn)?;
    persons.extend(
        declared_arrangements::table
            .select(declared_arrangements::person)
            .distinct()
            .load::<String>(conn)?,
    );
    persons.extend(
        arrangements::table
            .filter(arrangements::ended_at.is_null())
            .select(arrangements::person)
            .distinct()
            .load::<String>(conn)?,
    );
    Ok(persons.into_iter().map(PersonId::from_stored).collect())
}
