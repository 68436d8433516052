//! Benchmark: a Betalingsregeling Rijk proposal for 50 claims at 8 creditors with a 36-month
//! schedule (eligibility + plan), in the domain, release build. Run: `cargo bench --bench planner`.
//! Reports mean, median and p99 over many timed runs after a warm-up.

use std::collections::BTreeMap;
use std::hint::black_box;
use std::time::Instant;

use chrono::{Days, NaiveDate};
use rijksincasso::domain::money::Money;
use rijksincasso::domain::planner::{CandidateClaim, PlanOutcome, Policy, plan, select};

const CREDITORS: [&str; 8] = ["CAK", "CJIB", "DUO", "NVWA", "RDI", "RVO", "UWV", "SVB"];
const RUNS: usize = 20_000;

fn main() {
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
    let PlanOutcome::Feasible(schedule) = propose() else {
        panic!("the benchmark case must be feasible");
    };
    let eligible = select(&claims, &participation, peildatum).eligible.len();
    for _ in 0..1_000 {
        black_box(propose());
    }
    let mut nanos: Vec<u128> = (0..RUNS)
        .map(|_| {
            let t = Instant::now();
            black_box(propose());
            t.elapsed().as_nanos()
        })
        .collect();
    nanos.sort_unstable();
    let micros = |n: u128| n as f64 / 1_000.0;
    let mean = nanos.iter().sum::<u128>() / nanos.len() as u128;
    println!(
        "proposal: {} claims ({eligible} eligible) at {} creditors, {}-month schedule, {RUNS} runs: \
         mean {:.1} µs, median {:.1} µs, p99 {:.1} µs, max {:.1} µs",
        claims.len(),
        CREDITORS.len(),
        schedule.term_months,
        micros(mean),
        micros(nanos[nanos.len() / 2]),
        micros(nanos[nanos.len() * 99 / 100]),
        micros(nanos[nanos.len() - 1]),
    );
}
