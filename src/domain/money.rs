//! Money: euros with exactly two decimals, exact to the cent.
//!
//! In code an amount is a `rust_decimal::Decimal` held at scale 2; the database stores integer
//! cents and JSON carries a string such as `"1234.50"`. Never a float.

use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Neg, Sub, SubAssign};
use std::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Largest amount accepted as input: just under a trillion euros, so that sums over any
/// realistic number of amounts stay far inside `i64` cents.
pub const MAX_INPUT_EUROS_DIGITS: usize = 12;

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Money(Decimal);

/// Digits of euros a total over many amounts may have: what `i64` cents hold.
const MAX_TOTAL_EUROS_DIGITS: usize = 17;

/// An amount as the API documents it: what [`Money::parse`] reads (at most two decimals and
/// [`MAX_INPUT_EUROS_DIGITS`] digits of euros) and `Display` writes (always two decimals). A
/// total over many amounts may have more digits of euros, up to [`MAX_TOTAL_EUROS_DIGITS`].
pub struct Bedrag;

impl utoipa::PartialSchema for Bedrag {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        amount_schema(
            "Een bedrag in euro als tekst met een punt als decimaalteken, zoals \"1234.50\". \
             De dienst leest hoogstens twee decimalen en twaalf cijfers voor de punt, en \
             schrijft altijd precies twee decimalen; een totaal kan meer cijfers hebben.",
            MAX_TOTAL_EUROS_DIGITS,
            "-?",
        )
    }
}

impl utoipa::ToSchema for Bedrag {}

/// An amount a client sends: a [`Bedrag`] of at most [`MAX_INPUT_EUROS_DIGITS`] digits of euros,
/// never negative (every input refuses one: a correction is an event of its own type).
pub struct Invoerbedrag;

impl utoipa::PartialSchema for Invoerbedrag {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        amount_schema(
            "Een bedrag in euro als tekst met een punt als decimaalteken, zoals \"1234.50\": \
             hoogstens twaalf cijfers voor de punt en twee erna, nooit negatief.",
            MAX_INPUT_EUROS_DIGITS,
            "",
        )
    }
}

impl utoipa::ToSchema for Invoerbedrag {}

/// `sign`: what may precede the digits, as a pattern.
fn amount_schema(
    description: &str,
    max_euros_digits: usize,
    sign: &str,
) -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
    utoipa::openapi::schema::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .description(Some(description))
        .pattern(Some(format!(
            r"^{sign}[0-9]{{1,{max_euros_digits}}}(\.[0-9]{{1,2}})?$"
        )))
        .examples(["1234.50"])
        .into()
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyParseError {
    #[error(
        "bedrag moet een tekst zijn zoals \"12.50\": cijfers, een punt en hoogstens twee decimalen"
    )]
    Format,
    #[error("bedrag heeft meer dan twee decimalen")]
    TooManyDecimals,
    #[error("bedrag is te groot")]
    TooLarge,
}

impl Money {
    pub const ZERO: Money = Money(Decimal::from_parts(0, 0, 0, false, 2));

    pub fn from_cents(cents: i64) -> Money {
        Money(Decimal::new(cents, 2))
    }

    /// Rounds any decimal to the cent, half away from zero (the rounding the norm rules ask).
    pub fn round(value: Decimal) -> Money {
        let mut rounded = value.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
        rounded.rescale(2);
        Money(rounded)
    }

    /// Whole cents. Amounts are bounded at input, so this never saturates in practice; if it
    /// ever did, saturating is safer than wrapping.
    pub fn cents(self) -> i64 {
        let mantissa = self.0.mantissa();
        i64::try_from(mantissa).unwrap_or(if mantissa < 0 { i64::MIN } else { i64::MAX })
    }

    pub fn as_decimal(self) -> Decimal {
        self.0
    }

    pub fn is_zero(self) -> bool {
        self.0.is_zero()
    }

