//! Folding a claim's events into what is owed: outstanding = imposed + surcharges − payments
//! (less those booked back) − remissions; a withdrawn claim owes nothing.

use chrono::NaiveDate;

use super::event::{ClaimEvent, Phase};
use crate::domain::money::Money;
use crate::domain::text::euro;

/// Upper bound on what one claim can total (imposed plus surcharges), so that sums over all of a
/// person's claims stay exact in 64-bit cents.
pub const MAX_CLAIM_TOTAL_CENTS: i64 = 99_999_999_999_999;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Withdrawal {
    pub date: NaiveDate,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ledger {
    pub original: Money,
    pub surcharges: Money,
    /// What was paid, less what was booked back.
    pub paid: Money,
    pub remitted: Money,
    pub withdrawal: Option<Withdrawal>,
    pub phase: Phase,
    pub disputed: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimStatus {
    /// Something is still owed.
    Open,
    /// Paid or remitted in full.
    Settled,
    /// Withdrawn by the creditor: nothing is owed.
    Withdrawn,
}

impl ClaimStatus {
    pub fn code(self) -> &'static str {
        match self {
            ClaimStatus::Open => "OPENSTAAND",
            ClaimStatus::Settled => "VOLDAAN",
            ClaimStatus::Withdrawn => "INGETROKKEN",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LedgerError {
    #[error(
        "deze vordering bestaat al; een correctie is een nieuwe gebeurtenis van een ander type"
    )]
    AlreadyImposed,
    #[error("deze vordering is niet bekend; eerst moet een VorderingOpgelegd-gebeurtenis komen")]
    Unknown,
    #[error("deze vordering is ingetrokken; er kunnen geen gebeurtenissen meer bij")]
    Withdrawn,
    #[error(
        "bedrag {} is meer dan het openstaande bedrag {}; het openstaande bedrag zou negatief worden", euro(*.amount), euro(*.outstanding)
    )]
    ExceedsOutstanding { amount: Money, outstanding: Money },
    #[error(
        "bedrag {} is meer dan er op deze vordering betaald is ({}); alleen een verwerkte betaling kan worden teruggeboekt", euro(*.amount), euro(*.paid)
    )]
    ExceedsPaid { amount: Money, paid: Money },
    #[error("het totaal van deze vordering wordt groter dan de toegestane grens")]
    TooLarge,
    #[error(
        "de teruggeboekte betaling is niet bekend bij deze vordering; betalingskenmerk moet het gebeurteniskenmerk zijn van een BetalingVerwerkt op deze vordering"
    )]
    UnknownPayment,
    #[error(
        "bedrag {} is meer dan er van die betaling nog niet is teruggeboekt ({})", euro(*.amount), euro(*.left)
    )]
    ExceedsPayment { amount: Money, left: Money },
    #[error("de datum {date} ligt vóór de dag van de betaling die wordt teruggeboekt ({paid_on})")]
    BeforePayment { date: NaiveDate, paid_on: NaiveDate },
    #[error("de datum {date} ligt vóór de dag waarop de vordering is opgelegd ({imposed_on})")]
    BeforeImposed {
        date: NaiveDate,
        imposed_on: NaiveDate,
    },
}

impl Ledger {
    pub fn open(amount: Money) -> Ledger {
        Ledger {
            original: amount,
            surcharges: Money::ZERO,
            paid: Money::ZERO,
            remitted: Money::ZERO,
            withdrawal: None,
            phase: Phase::Inning,
            disputed: false,
        }
    }

    pub fn outstanding(&self) -> Money {
        if self.withdrawal.is_some() {
            Money::ZERO
        } else {
            self.original + self.surcharges - self.paid - self.remitted
        }
    }

    pub fn status(&self) -> ClaimStatus {
        if self.withdrawal.is_some() {
            ClaimStatus::Withdrawn
        } else if self.outstanding().is_positive() {
            ClaimStatus::Open
        } else {
            ClaimStatus::Settled
        }
    }

