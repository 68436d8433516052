//! Stored proposals: the situation they were computed for and the claims they planned.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Deserialize;

use super::schema::{declared_situations, proposal_claims, proposals};
use super::{DbConnection, StoreError};
use crate::domain::access::{Actor, Role};
use crate::domain::arrangement::Proposal;
use crate::domain::beslagvrije_voet::NormInput;
use crate::domain::household::HouseholdType;
use crate::domain::money::Money;
use crate::domain::person::PersonId;
use crate::domain::samenloop::DeclaredSituation;

#[derive(Queryable, Selectable, Insertable, Deserialize)]
#[diesel(table_name = proposals, treat_none_as_default_value = false)]
pub(super) struct ProposalRow {
    id: String,
    person: String,
    requested_by_role: String,
    requested_by_organisation: Option<String>,
    #[serde(deserialize_with = "super::json_rows::moment")]
    created_at: NaiveDateTime,
    #[serde(deserialize_with = "super::json_rows::moment")]
    expires_at: NaiveDateTime,
    peildatum: NaiveDate,
    household: String,
    #[serde(deserialize_with = "super::json_rows::flag")]
    pension_age: bool,
    net_income_cents: i64,
    housing_costs_cents: Option<i64>,
    #[serde(deserialize_with = "super::json_rows::optional_flag")]
    children: Option<bool>,
    taxable_yearly_income_cents: Option<i64>,
    #[serde(deserialize_with = "super::json_rows::flag")]
    housing_correction: bool,
    partner_income_cents: Option<i64>,
    capacity_cents: i64,
    #[serde(deserialize_with = "super::json_rows::flag")]
    feasible: bool,
    accepted_as: Option<String>,
}

#[derive(Insertable)]
#[diesel(table_name = proposal_claims, treat_none_as_default_value = false)]
struct ProposalClaimRow<'a> {
    proposal_id: &'a str,
    claim_id: &'a str,
    outstanding_cents: i64,
}

pub fn insert(conn: &mut DbConnection, proposal: &Proposal) -> Result<(), StoreError> {
    let s = &proposal.situation;
    diesel::insert_into(proposals::table)
        .values(ProposalRow {
            id: proposal.id.clone(),
            person: proposal.person.as_str().to_owned(),
            requested_by_role: proposal.requested_by.role.code().to_owned(),
            requested_by_organisation: proposal.requested_by.organisation.clone(),
            created_at: proposal.created_at,
            expires_at: proposal.expires_at,
            peildatum: s.peildatum,
            household: s.household.code().to_owned(),
            pension_age: s.pension_age,
            net_income_cents: s.net_income.cents(),
            housing_costs_cents: s.housing_costs.map(Money::cents),
            children: s.children,
            taxable_yearly_income_cents: s.taxable_yearly_income.map(Money::cents),
            housing_correction: s.housing_correction,
            partner_income_cents: s.partner_income.map(Money::cents),
            capacity_cents: proposal.capacity.cents(),
            feasible: proposal.feasible,
            accepted_as: proposal.accepted_as.clone(),
        })
        .execute(conn)?;
    let rows: Vec<ProposalClaimRow<'_>> = proposal
        .claims
        .iter()
        .map(|(claim_id, outstanding)| ProposalClaimRow {
            proposal_id: &proposal.id,
            claim_id,
            outstanding_cents: outstanding.cents(),
        })
        .collect();
    if !rows.is_empty() {
        insert_rows!(conn, proposal_claims::table, &rows)?;
    }
    Ok(())
}

fn corrupt(what: &str) -> StoreError {
    StoreError::Corrupt(format!("proposal with unknown {what}"))
}

