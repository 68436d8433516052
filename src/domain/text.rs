//! Dutch wording for messages people read: amounts, dates, household types and lists as a
//! Dutch reader expects them (amounts in JSON stay "1234.50").

use chrono::{Datelike, NaiveDate};

use super::household::HouseholdType;
use super::money::Money;

const MONTHS: [&str; 12] = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
];

/// `€ 1.234,50`; a negative amount `€ -1.234,50`, as the Dutch locale writes it (CLDR `nl`).
pub fn euro(amount: Money) -> String {
    let cents = amount.cents();
    let magnitude = cents.unsigned_abs();
    let digits = (magnitude / 100).to_string();
    let mut whole = String::with_capacity(digits.len() + digits.len() / 3);
    for (position, digit) in digits.chars().enumerate() {
        if position > 0 && (digits.len() - position).is_multiple_of(3) {
            whole.push('.');
        }
        whole.push(digit);
    }
    let sign = if cents < 0 { "-" } else { "" };
    format!("€ {sign}{whole},{:02}", magnitude % 100)
}

/// `1 maart 2026`.
pub fn date(day: NaiveDate) -> String {
    let month = MONTHS
        .get(day.month0() as usize)
        .copied()
        .unwrap_or_default();
    format!("{} {month} {}", day.day(), day.year())
}

pub fn household(household: HouseholdType) -> &'static str {
    match household {
        HouseholdType::Single => "alleenstaande",
        HouseholdType::SingleParent => "alleenstaande ouder",
        HouseholdType::MarriedOrCohabiting => "gehuwd of samenwonend",
    }
}

/// `1 maand`, `3 maanden`: a count with its noun in the singular or the plural.
pub fn counted(count: impl Into<u64>, one: &str, many: &str) -> String {
    match count.into() {
        1 => format!("1 {one}"),
        n => format!("{n} {many}"),
    }
}

/// `a`, `a en b`, `a, b en c`.
pub fn list<S: AsRef<str>>(items: &[S]) -> String {
    match items {
        [] => String::new(),
        [only] => only.as_ref().to_owned(),
        [init @ .., last] => {
            let init: Vec<&str> = init.iter().map(AsRef::as_ref).collect();
            format!("{} en {}", init.join(", "), last.as_ref())
        }
    }
}

/// Free text a problem may repeat: a run of eight or more digits (a client that keyed a map or
/// a claim by BSN) becomes `(getal)`, as no problem repeats a BSN.
pub fn without_long_numbers(text: &str) -> String {
    let mut named = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(|c: char| c.is_ascii_digit()) {
        named.push_str(&rest[..start]);
        let digits = rest[start..]
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len() - start);
        let run = &rest[start..start + digits];
        named.push_str(if digits >= 8 { "(getal)" } else { run });
        rest = &rest[start + digits..];
    }
    named.push_str(rest);
    named
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_is_counted_in_the_singular() {
        assert_eq!(counted(1u32, "maand", "maanden"), "1 maand");
        assert_eq!(counted(0u32, "maand", "maanden"), "0 maanden");
        assert_eq!(counted(36u32, "maand", "maanden"), "36 maanden");
    }

    #[test]
    fn euro_amounts_use_dutch_separators_and_two_decimals() {
        assert_eq!(euro(Money::from_cents(0)), "€ 0,00");
        assert_eq!(euro(Money::from_cents(5)), "€ 0,05");
        assert_eq!(euro(Money::from_cents(123_450)), "€ 1.234,50");
        assert_eq!(euro(Money::from_cents(100_000_000)), "€ 1.000.000,00");
        assert_eq!(euro(Money::from_cents(-99_901)), "€ -999,01");
    }

    #[test]
    fn dates_are_written_out_in_dutch() {
        let day = NaiveDate::from_ymd_opt(2026, 3, 1).expect("valid date");
        assert_eq!(date(day), "1 maart 2026");
    }

    #[test]
    fn lists_join_the_last_item_with_en() {
        assert_eq!(list::<&str>(&[]), "");
        assert_eq!(list(&["a"]), "a");
        assert_eq!(list(&["a", "b"]), "a en b");
        assert_eq!(list(&["a", "b", "c"]), "a, b en c");
    }

    #[test]
    fn long_numbers_are_not_repeated() {
        assert_eq!(without_long_numbers("a.12345678"), "a.(getal)");
        assert_eq!(without_long_numbers("999990019"), "(getal)");
        assert_eq!(without_long_numbers("a1234567b"), "a1234567b");
        assert_eq!(without_long_numbers("CJIB-2026-1"), "CJIB-2026-1");
    }
}