    /// Applies an event to an existing claim. The ledger is unchanged when the event is refused.
    /// A withdrawn claim takes no more events.
    pub fn check_takes_events(&self) -> Result<(), LedgerError> {
        match self.withdrawal {
            Some(_) => Err(LedgerError::Withdrawn),
            None => Ok(()),
        }
    }

    pub fn apply(&mut self, event: &ClaimEvent) -> Result<(), LedgerError> {
        self.check_takes_events()?;
        match event {
            ClaimEvent::Imposed(_) => return Err(LedgerError::AlreadyImposed),
            ClaimEvent::Surcharge { amount, .. } => {
                let total = self.original + self.surcharges + *amount;
                if total.cents() > MAX_CLAIM_TOTAL_CENTS {
                    return Err(LedgerError::TooLarge);
                }
                self.surcharges += *amount;
            }
            ClaimEvent::Payment { amount, .. } => {
                self.check_reduction(*amount)?;
                self.paid += *amount;
            }
            ClaimEvent::PaymentReversal { amount, .. } => {
                if *amount > self.paid {
                    return Err(LedgerError::ExceedsPaid {
                        amount: *amount,
                        paid: self.paid,
                    });
                }
                self.paid -= *amount;
            }
            ClaimEvent::Remission { amount, .. } => {
                self.check_reduction(*amount)?;
                self.remitted += *amount;
            }
            ClaimEvent::Withdrawal { date, reason } => {
                self.withdrawal = Some(Withdrawal {
                    date: *date,
                    reason: reason.clone(),
                });
            }
            ClaimEvent::PhaseChange { phase, disputed } => {
                self.phase = *phase;
                self.disputed = *disputed;
            }
        }
        Ok(())
    }

