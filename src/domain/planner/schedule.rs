//! The schedule of a Betalingsregeling Rijk: one instalment a month, split over the creditors,
//! until every eligible claim is paid exactly what it owes.

use std::collections::BTreeMap;

use chrono::{Datelike, Months, NaiveDate};

use super::eligibility::EligibleClaim;
use super::policy::{Policy, SplitStrategy};
use super::split::{Party, preferential, pro_rata};
use crate::domain::money::Money;
use crate::domain::overview::Addressee;
use crate::domain::text::{date, euro};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimPayment {
    pub claim_id: String,
    pub amount: Money,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreditorShare {
    pub creditor: String,
    pub amount: Money,
    /// The share's division over the creditor's claims, the one due longest ago first.
    pub claims: Vec<ClaimPayment>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduledMonth {
    /// 1 for the first month.
    pub number: u32,
    pub due_date: NaiveDate,
    pub amount: Money,
    /// Creditors with a share this month, by creditor code; creditors with nothing are left out.
    pub shares: Vec<CreditorShare>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    /// The monthly instalment; only the last month may be smaller.
    pub instalment: Money,
    pub term_months: u32,
    pub total: Money,
    pub first_due: NaiveDate,
    pub months: Vec<ScheduledMonth>,
}

impl Schedule {
    /// What each creditor receives over the whole term, by creditor code.
    pub fn creditor_totals(&self) -> BTreeMap<&str, Money> {
        let mut totals = BTreeMap::new();
        for share in self.months.iter().flat_map(|m| &m.shares) {
            *totals.entry(share.creditor.as_str()).or_insert(Money::ZERO) += share.amount;
        }
        totals
    }

    /// One creditor's share per month (month number, due date, amount), zero months left out.
    pub fn shares_of(&self, creditor: &str) -> Vec<(u32, NaiveDate, Money)> {
        self.months
            .iter()
            .filter_map(|m| {
                m.shares
                    .iter()
                    .find(|s| s.creditor == creditor)
                    .map(|s| (m.number, m.due_date, s.amount))
            })
            .collect()
    }

    pub fn last_due(&self) -> Option<NaiveDate> {
        self.months.last().map(|m| m.due_date)
    }

    /// The last month's amount where it is smaller than the instalment (the rest of the total),
    /// so that "so much a month" is never read as the last month's too.
    pub fn smaller_last(&self) -> Option<Money> {
        self.months
            .last()
            .map(|m| m.amount)
            .filter(|last| *last < self.instalment)
    }
}

/// Why no arrangement can be proposed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Infeasibility {
    NothingEligible,
    /// The person is in the wettelijke schuldsanering (Wsnp): their creditors are paid through
    /// the scheme only (art. 299 lid 2 Fw), from income they may not dispose of themselves
    /// (art. 295 lid 2 and 296 lid 1 Fw).
    Schuldsanering,
    /// The first due date falls in a half-year whose beslagvrije voet the service does not know
    /// yet (the amounts change on 1 January and 1 July, art. 475da lid 8 Rv): planned with the
    /// older amounts, the instalment could take what the law lets the person keep.
    NormsNotYetKnown {
        /// The first day of that half-year.
        half_year: NaiveDate,
    },
    NoCapacity {
        capacity: Money,
        min_instalment: Money,
        total: Money,
    },
    ExceedsMaximumTerm {
        total: Money,
        capacity: Money,
        /// Wide: a debt far beyond any term needs more months than 32 bits count.
        months_needed: u64,
        max_term: u32,
    },
}

impl Infeasibility {
    pub fn code(&self) -> &'static str {
        match self {
            Infeasibility::NothingEligible => "GEEN_VORDERINGEN",
            Infeasibility::Schuldsanering => "WETTELIJKE_SCHULDSANERING",
            Infeasibility::NormsNotYetKnown { .. } => "NORMEN_NOG_NIET_BEKEND",
            Infeasibility::NoCapacity { .. } => "GEEN_AFLOSCAPACITEIT",
            Infeasibility::ExceedsMaximumTerm { .. } => "LOOPTIJD_TE_LANG",
        }
    }

    /// Whether the person is best helped by municipal debt help: when the debt does not fit what
    /// they can pay, not when there is nothing that could be arranged, they are in the
    /// schuldsanering already or only the norm's amounts are not known yet.
    pub fn advises_debt_help(&self) -> bool {
        !matches!(
            self,
            Infeasibility::NothingEligible
                | Infeasibility::Schuldsanering
                | Infeasibility::NormsNotYetKnown { .. }
        )
    }

    /// Why, to the person or to their counsellor about the client.
    pub fn explanation(&self, addressee: Addressee) -> String {
        let (advice, norm, income, can, whom, is) = match addressee {
            Addressee::Person => (
                "Neem contact op met de schuldhulpverlening van uw gemeente: die kan met al uw \
                 schuldeisers samen naar een oplossing zoeken, ook als aflossen niet lukt.",
                "uw beslagvrije voet",
                "uw inkomen",
                "U kunt",
                "u",
                "U zit",
            ),
            Addressee::Counsellor => (
                "Een schuldregeling via de schuldhulpverlening van de gemeente kan met alle \
                 schuldeisers samen naar een oplossing zoeken, ook als aflossen niet lukt.",
                "de beslagvrije voet van uw cliënt",
                "het inkomen van uw cliënt",
                "Uw cliënt kan",
                "uw cliënt",
                "Uw cliënt zit",
            ),
        };
        match self {
            Infeasibility::NothingEligible => "Er zijn geen openstaande vorderingen die in een Betalingsregeling Rijk \
                                               kunnen. Zie de uitgesloten vorderingen voor de reden."
                .to_owned(),
            Infeasibility::Schuldsanering => format!(
                "{is} in de wettelijke schuldsanering (Wsnp). Van het inkomen blijft dan alleen de \
                 beslagvrije voet buiten de boedel, of een hoger bedrag dat de rechter-commissaris \
                 vaststelt (art. 295 lid 2 en 3 Faillissementswet), en schulden van vóór de \
                 uitspraak worden alleen via de schuldsanering betaald (art. 299 \
                 Faillissementswet). Een Betalingsregeling Rijk ernaast kan daarom niet. Vragen \
                 hierover beantwoordt de bewindvoerder."
            ),
            Infeasibility::NormsNotYetKnown { half_year } => format!(
                "De eerste termijn zou op of na {start} vallen, maar de bedragen van de beslagvrije \
                 voet die vanaf die dag gelden, zijn nog niet in deze dienst vastgelegd. Ze veranderen \
                 op 1 januari en 1 juli (art. 475da lid 8 Rv); met de oude bedragen zou een regeling \
                 {whom} minder kunnen laten houden dan de wet voorschrijft. {can} een nieuw voorstel \
                 aanvragen zodra de nieuwe bedragen zijn vastgelegd.",
                start = date(*half_year)
            ),
            Infeasibility::NoCapacity { capacity, total, .. } if capacity.is_zero() => format!(
                "Na {norm} en wat al op {income} wordt ingehouden blijft er niets over om af te lossen \
                 ({} open). Met een regeling zou {whom} minder overhouden dan {norm}. {advice}",
                euro(*total)
            ),
            Infeasibility::NoCapacity { capacity, min_instalment, total } => format!(
                "{can} {} per maand missen; dat is minder dan de minimale termijn van {} voor een schuld van {}. \
                 {advice}",
                euro(*capacity),
                euro(*min_instalment),
                euro(*total)
            ),
            Infeasibility::ExceedsMaximumTerm { total, capacity, months_needed, max_term } => format!(
                "Met {} per maand duurt het aflossen van {} {months_needed} maanden; een Betalingsregeling Rijk \
                 loopt hoogstens {max_term} maanden. {advice}",
                euro(*capacity),
                euro(*total)
            ),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlanOutcome {
    Feasible(Schedule),
    Infeasible(Infeasibility),
}

struct ClaimState<'a> {
    claim: &'a EligibleClaim,
    remaining: i64,
}

struct CreditorState<'a> {
    code: &'a str,
    rank: Option<u32>,
    /// Oldest due date first, then claim id.
    claims: Vec<ClaimState<'a>>,
}

impl CreditorState<'_> {
    fn remaining(&self) -> i64 {
        self.claims.iter().map(|c| c.remaining).sum()
    }

    /// Pays `amount` cents to the claims, the one due longest ago first.
    fn pay(&mut self, mut amount: i64) -> Vec<ClaimPayment> {
        let mut payments = Vec::new();
        for claim in self.claims.iter_mut().filter(|c| c.remaining > 0) {
            if amount == 0 {
                break;
            }
            let paid = amount.min(claim.remaining);
            claim.remaining -= paid;
            amount -= paid;
            payments.push(ClaimPayment {
                claim_id: claim.claim.claim_id.clone(),
                amount: Money::from_cents(paid),
            });
        }
        payments
    }
}

