//! Reading posted forms so that every problem is shown beside its field at once, with the same
//! field names (and, from the domain, the same reasons) as the API. Amounts may be typed the Dutch
//! way (`1.234,50`) or the API's (`1234.50`).

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::domain::beslagvrije_voet::NormInput;
use crate::domain::beslagvrije_voet::field;
use crate::domain::household::HouseholdType;
use crate::domain::money::Money;
use crate::domain::time::EARLIEST_DATE;
use crate::domain::validation::FieldIssue;

/// A posted form: each field's last value, trimmed.
#[derive(Debug, Clone, Default)]
pub struct FormData(HashMap<String, String>);

impl FormData {
    pub fn new(pairs: Vec<(String, String)>) -> FormData {
        FormData(
            pairs
                .into_iter()
                .map(|(k, v)| (k, v.trim().to_owned()))
                .collect(),
        )
    }

    /// The value of a field that is filled in.
    pub fn text(&self, name: &str) -> Option<&str> {
        self.0
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    /// The value as typed, for showing it again in the form. Never used for a BSN.
    pub fn value(&self, name: &str) -> String {
        self.0.get(name).cloned().unwrap_or_default()
    }
}

/// A date as the forms take it, to fill a field in: `01-06-2026`.
pub fn typed_date(day: NaiveDate) -> String {
    day.format("%d-%m-%Y").to_string()
}

/// An amount as the forms take it, to fill a field in: `1.250,00`.
pub fn typed_amount(amount: Money) -> String {
    crate::domain::text::euro(amount)
        .trim_start_matches("€ ")
        .to_owned()
}

/// Problems by field, for showing them beside the fields.
#[derive(Debug, Clone, Default)]
pub struct Errors(pub Vec<FieldIssue>);

impl Errors {
    /// The reasons for one field (also `huishouden.<field>` as the API nests them), joined.
    pub fn of(&self, name: &str) -> Option<String> {
        let reasons: Vec<&str> = self
            .0
            .iter()
            .filter(|i| {
                i.field == name
                    || i.field
                        .rsplit_once('.')
                        .is_some_and(|(_, last)| last == name)
            })
            .map(|i| i.reason.as_str())
            .collect();
        (!reasons.is_empty()).then(|| reasons.join("; "))
    }

