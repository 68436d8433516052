//! How far a running arrangement has come: months paid, months in arrears.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::schedule::Schedule;
use crate::domain::money::Money;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    pub paid: Money,
    /// What the schedule no longer asks because it came off its claims other than by payment
    /// (see [`progress`]).
    pub written_off: Money,
    /// Months whose due date has passed: an instalment is paid "uiterlijk" on its due date, so
    /// on that day it is not yet late.
    pub months_due: u32,
    /// Months fully covered by what has been paid, counted from the first.
    pub months_paid: u32,
    pub months_in_arrears: u32,
    /// What should have been paid by now but was not.
    pub amount_in_arrears: Money,
    pub remaining: Money,
    /// The due date of the first month not yet fully paid.
    pub next_due: Option<NaiveDate>,
}

/// Compares what was paid with the schedule: payments fill the months in order. `written_off`
/// is, by claim id, what came off a claim since the start other than by payment (a remission,
/// a withdrawal): it is taken from that claim's last shares first, as the claim would have
/// been paid off sooner, and a month left with nothing to pay is no longer part of the
/// schedule. So a remitted claim never shows as arrears.
pub fn progress(
    schedule: &Schedule,
    paid: Money,
    written_off: &BTreeMap<String, Money>,
    today: NaiveDate,
) -> Progress {
    let months = asked(schedule, written_off);
    let mut cumulative = Money::ZERO;
    let mut months_paid = 0;
    let mut due_so_far = Money::ZERO;
    let mut months_due = 0;
    let mut next_due = None;
    for &(due_date, amount) in &months {
        cumulative += amount;
        if paid >= cumulative {
            months_paid += 1;
        } else if next_due.is_none() {
            next_due = Some(due_date);
        }
        if due_date < today {
            months_due += 1;
            due_so_far = cumulative;
        }
    }
    Progress {
        paid,
        written_off: schedule.total - cumulative,
        months_due,
        months_paid,
        months_in_arrears: months_due.saturating_sub(months_paid),
        amount_in_arrears: due_so_far.saturating_sub(paid),
        remaining: cumulative.saturating_sub(paid),
        next_due,
    }
}

