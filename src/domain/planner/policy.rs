//! Policy parameters of a proposal and the monthly capacity.

use crate::domain::money::Money;

/// How each month's instalment is divided over the creditors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SplitStrategy {
    /// In proportion to what each creditor is still owed (ponds-ponds-gewijs).
    ProRata,
    /// Creditors by rank in the registry (lower first); equal ranks pro rata; unranked last.
    Preferential,
}

impl SplitStrategy {
    pub fn code(self) -> &'static str {
        match self {
            SplitStrategy::ProRata => "PONDSGEWIJS",
            SplitStrategy::Preferential => "PREFERENT",
        }
    }

    pub fn from_code(code: &str) -> Option<SplitStrategy> {
        [SplitStrategy::ProRata, SplitStrategy::Preferential]
            .into_iter()
            .find(|s| s.code() == code)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    pub max_term_months: u32,
    /// An instalment below this is not worth the administration, unless it pays everything.
    pub min_instalment: Money,
    pub split: SplitStrategy,
}

impl Default for Policy {
    /// 36 months: the longest term the Betalingsregeling Rijk proposes; €10.00 minimum instalment;
    /// pro rata, as in every collective settlement unless creditors are preferential.
    fn default() -> Policy {
        Policy {
            max_term_months: 36,
            min_instalment: Money::from_cents(1000),
            split: SplitStrategy::ProRata,
        }
    }
}

/// What can go to the arrangement per month: net income − norm − running attachments − other
/// running arrangements, never below zero.
pub fn capacity(
    net_income: Money,
    norm: Money,
    attachments: Money,
    other_arrangements: Money,
) -> Money {
    (net_income - norm - attachments - other_arrangements).max(Money::ZERO)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capacity_subtracts_everything_running_and_never_goes_negative() {
        let m = |s: &str| Money::parse(s).unwrap();
        assert_eq!(
            capacity(m("2000.00"), m("1300.61"), m("100.00"), m("50.00")),
            m("549.39")
        );
        assert_eq!(
            capacity(m("1300.00"), m("1300.61"), Money::ZERO, Money::ZERO),
            Money::ZERO
        );
        assert_eq!(
            capacity(m("2000.00"), m("1300.61"), m("699.39"), Money::ZERO),
            Money::ZERO
        );
    }
}