    /// Problems that belong to no field of the form.
    pub fn other(&self, fields: &[&str]) -> Vec<String> {
        self.0
            .iter()
            .filter(|i| {
                let last = i.field.rsplit('.').next().unwrap_or_default();
                !fields.contains(&last)
            })
            .map(|i| {
                if i.field.is_empty() {
                    i.reason.clone()
                } else {
                    format!("{}: {}", i.field, i.reason)
                }
            })
            .collect()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Reads fields, collecting a problem for each missing or unreadable one.
pub struct Reader<'a> {
    form: &'a FormData,
    pub issues: Vec<FieldIssue>,
}

impl<'a> Reader<'a> {
    pub fn new(form: &'a FormData) -> Reader<'a> {
        Reader {
            form,
            issues: Vec::new(),
        }
    }

    fn missing(&mut self, name: &str) {
        self.issues
            .push(FieldIssue::new(name, "verplicht", "is verplicht"));
    }

    pub fn required_text(&mut self, name: &str) -> Option<String> {
        let value = self.form.text(name).map(str::to_owned);
        if value.is_none() {
            self.missing(name);
        }
        value
    }

    pub fn optional_text(&mut self, name: &str) -> Option<String> {
        self.form.text(name).map(str::to_owned)
    }

    /// An amount; `Some(None)` when empty and not required, `None` when wrong.
    pub fn money(&mut self, name: &str, required: bool) -> Option<Option<Money>> {
        let Some(text) = self.form.text(name) else {
            if required {
                self.missing(name);
                return None;
            }
            return Some(None);
        };
        match parse_amount(text) {
            Some(amount) if !amount.is_negative() => Some(Some(amount)),
            Some(_) => {
                self.issues
                    .push(FieldIssue::new(name, "negatief", "mag niet negatief zijn"));
                None
            }
            None => {
                self.issues.push(FieldIssue::new(
                    name,
                    "ongeldig",
                    "moet een bedrag in euro zijn, zoals 1.250,00",
                ));
                None
            }
        }
    }

    pub fn date(&mut self, name: &str, required: bool) -> Option<Option<NaiveDate>> {
        let Some(text) = self.form.text(name) else {
            if required {
                self.missing(name);
                return None;
            }
            return Some(None);
        };
        match parse_date(text) {
            Some(date) if date < EARLIEST_DATE => {
                self.issues.push(FieldIssue::new(
                    name,
                    "ongeldig",
                    format!(
                        "moet op of na {} liggen",
                        EARLIEST_DATE.format("%-d-%-m-%Y")
                    ),
                ));
                None
            }
            Some(date) => Some(Some(date)),
            None => {
                self.issues.push(FieldIssue::new(
                    name,
                    "ongeldig",
                    "moet een datum zijn, zoals 31-3-2026",
                ));
                None
            }
        }
    }

    /// `ja` or `nee`; empty is not answered.
    pub fn yes_no(&mut self, name: &str) -> Option<Option<bool>> {
        match self.form.text(name) {
            None => Some(None),
            Some("ja") => Some(Some(true)),
            Some("nee") => Some(Some(false)),
            Some(_) => {
                self.issues
                    .push(FieldIssue::new(name, "ongeldig", "kies ja of nee"));
                None
            }
        }
    }

    /// A checkbox: ticked or not.
    pub fn checkbox(&self, name: &str) -> bool {
        self.form.text(name).is_some()
    }

    pub fn household(&mut self, name: &str) -> Option<HouseholdType> {
        match self.form.text(name) {
            None => {
                self.missing(name);
                None
            }
            Some(code) => {
                let household = HouseholdType::from_code(code);
                if household.is_none() {
                    self.issues
                        .push(FieldIssue::new(name, "ongeldig", "kies een leefvorm"));
                }
                household
            }
        }
    }
}

/// `1.234,50`, `1234,5`, `1234.50` or `1234` as an amount: digits with one or two decimals after
/// a comma or a point, or groups of three digits separated by points with decimals after a
/// comma. Anything else is refused rather than guessed at: `1.850.00` is not € 185.000,00.
pub fn parse_amount(text: &str) -> Option<Money> {
    let text: String = text
        .trim()
        .trim_start_matches('€')
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let (sign, unsigned) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text.as_str()),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let decimals = |s: &str| digits(s) && s.len() <= 2;
    let (whole, fraction) = match unsigned.rsplit_once([',', '.']) {
        // One separator before one or two decimals: `1234,5`, `1234.50`.
        Some((whole, fraction)) if digits(whole) && decimals(fraction) => {
            (whole.to_owned(), fraction)
        }
        // Points between groups of three, decimals after a comma: `1.234`, `1.234,50`.
        _ => {
            let (grouped, fraction) = match unsigned.split_once(',') {
                Some((grouped, fraction)) if decimals(fraction) => (grouped, fraction),
                Some(_) => return None,
                None => (unsigned, "0"),
            };
            let mut groups = grouped.split('.');
            let first = groups.next()?;
            let rest: Vec<&str> = groups.collect();
            let grouped_right = digits(first)
                && (rest.is_empty() || first.len() <= 3)
                && rest.iter().all(|g| g.len() == 3 && digits(g));
            if !grouped_right {
                return None;
            }
            (format!("{first}{}", rest.concat()), fraction)
        }
    };
    Money::parse(&format!("{sign}{whole}.{fraction}")).ok()
}

/// `2026-03-31` (a date field) or `31-03-2026` as a date. The year has four digits: `1-6-26`
/// is refused rather than read as the year 26.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let number = |part: &str, widths: std::ops::RangeInclusive<usize>| {
        (widths.contains(&part.len()) && part.bytes().all(|b| b.is_ascii_digit()))
            .then(|| part.parse::<u32>().ok())
            .flatten()
    };
    let (year, month, day) = match text.split('-').collect::<Vec<_>>()[..] {
        [year, month, day] if year.len() == 4 => (year, month, day),
        [day, month, year] if year.len() == 4 => (year, month, day),
        _ => return None,
    };
    NaiveDate::from_ymd_opt(
        i32::try_from(number(year, 4..=4)?).ok()?,
        number(month, 1..=2)?,
        number(day, 1..=2)?,
    )
}

