//! Benchmark: a Betalingsregeling Rijk proposal for 50 claims at 8 creditors with a 36-month
//! schedule (eligibility + plan), in the domain. Run: `cargo bench --bench planner`.

use std::collections::BTreeMap;
use std::hint::black_box;

use chrono::{Days, NaiveDate};
use criterion::{Criterion, criterion_group, criterion_main};
use rijksincasso::domain::money::Money;
use rijksincasso::domain::planner::{CandidateClaim, PlanOutcome, Policy, plan, select};

const CREDITORS: [&str; 8] = ["CAK", "CJIB", "DUO", "NVWA", "RDI", "RVO", "UWV", "SVB"];

fn proposal(c: &mut Criterion) {
    let start = NaiveDate::from_ymd_opt(2025, 1, 1).expect("date");
    let claims: Vec<CandidateClaim> = (0..50)
        .map(|i| CandidateClaim {
            claim_id: format!("claim-{i:02}"),
            claim_key: format!("K-{i:02}"),
            creditor: CREDITORS[i % CREDITORS.len()].to_owned(),
            outstanding: Money::from_cents(20_000 + (i as i64 * 7_919) % 90_000),
            due_date: start + Days::new((i as u64 * 13) % 365),
            disputed: false,
            in_running_arrangement: false,
        })
        .collect();
    // All eight take part, so all 50 claims are in the schedule.
    let participation: BTreeMap<String, Option<NaiveDate>> = CREDITORS
        .iter()
        .map(|c| (c.to_string(), Some(start)))
        .collect();
    let peildatum = NaiveDate::from_ymd_opt(2026, 6, 15).expect("date");
    let first_due = NaiveDate::from_ymd_opt(2026, 7, 1).expect("date");
    let total: i64 = claims.iter().map(|c| c.outstanding.cents()).sum();
    // Capacity chosen so the schedule takes exactly 36 months.
    let capacity = Money::from_cents((total + 35) / 36);
    let policy = Policy::default();
    let ranks = BTreeMap::new();
    let propose = || {
        let selection = select(black_box(&claims), &participation, peildatum);
        plan(
            &selection.eligible,
            black_box(capacity),
            &policy,
            &ranks,
            first_due,
        )
    };
    match propose() {
        PlanOutcome::Feasible(schedule) => assert_eq!(schedule.term_months, 36),
        PlanOutcome::Infeasible(why) => panic!("the benchmark case must be feasible: {why:?}"),
    }
    c.bench_function("proposal_50_claims_8_creditors_36_months", |b| {
        b.iter(propose)
    });
}

criterion_group!(benches, proposal);
criterion_main!(benches);