/// The first instalment of an arrangement accepted on `today` is due on the first day of the
/// next month: time to arrange the payment, and one due date a month for everyone.
pub fn first_due_after(today: NaiveDate) -> NaiveDate {
    today
        .with_day(1)
        .and_then(|d| d.checked_add_months(Months::new(1)))
        .unwrap_or(today)
}

/// Plans the arrangement: instalment = min(capacity, total); term = months needed; month i due
/// on `first_due` + (i − 1) months.
pub fn plan(
    eligible: &[EligibleClaim],
    capacity: Money,
    policy: &Policy,
    ranks: &BTreeMap<String, u32>,
    first_due: NaiveDate,
) -> PlanOutcome {
    let claims: Vec<&EligibleClaim> = eligible
        .iter()
        .filter(|c| c.outstanding.is_positive())
        .collect();
    // In 128 bits: a person may have more claims than 64-bit cents can sum (each is bounded, their
    // number is not); such a total needs more months than any maximum term anyway.
    let total_cents: i128 = claims
        .iter()
        .map(|c| i128::from(c.outstanding.cents()))
        .sum();
    let total: Money = claims.iter().map(|c| c.outstanding).sum();
    if claims.is_empty() {
        return PlanOutcome::Infeasible(Infeasibility::NothingEligible);
    }
    let instalment = capacity.min(total).cents();
    if instalment <= 0
        || (instalment < policy.min_instalment.cents() && i128::from(instalment) < total_cents)
    {
        return PlanOutcome::Infeasible(Infeasibility::NoCapacity {
            capacity: capacity.max(Money::ZERO),
            min_instalment: policy.min_instalment,
            total,
        });
    }
    let instalment_wide = i128::from(instalment);
    let months_wide = (total_cents + instalment_wide - 1) / instalment_wide;
    let Some(months_needed) = u32::try_from(months_wide)
        .ok()
        .filter(|&months| months <= policy.max_term_months)
    else {
        return PlanOutcome::Infeasible(Infeasibility::ExceedsMaximumTerm {
            total,
            capacity,
            months_needed: u64::try_from(months_wide).unwrap_or(u64::MAX),
            max_term: policy.max_term_months,
        });
    };

    let mut creditors = creditor_states(&claims, ranks);
    let mut months = Vec::with_capacity(months_needed as usize);
    // At most the maximum term times one instalment now: within 64 bits.
    let mut left = i64::try_from(total_cents).unwrap_or(i64::MAX);
    for number in 1..=months_needed {
        let amount = instalment.min(left);
        let parties: Vec<Party<'_>> = creditors
            .iter()
            .map(|c| Party {
                key: c.code,
                remaining: c.remaining(),
                rank: c.rank,
            })
            .collect();
        let split = match policy.split {
            SplitStrategy::ProRata => pro_rata(amount, &parties),
            SplitStrategy::Preferential => preferential(amount, &parties),
        };
        let shares = creditors
            .iter_mut()
            .zip(split)
            .filter(|(_, share)| *share > 0)
            .map(|(creditor, share)| CreditorShare {
                creditor: creditor.code.to_owned(),
                amount: Money::from_cents(share),
                claims: creditor.pay(share),
            })
            .collect();
        left -= amount;
        months.push(ScheduledMonth {
            number,
            due_date: first_due
                .checked_add_months(Months::new(number - 1))
                .unwrap_or(NaiveDate::MAX),
            amount: Money::from_cents(amount),
            shares,
        });
    }
    PlanOutcome::Feasible(Schedule {
        instalment: Money::from_cents(instalment),
        term_months: months_needed,
        total,
        first_due,
        months,
    })
}

