//! How far a running arrangement has come: months paid, months in arrears.

use chrono::NaiveDate;

use super::schedule::Schedule;
use crate::domain::money::Money;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    pub paid: Money,
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

/// Compares what was paid with the schedule: payments fill the months in order.
pub fn progress(schedule: &Schedule, paid: Money, today: NaiveDate) -> Progress {
    let mut cumulative = Money::ZERO;
    let mut months_paid = 0;
    let mut due_so_far = Money::ZERO;
    let mut months_due = 0;
    let mut next_due = None;
    for month in &schedule.months {
        cumulative += month.amount;
        if paid >= cumulative {
            months_paid += 1;
        } else if next_due.is_none() {
            next_due = Some(month.due_date);
        }
        if month.due_date < today {
            months_due += 1;
            due_so_far = cumulative;
        }
    }
    Progress {
        paid,
        months_due,
        months_paid,
        months_in_arrears: months_due.saturating_sub(months_paid),
        amount_in_arrears: due_so_far.saturating_sub(paid),
        remaining: schedule.total.saturating_sub(paid),
        next_due,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::planner::{EligibleClaim, PlanOutcome, Policy, plan};
    use crate::domain::testing::d;
    use std::collections::BTreeMap;

    fn schedule() -> Schedule {
        // 250.00 at 100.00 a month: 100, 100, 50 due on 1 July, 1 August, 1 September.
        let claims = [EligibleClaim {
            claim_id: "1".into(),
            claim_key: "K".into(),
            creditor: "CJIB".into(),
            outstanding: Money::from_cents(25_000),
            due_date: d(2026, 1, 1),
        }];
        match plan(
            &claims,
            Money::from_cents(10_000),
            &Policy::default(),
            &BTreeMap::new(),
            d(2026, 7, 1),
        ) {
            PlanOutcome::Feasible(s) => s,
            PlanOutcome::Infeasible(why) => panic!("{why:?}"),
        }
    }

    #[test]
    fn payments_fill_the_months_in_order_and_missing_ones_are_arrears() {
        let s = schedule();
        let p = progress(&s, Money::from_cents(10_000), d(2026, 8, 15));
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
        let ahead = progress(&s, Money::from_cents(20_000), d(2026, 7, 2));
        assert_eq!(
            (
                ahead.months_paid,
                ahead.months_in_arrears,
                ahead.amount_in_arrears
            ),
            (2, 0, Money::ZERO)
        );
        let all = progress(&s, Money::from_cents(25_000), d(2026, 10, 1));
        assert_eq!((all.months_paid, all.remaining), (3, Money::ZERO));
        assert_eq!(all.next_due, None);
    }

    #[test]
    fn before_the_first_due_date_and_on_it_nothing_is_in_arrears() {
        for today in [d(2026, 6, 30), d(2026, 7, 1)] {
            let p = progress(&schedule(), Money::ZERO, today);
            assert_eq!((p.months_due, p.months_in_arrears), (0, 0), "{today}");
            assert_eq!(p.next_due, Some(d(2026, 7, 1)));
        }
        let late = progress(&schedule(), Money::ZERO, d(2026, 7, 2));
        assert_eq!((late.months_due, late.months_in_arrears), (1, 1));
    }
}
