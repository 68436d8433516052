//! Short constructors for the domain's tests: dates and amounts written as in the rules.

use chrono::NaiveDate;

use super::money::Money;

pub fn d(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("valid test date")
}

pub fn m(text: &str) -> Money {
    Money::parse(text).expect("test amount")
}
