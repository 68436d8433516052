//! Attachments (beslagen) and the claims they are for.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Deserialize;

use super::schema::{attachment_claims, attachments};
use super::{DbConnection, StoreError};
use crate::domain::access::{Actor, Role};
use crate::domain::attachment::{Attachment, AttachmentTerms};
use crate::domain::household::HouseholdType;
use crate::domain::money::Money;
use crate::domain::person::PersonId;
use crate::domain::samenloop::Party;

#[derive(Queryable, Selectable, Insertable, Deserialize)]
#[diesel(table_name = attachments, treat_none_as_default_value = false)]
pub(super) struct Row {
    id: String,
    person: String,
    creditor_code: Option<String>,
    party_name: Option<String>,
    declared_by_role: String,
    declared_by_organisation: Option<String>,
    reference: Option<String>,
    income_source: String,
    known_net_income_cents: Option<i64>,
    assumed_household: Option<String>,
    monthly_amount_cents: i64,
    applied_bvv_cents: Option<i64>,
    starts_on: NaiveDate,
    ends_on: Option<NaiveDate>,
    #[serde(deserialize_with = "super::json_rows::flag")]
    executorial: bool,
    #[serde(deserialize_with = "super::json_rows::moment")]
    created_at: NaiveDateTime,
    #[serde(deserialize_with = "super::json_rows::moment")]
    updated_at: NaiveDateTime,
    version: i64,
    taxable_yearly_income_cents: Option<i64>,
    #[serde(deserialize_with = "super::json_rows::optional_flag")]
    children: Option<bool>,
    partner_income_cents: Option<i64>,
}

fn to_row(a: &Attachment, now: NaiveDateTime) -> Row {
    let t = &a.terms;
    let (creditor_code, party_name) = match &a.party {
        Party::Creditor(code) => (Some(code.clone()), None),
        Party::Private(name) => (None, Some(name.clone())),
    };
    Row {
        id: a.id.clone(),
        person: a.person.as_str().to_owned(),
        creditor_code,
        party_name,
        declared_by_role: a.declared_by.role.code().to_owned(),
        declared_by_organisation: a.declared_by.organisation.clone(),
        reference: a.reference.clone(),
        income_source: t.income_source.clone(),
        known_net_income_cents: t.known_net_income.map(Money::cents),
        assumed_household: a.assumed_household.map(|h| h.code().to_owned()),
        monthly_amount_cents: t.monthly_amount.cents(),
        applied_bvv_cents: t.applied_bvv.map(Money::cents),
        starts_on: t.start,
        ends_on: t.end,
        executorial: t.executorial,
        created_at: now,
        updated_at: now,
        version: a.version,
        taxable_yearly_income_cents: t.taxable_yearly_income.map(Money::cents),
        children: t.children,
        partner_income_cents: t.partner_income.map(Money::cents),
    }
}

fn corrupt(what: &str) -> StoreError {
    StoreError::Corrupt(format!("attachment with unknown {what}"))
}

pub(super) fn from_row(row: Row, claim_keys: Vec<String>) -> Result<Attachment, StoreError> {
    let party = match (row.creditor_code, row.party_name) {
        (Some(code), _) => Party::Creditor(code),
        (None, Some(name)) => Party::Private(name),
        (None, None) => return Err(corrupt("party")),
    };
    let assumed_household = row
        .assumed_household
        .map(|h| HouseholdType::from_code(&h).ok_or_else(|| corrupt("household")))
        .transpose()?;
    Ok(Attachment {
        id: row.id,
        person: PersonId::from_stored(row.person),
        party,
        declared_by: Actor {
            role: Role::from_code(&row.declared_by_role).ok_or_else(|| corrupt("role"))?,
            organisation: row.declared_by_organisation,
        },
        reference: row.reference,
        assumed_household,
        terms: AttachmentTerms {
            income_source: row.income_source,
            known_net_income: row.known_net_income_cents.map(Money::from_cents),
            taxable_yearly_income: row.taxable_yearly_income_cents.map(Money::from_cents),
            children: row.children,
            partner_income: row.partner_income_cents.map(Money::from_cents),
            monthly_amount: Money::from_cents(row.monthly_amount_cents),
            applied_bvv: row.applied_bvv_cents.map(Money::from_cents),
            start: row.starts_on,
            end: row.ends_on,
            executorial: row.executorial,
            claim_keys,
        },
        version: row.version,
    })
}