    pub fn is_negative(self) -> bool {
        self.0.is_sign_negative() && !self.0.is_zero()
    }

    pub fn is_positive(self) -> bool {
        self.0.is_sign_positive() && !self.0.is_zero()
    }

    /// This amount times `factor`, rounded to the cent half away from zero.
    pub fn times(self, factor: Decimal) -> Money {
        Money::round(self.0 * factor)
    }

    /// `self − other`, but never below zero.
    pub fn saturating_sub(self, other: Money) -> Money {
        (self - other).max(Money::ZERO)
    }

    /// Parses an input amount: digits, optionally a point and one or two decimals, optionally a
    /// leading minus, at most [`MAX_INPUT_EUROS_DIGITS`] digits of euros. Rejects exponents,
    /// thousands separators, commas and more than two decimals.
    pub fn parse(text: &str) -> Result<Money, MoneyParseError> {
        Money::parse_up_to(text, MAX_INPUT_EUROS_DIGITS)
    }

    /// Parses an amount as [`Money::parse`] does, with up to `max_euros_digits` digits of euros.
    fn parse_up_to(text: &str, max_euros_digits: usize) -> Result<Money, MoneyParseError> {
        let unsigned = text.strip_prefix('-').unwrap_or(text);
        let (whole, fraction) = match unsigned.split_once('.') {
            Some((whole, fraction)) => (whole, Some(fraction)),
            None => (unsigned, None),
        };
        let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !all_digits(whole) || fraction.is_some_and(|f| !all_digits(f)) {
            return Err(MoneyParseError::Format);
        }
        if fraction.is_some_and(|f| f.len() > 2) {
            return Err(MoneyParseError::TooManyDecimals);
        }
        if whole.trim_start_matches('0').len() > max_euros_digits {
            return Err(MoneyParseError::TooLarge);
        }
        let mut value = Decimal::from_str(text).map_err(|_| MoneyParseError::Format)?;
        value.rescale(2);
        Ok(Money(value))
    }
}

impl FromStr for Money {
    type Err = MoneyParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Money::parse(s)
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A decimal keeps the sign of a negated or rounded zero; no amount reads "-0.00".
        if self.0.is_zero() {
            return f.write_str("0.00");
        }
        write!(f, "{:.2}", self.0)
    }
}

impl fmt::Debug for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "€{self}")
    }
}

impl Add for Money {
    type Output = Money;
    fn add(self, rhs: Money) -> Money {
        Money(self.0 + rhs.0)
    }
}

impl Sub for Money {
    type Output = Money;
    fn sub(self, rhs: Money) -> Money {
        Money(self.0 - rhs.0)
    }
}

impl Neg for Money {
    type Output = Money;
    fn neg(self) -> Money {
        Money(-self.0)
    }
}

impl AddAssign for Money {
    fn add_assign(&mut self, rhs: Money) {
        self.0 += rhs.0;
    }
}

impl SubAssign for Money {
    fn sub_assign(&mut self, rhs: Money) {
        self.0 -= rhs.0;
    }
}

impl Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, Add::add)
    }
}