/// The household fields of the calculator and of a proposal (which has no peildatum), as the
/// norm engine needs them; every problem at once.
pub fn household(
    form: &FormData,
    peildatum: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<NormInput, Errors> {
    let mut r = Reader::new(form);
    let peildatum = match peildatum {
        Some(fixed) => Some(fixed),
        None => r.date(field::PEILDATUM, false).map(|d| d.unwrap_or(today)),
    };
    let household = r.household(field::LEEFVORM);
    let children = r.yes_no(field::KINDEREN);
    let net_income = r.money(field::NETTO_INKOMEN, true).flatten();
    let taxable = r.money(field::BELASTBAAR_JAARINKOMEN, false);
    let housing = r.money(field::WOONKOSTEN, false);
    let correction = r.checkbox(field::WOONKOSTENCORRECTIE);
    let partner = r.money(field::PARTNER_INKOMEN, false);
    let pension_age = r.checkbox(field::PENSIOENGERECHTIGD);
    let input = (|| {
        Some(NormInput {
            peildatum: peildatum?,
            household: household?,
            children: children?,
            pension_age,
            net_income: net_income?,
            taxable_yearly_income: taxable?,
            housing_costs: housing?,
            housing_correction: correction,
            partner_income: partner?,
        })
    })();
    match input {
        Some(input) if r.issues.is_empty() => Ok(input),
        _ => Err(Errors(r.issues)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_read_the_dutch_way_and_the_apis() {
        for (text, cents) in [
            ("1.234,50", 123_450),
            ("1234,5", 123_450),
            ("1234.50", 123_450),
            ("1234", 123_400),
            ("€ 2.100", 210_000),
            ("0,05", 5),
        ] {
            assert_eq!(parse_amount(text), Some(Money::from_cents(cents)), "{text}");
        }
        for text in ["", "twaalf", "1,234,5", "12.345.67,1x"] {
            assert_eq!(parse_amount(text), None, "{text}");
        }
        // Typed amounts that are no amount the way they are written: refused, never guessed.
        for text in [
            "1.850.00",
            "1234.567",
            "1.234.50",
            "12.3456",
            "1.23,45",
            "1234,567",
            "12.34.567",
        ] {
            assert_eq!(parse_amount(text), None, "{text}");
        }
        for (text, cents) in [
            ("1.234", 123_400),
            ("12.345.678,9", 1_234_567_890),
            ("-1,5", -150),
        ] {
            assert_eq!(parse_amount(text), Some(Money::from_cents(cents)), "{text}");
        }
    }

    #[test]
    fn dates_are_read_as_people_write_them() {
        let day = NaiveDate::from_ymd_opt(2026, 7, 1);
        assert_eq!(parse_date("1-7-2026"), day);
        assert_eq!(parse_date("01-07-2026"), day);
        assert_eq!(parse_date("2026-07-01"), day);
        assert_eq!(parse_date("1 juli 2026"), None);
        for short in [
            "1-6-26",
            "31-12-26",
            "26-6-1",
            "1-6-026",
            "1-6-+026",
            "1-6-2026-1",
        ] {
            assert_eq!(parse_date(short), None, "{short}");
        }
        assert_eq!(parse_date("31-02-2026"), None);
    }

    #[test]
    fn a_date_before_1900_typed_on_a_page_is_refused_with_the_field_named() {
        let form = FormData::new(vec![("startdatum".into(), "01-01-0000".into())]);
        let mut r = Reader::new(&form);
        assert_eq!(r.date("startdatum", true), None);
        assert_eq!(r.issues[0].field, "startdatum");
        assert!(r.issues[0].reason.contains("1-1-1900"), "{:?}", r.issues);
        let form = FormData::new(vec![("startdatum".into(), "1-1-1900".into())]);
        assert_eq!(
            Reader::new(&form).date("startdatum", true),
            Some(NaiveDate::from_ymd_opt(1900, 1, 1))
        );
    }

    #[test]
    fn a_household_form_reports_every_problem_at_once() {
        let form = FormData::new(vec![
            ("leefvorm".into(), "ONBEKEND".into()),
            ("nettoInkomen".into(), "veel".into()),
            ("woonkosten".into(), "-3".into()),
        ]);
        let today = NaiveDate::from_ymd_opt(2026, 6, 15).unwrap();
        let errors = household(&form, None, today).unwrap_err();
        assert!(errors.of("leefvorm").is_some());
        assert!(errors.of("nettoInkomen").is_some());
        assert!(errors.of("woonkosten").is_some());
        assert!(errors.of("partnerInkomen").is_none());
    }
}
