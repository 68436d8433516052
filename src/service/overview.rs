//! The Vorderingenoverzicht for a citizen, or for a counsellor with the citizen's mandate: the
//! claims, what runs on the person's income, and the samenloop of the last evaluation (always
//! current: every change re-evaluates). Reading changes nothing but the access log.

use std::collections::BTreeSet;

use chrono::NaiveDate;

use crate::domain::access::Action;
use crate::domain::attachment::{
    Attachment, DeclaredArrangement, PossibleDuplicate, possible_duplicates,
};
use crate::domain::authorization::Operation;
use crate::domain::caller::Caller;
use crate::domain::creditor::Creditor;
use crate::domain::decision::{AccessRecord, Decision};
use crate::domain::overview::{self, Overview};
use crate::domain::samenloop::Detection;
use crate::domain::schuldhulptraject::Trajectory;
use crate::store::person_file;

use super::unit_of_work::UnitOfWork;
use super::{ServiceError, Whom};

pub struct OverviewResult {
    pub overview: Overview,
    pub attachments: Vec<Attachment>,
    pub declared: Vec<DeclaredArrangement>,
    /// Declared attachments a creditor's own registration may duplicate.
    pub possible_duplicates: Vec<PossibleDuplicate>,
    pub samenloop: Detection,
    /// The person's running debt-help trajectory, if any.
    pub trajectory: Option<Trajectory>,
    /// The latest day a wettelijke schuldsanering of the person was declared, when recorded.
    pub schuldsanering_ruling: Option<NaiveDate>,
    /// The registry, to name the creditors.
    pub creditors: Vec<Creditor>,
}

pub fn read(
    uow: &mut UnitOfWork<'_>,
    caller: &Caller,
    whom: &Whom,
) -> Result<OverviewResult, ServiceError> {
    let (person, access) = uow.authorize_person(caller, Operation::ReadOverview, whom)?;
    let person = &person;
    // One query: the person's file with their claims, each with its surcharges and arrangement
    // membership.
    let (file, claims) = person_file::load_with_claims(uow.conn(), person)?;
    let owed: BTreeSet<&str> = claims
        .iter()
        .filter(|c| c.ledger.outstanding().is_positive())
        .map(|c| c.id.as_str())
        .collect();
    let running = file
        .arrangements
        .iter()
        .filter(|a| a.is_collecting(&owed))
        .map(|a| a.summary())
        .collect::<Result<Vec<_>, _>>()?;
    let addressee = overview::Addressee::of(caller);
    let result = OverviewResult {
        overview: overview::build(
            &uow.reference.creditors,
            claims,
            running,
            uow.now.today,
            addressee,
        ),
        possible_duplicates: possible_duplicates(
            &file.attachments,
            &uow.reference.creditors,
            uow.now.today,
            addressee,
        ),
        attachments: file.attachments,
        declared: file.declared,
        samenloop: file.samenloop,
        trajectory: file.trajectory,
        schuldsanering_ruling: file.schuldsanering_ruling,
        creditors: uow.reference.creditors.clone(),
    };
    uow.commit(Decision::read(
        result,
        AccessRecord::new(person, &access, Action::OverviewRead, None),
    ))
}