impl<'a> Sum<&'a Money> for Money {
    fn sum<I: Iterator<Item = &'a Money>>(iter: I) -> Money {
        iter.copied().sum()
    }
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// Reads an amount the service wrote itself (stored records, notifications). Not bounded as input
/// is: a sum or a shortfall computed from input amounts can exceed the input limit, by as much as
/// the number of amounts summed allows, and what was written must always read back.
impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Money::parse_up_to(&text, usize::MAX).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_negated_or_rounded_zero_reads_as_zero() {
        assert_eq!((-Money::ZERO).to_string(), "0.00");
        assert_eq!(Money::round(Decimal::new(-1, 3)).to_string(), "0.00");
        assert_eq!(
            Money::parse("-0.00").expect("an amount").to_string(),
            "0.00"
        );
        assert_eq!(Money::from_cents(-5).to_string(), "-0.05");
    }

    #[test]
    fn a_sum_beyond_the_input_limit_written_by_the_service_reads_back() {
        let most = Money::parse("999999999999.99").unwrap();
        let shortfall = most + most;
        let stored = serde_json::to_string(&shortfall).unwrap();
        assert_eq!(stored, "\"1999999999999.98\"");
        assert_eq!(serde_json::from_str::<Money>(&stored).unwrap(), shortfall);
        assert_eq!(
            Money::parse("1999999999999.98"),
            Err(MoneyParseError::TooLarge),
            "input keeps its limit"
        );
        let beyond_cents = "\"123456789012345678901.00\"";
        assert_eq!(
            serde_json::to_string(&serde_json::from_str::<Money>(beyond_cents).unwrap()).unwrap(),
            beyond_cents
        );
        assert!(serde_json::from_str::<Money>("\"1e3\"").is_err());
    }

    fn dec(s: &str) -> Decimal {
        s.parse().expect("test literal")
    }

    #[test]
    fn parses_whole_one_and_two_decimal_amounts_and_prints_two_decimals() {
        assert_eq!(Money::parse("12").unwrap().to_string(), "12.00");
        assert_eq!(Money::parse("12.5").unwrap().to_string(), "12.50");
        assert_eq!(Money::parse("0.07").unwrap().to_string(), "0.07");
        assert_eq!(Money::parse("-3.10").unwrap().to_string(), "-3.10");
        assert_eq!(Money::parse("1234.50").unwrap().cents(), 123_450);
    }

    #[test]
    fn rejects_anything_that_is_not_a_plain_decimal_amount() {
        for bad in [
            "", ".", "1.", ".5", "1,50", "1e3", "1.234", " 1", "1 ", "+1", "--1", "1.2.3", "€1",
        ] {
            assert!(Money::parse(bad).is_err(), "{bad:?} should be rejected");
        }
        assert_eq!(Money::parse("1.234"), Err(MoneyParseError::TooManyDecimals));
        assert_eq!(
            Money::parse("1000000000000"),
            Err(MoneyParseError::TooLarge)
        );
        assert!(Money::parse("999999999999.99").is_ok());
    }

    #[test]
    fn rounds_half_away_from_zero_to_the_cent() {
        assert_eq!(Money::round(dec("1.005")).to_string(), "1.01");
        assert_eq!(Money::round(dec("1.004999")).to_string(), "1.00");
        assert_eq!(Money::round(dec("-1.005")).to_string(), "-1.01");
        assert_eq!(
            Money::from_cents(140_150).times(dec("0.95")).to_string(),
            "1331.43"
        );
    }

    #[test]
    fn serializes_as_a_two_decimal_string() {
        let json = serde_json::to_string(&Money::from_cents(5)).unwrap();
        assert_eq!(json, "\"0.05\"");
        let back: Money = serde_json::from_str("\"0.5\"").unwrap();
        assert_eq!(back, Money::from_cents(50));
        assert!(serde_json::from_str::<Money>("0.5").is_err());
    }

    proptest! {
        #[test]
        fn cents_round_trip_through_text(cents in -99_999_999_999_999i64..99_999_999_999_999i64) {
            let money = Money::from_cents(cents);
            let parsed = Money::parse(&money.to_string()).unwrap();
            prop_assert_eq!(parsed, money);
            prop_assert_eq!(parsed.cents(), cents);
        }

        #[test]
        fn addition_and_subtraction_are_exact(a in -1_000_000_000i64..1_000_000_000, b in -1_000_000_000i64..1_000_000_000) {
            let (x, y) = (Money::from_cents(a), Money::from_cents(b));
            prop_assert_eq!((x + y).cents(), a + b);
            prop_assert_eq!((x - y).cents(), a - b);
            prop_assert_eq!((x + y).to_string(), Money::from_cents(a + b).to_string());
        }
    }
}
