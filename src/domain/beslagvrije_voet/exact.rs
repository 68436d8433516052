//! Exact arithmetic for the beslagvrije voet: the constants the law writes, and checked
//! operations so that no input, however large, makes a computation panic.

use rust_decimal::Decimal;

use super::engine::NormError;
use crate::domain::money::Money;

pub(super) const fn dec(mantissa: u32, scale: u32) -> Decimal {
    Decimal::from_parts(mantissa, 0, 0, false, scale)
}

/// 95 %: the first term of art. 475da lid 2 Rv, and the cap of art. 475dc lid 1 Rv.
pub(super) const NINETY_FIVE_PERCENT: Decimal = dec(95, 2);
/// The drempelinkomen is 108 % of twelve times the monthly minimum wage (art. 1 lid 1 onderdeel f
/// Wet op de zorgtoeslag).
pub(super) const THRESHOLD_SHARE: Decimal = dec(108, 2);
/// Months in a year: art. 475da lid 2 Rv divides yearly amounts by 12.
pub(super) const MONTHS: Decimal = dec(12, 0);
/// Percentages are stored as their percentage number.
pub(super) const HUNDRED: Decimal = dec(100, 0);
/// Art. 475da lid 5 Rv: housing costs "ten minste 10% meer" than H, raised by what exceeds H
/// "vermeerderd met 10% ophoging".
pub(super) const HOUSING_MARGIN: Decimal = dec(110, 2);
/// Art. 2 lid 1 Wet op de zorgtoeslag: for a verzekerde with a partner, twice the standaardpremie.
pub(super) const TWO: Decimal = dec(2, 0);

pub(super) fn add(a: Decimal, b: Decimal) -> Result<Decimal, NormError> {
    a.checked_add(b).ok_or(NormError::Overflow)
}

pub(super) fn sub(a: Decimal, b: Decimal) -> Result<Decimal, NormError> {
    a.checked_sub(b).ok_or(NormError::Overflow)
}

pub(super) fn mul(a: Decimal, b: Decimal) -> Result<Decimal, NormError> {
    a.checked_mul(b).ok_or(NormError::Overflow)
}

pub(super) fn div(a: Decimal, b: Decimal) -> Result<Decimal, NormError> {
    a.checked_div(b).ok_or(NormError::Overflow)
}

/// `amount × percentage / 12 / 100`, multiplying first so that exact values stay exact.
pub(super) fn monthly_share(amount: Decimal, percentage: Decimal) -> Result<Decimal, NormError> {
    div(mul(amount, percentage)?, mul(MONTHS, HUNDRED)?)
}

pub(super) fn money_sum(amounts: impl IntoIterator<Item = Money>) -> Result<Money, NormError> {
    let mut total = Decimal::ZERO;
    for amount in amounts {
        total = add(total, amount.as_decimal())?;
    }
    Ok(Money::round(total))
}