/// What each month of the schedule still asks once `written_off` is taken from each claim's
/// last shares: the months with something left, with their due dates.
fn asked(schedule: &Schedule, written_off: &BTreeMap<String, Money>) -> Vec<(NaiveDate, Money)> {
    let mut left = written_off.clone();
    let mut months: Vec<(NaiveDate, Money)> = schedule
        .months
        .iter()
        .map(|m| (m.due_date, m.amount))
        .collect();
    for (month, asked) in schedule.months.iter().zip(months.iter_mut()).rev() {
        for share in month.shares.iter().flat_map(|s| &s.claims) {
            if let Some(off) = left.get_mut(&share.claim_id) {
                let taken = (*off).min(share.amount);
                *off -= taken;
                asked.1 -= taken;
            }
        }
    }
    months.retain(|(_, amount)| amount.is_positive());
    months
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::planner::{EligibleClaim, PlanOutcome, Policy, plan};
    use crate::domain::testing::{d, m};
    use proptest::prelude::*;

    /// `claims` (id, creditor, amount) planned at `capacity` a month from 1 July 2026.
    fn planned(claims: &[(&str, &str, &str)], capacity: &str) -> Schedule {
        let claims: Vec<EligibleClaim> = claims
            .iter()
            .map(|&(id, creditor, amount)| EligibleClaim {
                claim_id: id.into(),
                claim_key: format!("K-{id}"),
                creditor: creditor.into(),
                outstanding: m(amount),
                due_date: d(2026, 1, 1),
            })
            .collect();
        match plan(
            &claims,
            m(capacity),
            &Policy::default(),
            &BTreeMap::new(),
            d(2026, 7, 1),
        ) {
            PlanOutcome::Feasible(s) => s,
            PlanOutcome::Infeasible(why) => panic!("{why:?}"),
        }
    }

    /// 250.00 at 100.00 a month: 100, 100, 50 due on 1 July, 1 August, 1 September.
    fn schedule() -> Schedule {
        planned(&[("1", "CJIB", "250.00")], "100.00")
    }

    #[test]
    fn payments_fill_the_months_in_order_and_missing_ones_are_arrears() {
        let s = schedule();
        let p = progress(
            &s,
            Money::from_cents(10_000),
            &BTreeMap::new(),
            d(2026, 8, 15),
        );
        assert_eq!(
            (p.months_due, p.months_paid, p.months_in_arrears),
            (2, 1, 1)
        );
        assert_eq!(p.amount_in_arrears, Money::from_cents(10_000));
        assert_eq!(p.remaining, Money::from_cents(15_000));
        assert_eq!(p.next_due, Some(d(2026, 8, 1)));
    }

    #[test]
    fn paying_ahead_is_no_arrears_and_paying_all_leaves_nothing() {
        let s = schedule();
        let ahead = progress(
            &s,
            Money::from_cents(20_000),
            &BTreeMap::new(),
            d(2026, 7, 2),
        );
        assert_eq!(
            (
                ahead.months_paid,
                ahead.months_in_arrears,
                ahead.amount_in_arrears
            ),
            (2, 0, Money::ZERO)
        );
        let all = progress(
            &s,
            Money::from_cents(25_000),
            &BTreeMap::new(),
            d(2026, 10, 1),
        );
        assert_eq!((all.months_paid, all.remaining), (3, Money::ZERO));
        assert_eq!(all.next_due, None);
    }

    #[test]
    fn before_the_first_due_date_and_on_it_nothing_is_in_arrears() {
        for today in [d(2026, 6, 30), d(2026, 7, 1)] {
            let p = progress(&schedule(), Money::ZERO, &BTreeMap::new(), today);
            assert_eq!((p.months_due, p.months_in_arrears), (0, 0), "{today}");
            assert_eq!(p.next_due, Some(d(2026, 7, 1)));
        }
        let late = progress(&schedule(), Money::ZERO, &BTreeMap::new(), d(2026, 7, 2));
        assert_eq!((late.months_due, late.months_in_arrears), (1, 1));
    }

    /// CJIB 300.00 and DUO 300.00 at 200.00 a month, from 1 July: three months.
    fn two_claims() -> Schedule {
        planned(&[("A", "CJIB", "300.00"), ("B", "DUO", "300.00")], "200.00")
    }

    #[test]
    fn a_claim_remitted_since_the_start_is_no_arrears_and_no_longer_remaining() {
        let s = two_claims();
        assert_eq!((s.months.len(), s.total), (3, m("600.00")));
        // July paid in full; then CJIB remitted what was left of its claim, 200.00. DUO's
        // shares were paid in August and September.
        let off = BTreeMap::from([("A".to_owned(), m("200.00"))]);
        let p = progress(&s, m("400.00"), &off, d(2026, 9, 2));
        assert_eq!(p.written_off, m("200.00"));
        assert_eq!(
            (p.months_due, p.months_paid, p.months_in_arrears),
            (3, 3, 0)
        );
        assert_eq!(
            (p.amount_in_arrears, p.remaining),
            (Money::ZERO, Money::ZERO)
        );
        assert_eq!(p.next_due, None);
        let without = progress(&s, m("400.00"), &BTreeMap::new(), d(2026, 9, 2));
        assert_eq!(
            (without.amount_in_arrears, without.remaining),
            (m("200.00"), m("200.00")),
            "counted as arrears if the remission were not taken off"
        );
    }

    #[test]
    fn a_partial_remission_takes_the_claims_last_shares_first() {
        // 100.00 of 250.00 remitted before anything was paid: July's 100.00 and August's 50.00
        // are still asked, September's 50.00 and half of August's are not.
        let off = BTreeMap::from([("1".to_owned(), m("100.00"))]);
        let p = progress(&schedule(), Money::ZERO, &off, d(2026, 7, 2));
        assert_eq!((p.months_in_arrears, p.amount_in_arrears), (1, m("100.00")));
        assert_eq!((p.remaining, p.written_off), (m("150.00"), m("100.00")));
        let later = progress(&schedule(), m("150.00"), &off, d(2026, 9, 2));
        assert_eq!(
            (later.months_due, later.months_paid, later.months_in_arrears),
            (2, 2, 0),
            "September asks nothing any more"
        );
        assert_eq!(later.next_due, None);
    }

    fn write_offs() -> impl Strategy<Value = (i64, i64, i64)> {
        (0i64..=30_000, 0i64..=30_000, 0i64..=60_000)
    }

    proptest! {
        /// Whatever is written off and paid, the schedule's total is exactly what was written
        /// off plus what is still asked, and nothing paid or written off is lost.
        #[test]
        fn what_is_written_off_and_what_is_still_asked_add_up_to_the_schedule(
            (a, b, paid) in write_offs(),
            day in 0u32..200,
        ) {
            let s = two_claims();
            let off = BTreeMap::from([
                ("A".to_owned(), Money::from_cents(a)),
                ("B".to_owned(), Money::from_cents(b)),
            ]);
            let paid = Money::from_cents(paid).min(s.total - off.values().copied().sum::<Money>());
            let today = d(2026, 6, 1) + chrono::Days::new(day.into());
            let p = progress(&s, paid, &off, today);
            prop_assert_eq!(p.written_off, Money::from_cents(a + b));
            prop_assert_eq!(p.written_off + paid + p.remaining, s.total);
            prop_assert!(p.amount_in_arrears <= p.remaining);
            prop_assert!(p.months_paid as usize + p.months_in_arrears as usize <= s.months.len());
        }
    }
}