    fn check_reduction(&self, amount: Money) -> Result<(), LedgerError> {
        let outstanding = self.outstanding();
        if amount > outstanding {
            Err(LedgerError::ExceedsOutstanding {
                amount,
                outstanding,
            })
        } else {
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::claims::SurchargeCategory;
    use crate::domain::testing::m;
    use proptest::prelude::*;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()
    }

    fn surcharge(amount: &str) -> ClaimEvent {
        ClaimEvent::Surcharge {
            category: SurchargeCategory::Verhoging,
            amount: m(amount),
            date: day(),
            description: "verhoging".into(),
        }
    }

    #[test]
    fn outstanding_is_imposed_plus_surcharges_minus_payments_and_remissions() {
        let mut ledger = Ledger::open(m("100.00"));
        ledger.apply(&surcharge("25.50")).unwrap();
        ledger
            .apply(&ClaimEvent::Payment {
                amount: m("40.00"),
                date: day(),
            })
            .unwrap();
        ledger
            .apply(&ClaimEvent::Remission {
                amount: m("10.25"),
                date: day(),
            })
            .unwrap();
        assert_eq!(ledger.outstanding(), m("75.25"));
        assert_eq!(ledger.status(), ClaimStatus::Open);
    }

    #[test]
    fn paying_exactly_the_outstanding_amount_settles_and_one_cent_more_is_refused() {
        let mut ledger = Ledger::open(m("50.00"));
        let too_much = ClaimEvent::Payment {
            amount: m("50.01"),
            date: day(),
        };
        assert_eq!(
            ledger.apply(&too_much),
            Err(LedgerError::ExceedsOutstanding {
                amount: m("50.01"),
                outstanding: m("50.00")
            })
        );
        assert_eq!(
            ledger.outstanding(),
            m("50.00"),
            "a refused event changes nothing"
        );
        ledger
            .apply(&ClaimEvent::Payment {
                amount: m("50.00"),
                date: day(),
            })
            .unwrap();
        assert_eq!(ledger.status(), ClaimStatus::Settled);
        assert!(
            ledger
                .apply(&ClaimEvent::Remission {
                    amount: m("0.01"),
                    date: day()
                })
                .is_err()
        );
    }

    #[test]
    fn a_withdrawn_claim_owes_nothing_and_takes_no_more_events() {
        let mut ledger = Ledger::open(m("80.00"));
        ledger
            .apply(&ClaimEvent::Withdrawal {
                date: day(),
                reason: "onterecht".into(),
            })
            .unwrap();
        assert_eq!(ledger.outstanding(), Money::ZERO);
        assert_eq!(ledger.status(), ClaimStatus::Withdrawn);
        assert_eq!(
            ledger.apply(&surcharge("1.00")),
            Err(LedgerError::Withdrawn)
        );
    }

    fn reversal(amount: &str) -> ClaimEvent {
        ClaimEvent::PaymentReversal {
            payment_key: "B-1".into(),
            amount: m(amount),
            date: day(),
            reason: "storno".into(),
        }
    }

    #[test]
    fn a_payment_booked_back_is_owed_again_and_reopens_a_settled_claim() {
        let mut ledger = Ledger::open(m("60.00"));
        ledger
            .apply(&ClaimEvent::Payment {
                amount: m("60.00"),
                date: day(),
            })
            .unwrap();
        assert_eq!(ledger.status(), ClaimStatus::Settled);
        ledger.apply(&reversal("25.00")).unwrap();
        assert_eq!(ledger.paid, m("35.00"));
        assert_eq!(ledger.outstanding(), m("25.00"));
        assert_eq!(ledger.status(), ClaimStatus::Open);
    }

    #[test]
    fn no_more_can_be_booked_back_than_was_paid() {
        let mut ledger = Ledger::open(m("60.00"));
        assert_eq!(
            ledger.apply(&reversal("0.01")),
            Err(LedgerError::ExceedsPaid {
                amount: m("0.01"),
                paid: Money::ZERO
            })
        );
        ledger
            .apply(&ClaimEvent::Payment {
                amount: m("10.00"),
                date: day(),
            })
            .unwrap();
        assert!(ledger.apply(&reversal("10.01")).is_err());
        assert_eq!(ledger.paid, m("10.00"), "a refused event changes nothing");
        ledger.apply(&reversal("10.00")).unwrap();
        assert_eq!(ledger.outstanding(), m("60.00"));
    }

    #[test]
    fn phase_change_records_phase_and_dispute() {
        let mut ledger = Ledger::open(m("1.00"));
        ledger
            .apply(&ClaimEvent::PhaseChange {
                phase: Phase::Dwangbevel,
                disputed: true,
            })
            .unwrap();
        assert_eq!((ledger.phase, ledger.disputed), (Phase::Dwangbevel, true));
    }

    #[test]
    fn a_claim_cannot_grow_beyond_the_limit() {
        let mut ledger = Ledger::open(Money::from_cents(MAX_CLAIM_TOTAL_CENTS));
        assert_eq!(ledger.apply(&surcharge("0.01")), Err(LedgerError::TooLarge));
    }

    proptest! {
        #[test]
        fn outstanding_never_goes_negative_whatever_the_events(
            start in 1i64..1_000_000,
            steps in proptest::collection::vec((0u8..4, 1i64..500_000), 0..40),
        ) {
            let mut ledger = Ledger::open(Money::from_cents(start));
            let mut expected = start;
            let mut paid = 0;
            for (kind, cents) in steps {
                let amount = Money::from_cents(cents);
                let event = match kind {
                    0 => surcharge(&amount.to_string()),
                    1 => ClaimEvent::Payment { amount, date: day() },
                    2 => ClaimEvent::Remission { amount, date: day() },
                    _ => reversal(&amount.to_string()),
                };
                match (ledger.apply(&event), kind) {
                    (Ok(()), 0) => expected += cents,
                    (Ok(()), 1) => {
                        expected -= cents;
                        paid += cents;
                    }
                    (Ok(()), 2) => expected -= cents,
                    (Ok(()), _) => {
                        expected += cents;
                        paid -= cents;
                    }
                    (Err(_), 1 | 2) => prop_assert!(cents > expected),
                    (Err(_), 3) => prop_assert!(cents > paid),
                    (Err(e), _) => prop_assert!(false, "{e}"),
                }
                prop_assert_eq!(ledger.outstanding().cents(), expected);
                prop_assert_eq!(ledger.paid.cents(), paid);
                prop_assert!(!ledger.outstanding().is_negative());
                prop_assert!(!ledger.paid.is_negative());
            }
        }
    }
}
