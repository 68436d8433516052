//! The explanation of a result: steps a counsellor can recompute by hand, warnings, and what could
//! not be computed.
//!
//! Convention: every step before [`step::BESLAGVRIJE_VOET`] is a signed contribution; added up they
//! give the beslagvrije voet. A cap that bites (art. 475da lid 1, art. 475dc Rv) is a negative
//! contribution; a cap that does not bite is shown with € 0,00. Each step is rounded to the cent on
//! its own; where those rounded amounts do not add up to the result (which is computed exactly and
//! rounded once), a [`step::AFRONDING`] line makes up the difference.

use rust_decimal::Decimal;

use super::parameters::{Parameter, ParameterValue, Unit};
use crate::domain::money::Money;

/// Stable step codes.
pub mod step {
    /// 95 % × A or B (art. 475da lid 2 Rv).
    pub const EERSTE_TERM: &str = "EERSTE_TERM";
    /// ((C − D) / 12) × E, at most the amount of lid 3.
    pub const ZORGTOESLAGTERM: &str = "ZORGTOESLAGTERM";
    /// I × (F / 12) or I × (G / 12), or H − J if that is less.
    pub const HUURTOESLAGTERM: &str = "HUURTOESLAGTERM";
    /// ((C − D) / 12) × K, or ((C − (D + L)) / 12) × K.
    pub const KINDGEBONDEN_BUDGETTERM: &str = "KINDGEBONDEN_BUDGETTERM";
    /// The maximum of lid 1.
    pub const MAXIMUM_LID_1: &str = "MAXIMUM_LID_1";
    /// Not every term could be computed: the highest value the law allows instead.
    pub const BOVENGRENS: &str = "BOVENGRENS";
    /// The income terms were not needed because art. 475dc decides.
    pub const INKOMENSTERMEN_NIET_NODIG: &str = "INKOMENSTERMEN_NIET_NODIG";
    /// Art. 475da lid 5 Rv.
    pub const WOONKOSTENCORRECTIE: &str = "WOONKOSTENCORRECTIE";
    /// Art. 475db lid 1 onderdeel a Rv.
    pub const KORTING_INKOMEN_ECHTGENOOT: &str = "KORTING_INKOMEN_ECHTGENOOT";
    /// Art. 475dc lid 1 Rv.
    pub const MAXIMUM_95_PROCENT_INKOMEN: &str = "MAXIMUM_95_PROCENT_INKOMEN";
    /// Difference between the rounded steps and the once-rounded result.
    pub const AFRONDING: &str = "AFRONDING";
    /// The result.
    pub const BESLAGVRIJE_VOET: &str = "BESLAGVRIJE_VOET";
    /// Net income minus the beslagvrije voet, never below zero.
    pub const AFLOSCAPACITEIT: &str = "AFLOSCAPACITEIT";
}

/// A table figure a step used, with its source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsedParameter {
    pub code: &'static str,
    pub description: &'static str,
    pub value: Decimal,
    pub unit: Unit,
    pub source: String,
    pub confirmed: bool,
}

impl UsedParameter {
    pub fn from_value(value: &ParameterValue) -> UsedParameter {
        UsedParameter {
            code: value.parameter.code(),
            description: value.parameter.description(),
            value: value.value,
            unit: value.parameter.unit(),
            source: value.source.clone(),
            confirmed: value.confirmed,
        }
    }
}

/// One line of the explanation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub code: &'static str,
    /// What this line is and how it is computed, in plain Dutch.
    pub description: String,
    /// The article, e.g. "art. 475da lid 2 onderdeel a Rv".
    pub legal_source: String,
    pub parameters: Vec<UsedParameter>,
    /// The amount to the cent.
    pub amount: Money,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub code: &'static str,
    pub message: String,
}

/// A step that could not be computed because the table lacks figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotComputed {
    /// The step code ([`step`]).
    pub step: &'static str,
    pub missing: Vec<Parameter>,
    pub explanation: String,
}

/// Dutch notation of a decimal: `29.735,424`, keeping its scale (at least `min_decimals`).
pub fn number(value: Decimal, min_decimals: u32) -> String {
    let mut v = value;
    if v.scale() < min_decimals {
        v.rescale(min_decimals);
    }
    let text = v.abs().to_string();
    let (whole, fraction) = match text.split_once('.') {
        Some((w, f)) => (w.to_owned(), Some(f.to_owned())),
        None => (text, None),
    };
    let mut grouped = String::with_capacity(whole.len() + whole.len() / 3);
    for (position, digit) in whole.chars().enumerate() {
        if position > 0 && (whole.len() - position).is_multiple_of(3) {
            grouped.push('.');
        }
        grouped.push(digit);
    }
    let sign = if v.is_sign_negative() && !v.is_zero() {
        "-"
    } else {
        ""
    };
    match fraction {
        Some(f) => format!("{sign}{grouped},{f}"),
        None => format!("{sign}{grouped}"),
    }
}

/// An exact euro amount: `€ 29.735,424`. A value with more than four decimals (after a division
/// by 12) is shown to four decimals after "ca.": `ca. € 60,2355`; the computation itself keeps
/// every decimal.
pub fn exact_euro(value: Decimal) -> String {
    let normalized = value.normalize();
    if normalized.scale() > 4 {
        format!("ca. € {}", number(normalized.round_dp(4), 2))
    } else {
        format!("€ {}", number(normalized, 2))
    }
}

/// A percentage as the law writes it: `13,730%`.
pub fn percent(value: Decimal) -> String {
    format!("{}%", number(value, 0))
}