fn to_proposal(row: ProposalRow, claims: Vec<(String, Money)>) -> Result<Proposal, StoreError> {
    let role = Role::from_code(&row.requested_by_role).ok_or_else(|| corrupt("role"))?;
    let household = HouseholdType::from_code(&row.household).ok_or_else(|| corrupt("household"))?;
    Ok(Proposal {
        id: row.id,
        person: PersonId::from_stored(row.person),
        requested_by: Actor {
            role,
            organisation: row.requested_by_organisation,
        },
        created_at: row.created_at,
        expires_at: row.expires_at,
        situation: NormInput {
            peildatum: row.peildatum,
            household,
            pension_age: row.pension_age,
            net_income: Money::from_cents(row.net_income_cents),
            housing_costs: row.housing_costs_cents.map(Money::from_cents),
            children: row.children,
            taxable_yearly_income: row.taxable_yearly_income_cents.map(Money::from_cents),
            housing_correction: row.housing_correction,
            partner_income: row.partner_income_cents.map(Money::from_cents),
        },
        capacity: Money::from_cents(row.capacity_cents),
        feasible: row.feasible,
        accepted_as: row.accepted_as,
        claims,
    })
}

pub fn find(conn: &mut DbConnection, id: &str) -> Result<Option<Proposal>, StoreError> {
    let Some(row) = proposals::table
        .find(id)
        .select(ProposalRow::as_select())
        .first(conn)
        .optional()?
    else {
        return Ok(None);
    };
    let claims: Vec<(String, i64)> = proposal_claims::table
        .filter(proposal_claims::proposal_id.eq(id))
        .order(proposal_claims::claim_id)
        .select((
            proposal_claims::claim_id,
            proposal_claims::outstanding_cents,
        ))
        .load(conn)?;
    let claims = claims
        .into_iter()
        .map(|(id, cents)| (id, Money::from_cents(cents)))
        .collect();
    to_proposal(row, claims).map(Some)
}

/// The ids of up to `limit` proposals nobody accepted that expired before `cutoff`, by the index
/// of unaccepted proposals by expiry.
pub fn unaccepted_expired_before(
    conn: &mut DbConnection,
    cutoff: NaiveDateTime,
    limit: i64,
) -> Result<Vec<String>, StoreError> {
    Ok(proposals::table
        .filter(proposals::accepted_as.is_null())
        .filter(proposals::expires_at.lt(cutoff))
        .order(proposals::expires_at)
        .select(proposals::id)
        .limit(limit)
        .load(conn)?)
}

/// Deletes a proposal with the claims it planned for, unless it was accepted meanwhile.
pub fn delete_unaccepted(conn: &mut DbConnection, id: &str) -> Result<(), StoreError> {
    let unaccepted = proposals::table
        .find(id)
        .filter(proposals::accepted_as.is_null());
    if diesel::select(diesel::dsl::exists(unaccepted)).get_result(conn)? {
        diesel::delete(proposal_claims::table.filter(proposal_claims::proposal_id.eq(id)))
            .execute(conn)?;
        diesel::delete(unaccepted).execute(conn)?;
    }
    Ok(())
}

/// Marks a proposal as accepted, once: a second acceptance racing the first finds it taken.
pub fn mark_accepted(
    conn: &mut DbConnection,
    id: &str,
    arrangement_id: &str,
) -> Result<(), StoreError> {
    let updated = diesel::update(
        proposals::table
            .find(id)
            .filter(proposals::accepted_as.is_null()),
    )
    .set(proposals::accepted_as.eq(Some(arrangement_id)))
    .execute(conn)?;
    if updated == 1 {
        Ok(())
    } else {
        Err(StoreError::Concurrent)
    }
}

/// Records the proposal's household as the person's declared situation, replacing an earlier.
pub fn declare_situation(
    conn: &mut DbConnection,
    person: &PersonId,
    proposal_id: &str,
    on: NaiveDate,
) -> Result<(), StoreError> {
    let updated = diesel::update(declared_situations::table.find(person.as_str()))
        .set((
            declared_situations::proposal_id.eq(proposal_id),
            declared_situations::declared_on.eq(on),
        ))
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(declared_situations::table)
            .values((
                declared_situations::person.eq(person.as_str()),
                declared_situations::proposal_id.eq(proposal_id),
                declared_situations::declared_on.eq(on),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// The situation a person declared by accepting the proposal of `row`, on `on`.
pub(super) fn declared(row: ProposalRow, on: NaiveDate) -> Result<DeclaredSituation, StoreError> {
    Ok(DeclaredSituation {
        input: to_proposal(row, Vec::new())?.situation,
        declared_on: on,
    })
}
