//! Norm tables and their parameters.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::{norm_parameters, norm_tables};
use super::{DbConnection, StoreError};
use crate::domain::beslagvrije_voet::{NormTable, Parameter, ParameterValue};

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = norm_parameters, treat_none_as_default_value = false)]
struct ParameterRow {
    valid_from: NaiveDate,
    code: String,
    /// The exact decimal, as text: amounts and percentages keep every digit the law gives.
    value: String,
    source: String,
    confirmed: bool,
}

/// All tables, oldest first, in one query.
pub fn all(conn: &mut DbConnection) -> Result<Vec<NormTable>, StoreError> {
    let dates: Vec<NaiveDate> = norm_tables::table
        .order(norm_tables::valid_from)
        .select(norm_tables::valid_from)
        .load(conn)?;
    let mut tables: BTreeMap<NaiveDate, Vec<ParameterValue>> =
        dates.into_iter().map(|d| (d, Vec::new())).collect();
    let rows: Vec<ParameterRow> = norm_parameters::table
        .order((norm_parameters::valid_from, norm_parameters::code))
        .select(ParameterRow::as_select())
        .load(conn)?;
    for row in rows {
        let parameter = Parameter::from_code(&row.code)
            .ok_or_else(|| StoreError::Corrupt(format!("unknown norm parameter '{}'", row.code)))?;
        let value = row.value.parse().map_err(|_| {
            StoreError::Corrupt(format!("norm parameter '{}' is no number", row.code))
        })?;
        tables
            .entry(row.valid_from)
            .or_default()
            .push(ParameterValue {
                parameter,
                value,
                source: row.source,
                confirmed: row.confirmed,
            });
    }
    Ok(tables
        .into_iter()
        .map(|(valid_from, mut values)| {
            values.sort_by_key(|v| v.parameter);
            NormTable { valid_from, values }
        })
        .collect())
}

pub fn count(conn: &mut DbConnection) -> Result<i64, StoreError> {
    Ok(norm_tables::table.count().get_result(conn)?)
}

pub fn insert(
    conn: &mut DbConnection,
    table: &NormTable,
    added_by: &str,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    diesel::insert_into(norm_tables::table)
        .values((
            norm_tables::valid_from.eq(table.valid_from),
            norm_tables::added_by.eq(added_by),
            norm_tables::added_at.eq(now),
        ))
        .execute(conn)?;
    let rows: Vec<ParameterRow> = table
        .values
        .iter()
        .map(|v| ParameterRow {
            valid_from: table.valid_from,
            code: v.parameter.code().to_owned(),
            value: v.value.to_string(),
            source: v.source.clone(),
            confirmed: v.confirmed,
        })
        .collect();
    insert_rows!(conn, norm_parameters::table, &rows)?;
    Ok(())
}