/// Creditors in code order, each with its claims oldest first: the order that makes the plan
/// independent of the order of the input.
fn creditor_states<'a>(
    claims: &[&'a EligibleClaim],
    ranks: &BTreeMap<String, u32>,
) -> Vec<CreditorState<'a>> {
    let mut by_creditor: BTreeMap<&'a str, Vec<ClaimState<'a>>> = BTreeMap::new();
    for claim in claims {
        by_creditor
            .entry(claim.creditor.as_str())
            .or_default()
            .push(ClaimState {
                claim,
                remaining: claim.outstanding.cents(),
            });
    }
    by_creditor
        .into_iter()
        .map(|(code, mut claims)| {
            claims.sort_by(|a, b| {
                (a.claim.due_date, &a.claim.claim_id).cmp(&(b.claim.due_date, &b.claim.claim_id))
            });
            CreditorState {
                code,
                rank: ranks.get(code).copied(),
                claims,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::testing::d;
    use proptest::prelude::*;

    fn claim(id: &str, creditor: &str, cents: i64, due: NaiveDate) -> EligibleClaim {
        EligibleClaim {
            claim_id: id.into(),
            claim_key: format!("K-{id}"),
            creditor: creditor.into(),
            outstanding: Money::from_cents(cents),
            due_date: due,
        }
    }

    #[test]
    fn more_claims_than_64_bit_cents_can_sum_are_beyond_any_term_not_an_overflow() {
        let most = crate::domain::claims::MAX_CLAIM_TOTAL_CENTS;
        let claims: Vec<EligibleClaim> = (0..93_000)
            .map(|i| claim(&i.to_string(), "CJIB", most, d(2026, 1, 1)))
            .collect();
        let policy = Policy::default();
        let outcome = plan(
            &claims,
            Money::from_cents(most),
            &policy,
            &BTreeMap::new(),
            d(2026, 7, 1),
        );
        assert!(
            matches!(
                outcome,
                PlanOutcome::Infeasible(Infeasibility::ExceedsMaximumTerm { .. })
            ),
            "{outcome:?}"
        );
    }

    fn feasible(outcome: PlanOutcome) -> Schedule {
        match outcome {
            PlanOutcome::Feasible(s) => s,
            PlanOutcome::Infeasible(why) => panic!("infeasible: {why:?}"),
        }
    }

    fn shares(month: &ScheduledMonth) -> Vec<(&str, i64)> {
        month
            .shares
            .iter()
            .map(|s| (s.creditor.as_str(), s.amount.cents()))
            .collect()
    }

    #[test]
    fn a_two_creditor_split_is_pro_rata_with_the_odd_cent_deterministic() {
        // 100.00 at CJIB and 200.00 at DUO, capacity 100.01: month 1 splits 10001 cents 1:2 as
        // 3333.667 / 6667.333 → 3333 + 6667 = 10000, the leftover cent to the larger remainder
        // (CJIB, .667) → 33.34 / 66.67.
        let claims = [
            claim("1", "CJIB", 10_000, d(2026, 1, 1)),
            claim("2", "DUO", 20_000, d(2026, 1, 1)),
        ];
        let schedule = feasible(plan(
            &claims,
            Money::from_cents(10_001),
            &Policy::default(),
            &BTreeMap::new(),
            d(2026, 7, 1),
        ));
        assert_eq!(schedule.term_months, 3);
        assert_eq!(
            shares(&schedule.months[0]),
            [("CJIB", 3_334), ("DUO", 6_667)]
        );
        assert_eq!(
            schedule.months[2].amount.cents(),
            30_000 - 2 * 10_001,
            "the last month pays the rest"
        );
        assert_eq!(schedule.months[2].due_date, d(2026, 9, 1));
        let totals = schedule.creditor_totals();
        assert_eq!(
            (totals["CJIB"].cents(), totals["DUO"].cents()),
            (10_000, 20_000)
        );
    }

    #[test]
    fn a_paid_off_creditor_drops_out_and_its_share_goes_to_the_others() {
        // Pro rata to the remaining balance: a creditor is paid off in the last month at the latest,
        // so shares shift to the others as small creditors finish; here a tiny claim.
        let claims = [
            claim("1", "CAK", 150, d(2026, 1, 1)),
            claim("2", "DUO", 99_850, d(2026, 1, 1)),
        ];
        let schedule = feasible(plan(
            &claims,
            Money::from_cents(50_000),
            &Policy::default(),
            &BTreeMap::new(),
            d(2026, 7, 1),
        ));
        // Month 1: 500.00 over 1.50 : 998.50 → 0.75 / 499.25; month 2 pays the rest of both.
        assert_eq!(shares(&schedule.months[0]), [("CAK", 75), ("DUO", 49_925)]);
        assert_eq!(shares(&schedule.months[1]), [("CAK", 75), ("DUO", 49_925)]);
        let preferential = Policy {
            split: SplitStrategy::Preferential,
            ..Policy::default()
        };
        let ranks = BTreeMap::from([("CAK".to_owned(), 1)]);
        let schedule = feasible(plan(
            &claims,
            Money::from_cents(50_000),
            &preferential,
            &ranks,
            d(2026, 7, 1),
        ));
        assert_eq!(shares(&schedule.months[0]), [("CAK", 150), ("DUO", 49_850)]);
        assert_eq!(
            shares(&schedule.months[1]),
            [("DUO", 50_000)],
            "CAK paid off, dropped out"
        );
    }

    #[test]
    fn only_a_last_month_smaller_than_the_instalment_is_named() {
        let policy = Policy::default();
        let claims = [claim("V-1", "CJIB", 193_851, d(2026, 1, 1))];
        let planned = |capacity: i64| match plan(
            &claims,
            Money::from_cents(capacity),
            &policy,
            &BTreeMap::new(),
            d(2027, 1, 1),
        ) {
            PlanOutcome::Feasible(schedule) => schedule,
            other => panic!("{other:?}"),
        };
        // Twelve months of 151.51 and a thirteenth of the 120.39 left.
        let uneven = planned(15_151);
        assert_eq!(
            (uneven.term_months, uneven.smaller_last()),
            (13, Some(Money::from_cents(12_039)))
        );
        assert_eq!(planned(193_851).smaller_last(), None, "one month of all");
        assert_eq!(planned(64_617).smaller_last(), None, "three equal months");
    }

    #[test]
    fn the_first_instalment_is_due_on_the_first_of_next_month() {
        assert_eq!(first_due_after(d(2026, 6, 15)), d(2026, 7, 1));
        assert_eq!(first_due_after(d(2026, 12, 31)), d(2027, 1, 1));
        assert_eq!(first_due_after(d(2026, 1, 1)), d(2026, 2, 1));
    }

    #[test]
    fn within_a_creditor_the_claim_due_longest_ago_is_paid_first() {
        let claims = [
            claim("new", "CJIB", 10_000, d(2026, 5, 1)),
            claim("old", "CJIB", 5_000, d(2026, 1, 1)),
        ];
        let schedule = feasible(plan(
            &claims,
            Money::from_cents(6_000),
            &Policy::default(),
            &BTreeMap::new(),
            d(2026, 7, 1),
        ));
        let first: Vec<_> = schedule.months[0].shares[0]
            .claims
            .iter()
            .map(|p| (p.claim_id.as_str(), p.amount.cents()))
            .collect();
        assert_eq!(first, [("old", 5_000), ("new", 1_000)]);
    }

    #[test]
    fn no_capacity_or_too_little_is_not_an_arrangement() {
        let claims = [claim("1", "CJIB", 100_000, d(2026, 1, 1))];
        let none = plan(
            &claims,
            Money::ZERO,
            &Policy::default(),
            &BTreeMap::new(),
            d(2026, 7, 1),
        );
        assert!(matches!(
            none,
            PlanOutcome::Infeasible(Infeasibility::NoCapacity { .. })
        ));
        let little = plan(
            &claims,
            Money::from_cents(999),
            &Policy::default(),
            &BTreeMap::new(),
            d(2026, 7, 1),
        );
        assert!(matches!(
            little,
            PlanOutcome::Infeasible(Infeasibility::NoCapacity { .. })
        ));
        // A debt below the minimum that fits in one month is payable.
        let small = [claim("1", "CJIB", 500, d(2026, 1, 1))];
        let schedule = feasible(plan(
            &small,
            Money::from_cents(999),
            &Policy::default(),
            &BTreeMap::new(),
            d(2026, 7, 1),
        ));
        assert_eq!(
            (schedule.term_months, schedule.instalment.cents()),
            (1, 500)
        );
        let nothing = plan(
            &[],
            Money::from_cents(999),
            &Policy::default(),
            &BTreeMap::new(),
            d(2026, 7, 1),
        );
        assert_eq!(
            nothing,
            PlanOutcome::Infeasible(Infeasibility::NothingEligible)
        );
    }

    /// One CJIB claim of `cents`, planned at 100.00 a month.
    fn at_100_a_month(cents: i64) -> PlanOutcome {
        plan(
            &[claim("1", "CJIB", cents, d(2026, 1, 1))],
            Money::from_cents(10_000),
            &Policy::default(),
            &BTreeMap::new(),
            d(2026, 7, 1),
        )
    }

    #[test]
    fn a_debt_beyond_any_term_is_told_with_the_months_it_really_needs() {
        // 999 999 999 999.99 at 100.00 a month: ten billion months, beyond 32 bits.
        let PlanOutcome::Infeasible(why) = at_100_a_month(99_999_999_999_999) else {
            panic!("no schedule");
        };
        assert!(
            matches!(
                why,
                Infeasibility::ExceedsMaximumTerm {
                    months_needed: 10_000_000_000,
                    ..
                }
            ),
            "{why:?}"
        );
        assert!(
            why.explanation(Addressee::Person)
                .contains("10000000000 maanden")
        );
    }

    #[test]
    fn a_debt_needing_more_than_the_maximum_term_is_not_proposed() {
        // 3601.00 at 100.00 a month needs 37 months.
        let outcome = at_100_a_month(360_100);
        assert_eq!(
            outcome,
            PlanOutcome::Infeasible(Infeasibility::ExceedsMaximumTerm {
                total: Money::from_cents(360_100),
                capacity: Money::from_cents(10_000),
                months_needed: 37,
                max_term: 36,
            })
        );
        let exactly = [claim("1", "CJIB", 360_000, d(2026, 1, 1))];
        let schedule = feasible(plan(
            &exactly,
            Money::from_cents(10_000),
            &Policy::default(),
            &BTreeMap::new(),
            d(2026, 7, 1),
        ));
        assert_eq!(schedule.term_months, 36);
        assert_eq!(schedule.last_due(), Some(d(2029, 6, 1)));
    }

    #[test]
    fn every_infeasibility_advises_municipal_debt_help() {
        for why in [
            Infeasibility::NoCapacity {
                capacity: Money::ZERO,
                min_instalment: Money::from_cents(1000),
                total: Money::from_cents(1),
            },
            Infeasibility::NoCapacity {
                capacity: Money::from_cents(5),
                min_instalment: Money::from_cents(1000),
                total: Money::from_cents(9000),
            },
            Infeasibility::ExceedsMaximumTerm {
                total: Money::from_cents(1),
                capacity: Money::from_cents(1),
                months_needed: 40,
                max_term: 36,
            },
        ] {
            assert!(
                why.explanation(Addressee::Person)
                    .contains("schuldhulpverlening van uw gemeente"),
                "{}",
                why.code()
            );
            let to_counsellor = why.explanation(Addressee::Counsellor);
            assert!(
                to_counsellor.contains("schuldhulpverlening van de gemeente")
                    && !to_counsellor.contains(" uw gemeente")
                    && !to_counsellor.contains("U kunt"),
                "about the client, to the counsellor: {to_counsellor}"
            );
        }
    }

    fn arb_claims() -> impl Strategy<Value = Vec<EligibleClaim>> {
        proptest::collection::vec((0usize..10, 1i64..5_000_000, 0u32..400), 1..60).prop_map(|raw| {
            raw.into_iter()
                .enumerate()
                .map(|(i, (creditor, cents, age))| {
                    claim(
                        &format!("C{i:02}"),
                        &format!("SE{creditor}"),
                        cents,
                        d(2025, 1, 1) + chrono::Days::new(u64::from(age)),
                    )
                })
                .collect()
        })
    }

    proptest! {
        #[test]
        fn schedules_pay_every_claim_exactly_and_never_exceed_capacity(
            claims in arb_claims(),
            capacity in 1i64..5_000_000,
            preferential in any::<bool>(),
            rank_seed in any::<u64>(),
        ) {
            let policy = Policy {
                max_term_months: 36,
                min_instalment: Money::from_cents(1000),
                split: if preferential { SplitStrategy::Preferential } else { SplitStrategy::ProRata },
            };
            let ranks: BTreeMap<String, u32> = (0..10)
                .filter(|i| (rank_seed >> i) & 1 == 1)
                .map(|i| (format!("SE{i}"), (rank_seed >> (i + 10)) as u32 % 3))
                .collect();
            let capacity = Money::from_cents(capacity);
            let outcome = plan(&claims, capacity, &policy, &ranks, d(2026, 7, 1));
            let mut shuffled = claims.clone();
            shuffled.reverse();
            prop_assert_eq!(&outcome, &plan(&shuffled, capacity, &policy, &ranks, d(2026, 7, 1)), "input order does not matter");
            let PlanOutcome::Feasible(schedule) = outcome else { return Ok(()) };
            prop_assert!(schedule.term_months <= 36);
            let mut paid: BTreeMap<&str, i64> = BTreeMap::new();
            for month in &schedule.months {
                prop_assert!(month.amount <= capacity);
                prop_assert_eq!(month.shares.iter().map(|s| s.amount).sum::<Money>(), month.amount);
                for share in &month.shares {
                    prop_assert!(share.amount.is_positive());
                    prop_assert_eq!(share.claims.iter().map(|c| c.amount).sum::<Money>(), share.amount);
                    for payment in &share.claims {
                        prop_assert!(payment.amount.is_positive());
                        *paid.entry(payment.claim_id.as_str()).or_default() += payment.amount.cents();
                    }
                }
            }
            for claim in &claims {
                prop_assert_eq!(paid.get(claim.claim_id.as_str()).copied().unwrap_or(0), claim.outstanding.cents());
            }
            if preferential {
                // A creditor gets something in a month only if every better-ranked creditor is paid
                // off by the end of that month.
                let rank = |code: &str| ranks.get(code).copied().unwrap_or(u32::MAX);
                let owed = |code: &str| claims.iter().filter(|c| c.creditor == code).map(|c| c.outstanding.cents()).sum::<i64>();
                let mut received: BTreeMap<&str, i64> = BTreeMap::new();
                for month in &schedule.months {
                    for share in &month.shares {
                        *received.entry(share.creditor.as_str()).or_default() += share.amount.cents();
                    }
                    for share in &month.shares {
                        for other in claims.iter().map(|c| c.creditor.as_str()) {
                            if rank(other) < rank(&share.creditor) {
                                prop_assert_eq!(received.get(other).copied().unwrap_or(0), owed(other));
                            }
                        }
                    }
                }
            }
        }
    }
}