fn write_claim_keys(conn: &mut DbConnection, attachment: &Attachment) -> Result<(), StoreError> {
    diesel::delete(
        attachment_claims::table.filter(attachment_claims::attachment_id.eq(&attachment.id)),
    )
    .execute(conn)?;
    let rows: Vec<_> = attachment
        .terms
        .claim_keys
        .iter()
        .map(|key| {
            (
                attachment_claims::attachment_id.eq(&attachment.id),
                attachment_claims::claim_key.eq(key),
            )
        })
        .collect();
    if !rows.is_empty() {
        insert_rows!(conn, attachment_claims::table, &rows)?;
    }
    Ok(())
}

pub fn insert(
    conn: &mut DbConnection,
    attachment: &Attachment,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    diesel::insert_into(attachments::table)
        .values(to_row(attachment, now))
        .execute(conn)?;
    write_claim_keys(conn, attachment)
}

/// Writes changed terms, provided nobody changed the attachment since it was read.
pub fn update(
    conn: &mut DbConnection,
    attachment: &Attachment,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    let t = &attachment.terms;
    let updated = diesel::update(
        attachments::table
            .filter(attachments::id.eq(&attachment.id))
            .filter(attachments::version.eq(attachment.version)),
    )
    .set((
        attachments::income_source.eq(&t.income_source),
        attachments::known_net_income_cents.eq(t.known_net_income.map(Money::cents)),
        attachments::taxable_yearly_income_cents.eq(t.taxable_yearly_income.map(Money::cents)),
        attachments::children.eq(t.children),
        attachments::partner_income_cents.eq(t.partner_income.map(Money::cents)),
        attachments::assumed_household.eq(attachment.assumed_household.map(|h| h.code())),
        attachments::monthly_amount_cents.eq(t.monthly_amount.cents()),
        attachments::applied_bvv_cents.eq(t.applied_bvv.map(Money::cents)),
        attachments::starts_on.eq(t.start),
        attachments::ends_on.eq(t.end),
        attachments::executorial.eq(t.executorial),
        attachments::reference.eq(attachment.reference.as_deref()),
        attachments::version.eq(attachment.version + 1),
        attachments::updated_at.eq(now),
    ))
    .execute(conn)?;
    if updated != 1 {
        return Err(StoreError::Concurrent);
    }
    write_claim_keys(conn, attachment)
}

fn with_claim_keys(conn: &mut DbConnection, rows: Vec<Row>) -> Result<Vec<Attachment>, StoreError> {
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    let pairs: Vec<(String, String)> = attachment_claims::table
        .filter(attachment_claims::attachment_id.eq_any(&ids))
        .order((
            attachment_claims::attachment_id,
            attachment_claims::claim_key,
        ))
        .select((
            attachment_claims::attachment_id,
            attachment_claims::claim_key,
        ))
        .load(conn)?;
    let mut keys: HashMap<String, Vec<String>> = HashMap::new();
    for (id, key) in pairs {
        keys.entry(id).or_default().push(key);
    }
    rows.into_iter()
        .map(|row| {
            let claim_keys = keys.remove(&row.id).unwrap_or_default();
            from_row(row, claim_keys)
        })
        .collect()
}

pub fn find(conn: &mut DbConnection, id: &str) -> Result<Option<Attachment>, StoreError> {
    let rows = attachments::table
        .filter(attachments::id.eq(id))
        .select(Row::as_select())
        .load(conn)?;
    Ok(with_claim_keys(conn, rows)?.pop())
}
