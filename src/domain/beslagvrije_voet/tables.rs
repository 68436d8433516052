//! The tables this service starts with: 1 January 2026 and 1 July 2026, complete, every value with
//! its source. Both pass the self-check of art. 475da lid 8 Rv for all four situations (see the
//! tests).
//!
//! There are no tables before 2026. Until 31 December 2025 art. 475da lid 2 Rv had another
//! huurtoeslag term, `((F x C2 + G x C) – J)` with the quadratic factors of the old art. 19 Wet op de
//! huurtoeslag (text valid on 1 July 2025); the letters meant other figures. This engine implements
//! the formula as it reads since 1 January 2026 (Wet vereenvoudiging huurtoeslag), so a table for an
//! earlier half-year would compute a beslagvrije voet the law did not prescribe. A peildatum before
//! 1 January 2026 is therefore reported as before the first table.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::parameters::{NormTable, Parameter, ParameterValue};

/// `cents` as euros with two decimals.
fn euros(cents: u32) -> Decimal {
    Decimal::from_parts(cents, 0, 0, false, 2)
}

/// A percentage number with `scale` decimals: `percentage(13730, 3)` is 13,730 %.
fn percentage(mantissa: u32, scale: u32) -> Decimal {
    Decimal::from_parts(mantissa, 0, 0, false, scale)
}

fn value(parameter: Parameter, value: Decimal, source: &str) -> ParameterValue {
    ParameterValue {
        parameter,
        value,
        source: source.to_owned(),
        confirmed: true,
    }
}

const RV_2026_01: &str = "Wetboek van Burgerlijke Rechtsvordering, geconsolideerde tekst geldig vanaf 1 januari 2026 \
                          (wetten.overheid.nl, BWBR0001827/2026-01-01)";
const RV_2026_07: &str = "Wetboek van Burgerlijke Rechtsvordering, geconsolideerde tekst geldig vanaf 1 juli 2026 \
                          (wetten.overheid.nl, BWBR0001827/2026-07-01)";
const PW_2026_01: &str = "Participatiewet, geconsolideerde tekst geldig vanaf 1 januari 2026 (wetten.overheid.nl, BWBR0015703/2026-01-01)";
const PW_2026_07: &str = "Participatiewet, geconsolideerde tekst geldig vanaf 1 juli 2026 (wetten.overheid.nl, BWBR0015703/2026-07-01)";

/// The figures that change once a year (1 January 2026) and hold for the whole of 2026.
fn yearly_2026(half_year: &str) -> Vec<ParameterValue> {
    let same = |text: &str| format!("{text}; jaarbedrag 2026, ook in de tabel van {half_year}");
    vec![
        value(
            Parameter::MinimumWageJanuary,
            euros(229_440),
            &same(
                "Referentiemaandloon minimumloon per 1 januari 2026 (art. 8 lid 1 onderdeel b WML), € 2.294,40, \
                 ministeriële regeling ter indexatie per 1 januari 2026 (SZW), zoals weergegeven door o.a. \
                 Groothedde Accountants en Smit & de Wolf; D = 108% × 12 × dit bedrag = € 29.735,424; \
                 lid-8-controle slaagt alleen met dit onafgeronde D",
            ),
        ),
        value(
            Parameter::HealthAllowanceRate,
            percentage(13_730, 3),
            &same(
                "Wet op de zorgtoeslag art. 2 lid 3, tekst geldig vanaf 1 januari 2026 (BWBR0018451)",
            ),
        ),
        value(
            Parameter::RentPhaseOutSingle,
            percentage(27, 0),
            &same(
                "Wet op de huurtoeslag art. 21 lid 2 onderdeel a, tekst geldig vanaf 1 januari 2026 (BWBR0008659)",
            ),
        ),
        value(
            Parameter::RentPhaseOutMultiple,
            percentage(22, 0),
            &same(
                "Wet op de huurtoeslag art. 21 lid 2 onderdeel b, tekst geldig vanaf 1 januari 2026 (BWBR0008659)",
            ),
        ),
        value(
            Parameter::MaximumRent,
            euros(93_293),
            &same(
                "Wet op de huurtoeslag art. 13 lid 1 onderdeel a, tekst geldig vanaf 1 januari 2026 (BWBR0008659)",
            ),
        ),
        value(
            Parameter::MinimumIncomePointSingle,
            euros(2_342_500),
            &same(
                "Dienst Toeslagen, Berekening huurtoeslag 2026 (tg0831z62fd): inkomensijkpunt \
                 eenpersoonshuishouden € 23.425 (art. 17 lid 1 onderdeel a en art. 27 lid 4 Wht), gelezen in \
                 een openbare transcriptie; niet gedekt door de lid-8-controle",
            ),
        ),
        value(
            Parameter::MinimumIncomePointMultiple,
            euros(3_150_000),
            &same(
                "Dienst Toeslagen, Berekening huurtoeslag 2026 (tg0831z62fd): inkomensijkpunt \
                 meerpersoonshuishouden € 31.500 (art. 17 lid 1 onderdeel b en art. 27 lid 4 Wht), gelezen in \
                 een openbare transcriptie; bevestigd door de lid-8-controle (art. 475da lid 8 Rv)",
            ),
        ),
        value(
            Parameter::BaseRentSingle,
            euros(20_252),
            &same(
                "Dienst Toeslagen, Berekening huurtoeslag 2026 (tg0831z62fd): basishuur eenpersoonshuishouden \
                 € 202,52 (art. 16 Wht; art. 1 onderdeel c Wet verlaging eigen bijdrage huurtoeslag), gelezen \
                 in een openbare transcriptie; bevestigd door de lid-8-controle",
            ),
        ),
        value(
            Parameter::BaseRentMultiple,
            euros(20_071),
            &same(
                "Dienst Toeslagen, Berekening huurtoeslag 2026 (tg0831z62fd): basishuur meerpersoonshuishouden \
                 € 200,71 (art. 16 Wht; art. 1 onderdeel c Wet verlaging eigen bijdrage huurtoeslag), gelezen \
                 in een openbare transcriptie; bevestigd door de lid-8-controle",
            ),
        ),
        value(
            Parameter::ChildBudgetRate,
            percentage(760, 2),
            &same(
                "Wet op het kindgebonden budget art. 2 lid 7 en art. 3 lid 5 onderdeel a, tekst geldig vanaf \
                 1 januari en 1 juli 2026 (BWBR0022751)",
            ),
        ),
        value(
            Parameter::ChildBudgetCoupleRaise,
            euros(940_500),
            &same(
                "Wet op het kindgebonden budget art. 2 lid 8, tekst geldig vanaf 1 januari en 1 juli 2026 \
                 (BWBR0022751); gelijk aan het verschil van de grensinkomens (€ 39.141 - € 29.736) in Dienst \
                 Toeslagen, Berekening kindgebonden budget 2026 (tg0811z61fd)",
            ),
        ),
        value(
            Parameter::StandardPremium,
            euros(211_900),
            &same(
                "Regeling vaststelling standaardpremie en bestuursrechtelijke premies 2026 (VWS; art. 4 Wet op \
                 de zorgtoeslag): € 2.119, gemeld in VN Vandaag (Taxlive, 26 november 2025); bevestigd door de \
                 lid-8-controle",
            ),
        ),
    ]
}

fn table(
    valid_from: Option<NaiveDate>,
    rv: &str,
    pw: &str,
    half_year: &str,
    norms: (u32, u32),
    maxima: [u32; 4],
) -> Option<NormTable> {
    let [single, single_parent, couple, couple_children] = maxima;
    let mut values = vec![
        value(
            Parameter::SingleNorm,
            euros(norms.0),
            &format!("{pw}, art. 21 onderdeel a"),
        ),
        value(
            Parameter::CoupleNorm,
            euros(norms.1),
            &format!("{pw}, art. 21 onderdeel b"),
        ),
        value(
            Parameter::InstitutionRaiseSingle,
            euros(4_700),
            &format!("{pw}, art. 23 lid 2 onderdeel a (€ 47,00)"),
        ),
        value(
            Parameter::InstitutionRaiseCouple,
            euros(10_600),
            &format!("{pw}, art. 23 lid 2 onderdeel b (€ 106,00)"),
        ),
        value(
            Parameter::MaximumSingle,
            euros(single),
            &format!("{rv}, art. 475da lid 1 onderdeel a"),
        ),
        value(
            Parameter::MaximumSingleParent,
            euros(single_parent),
            &format!("{rv}, art. 475da lid 1 onderdeel b"),
        ),
        value(
            Parameter::MaximumCoupleWithoutChildren,
            euros(couple),
            &format!("{rv}, art. 475da lid 1 onderdeel c"),
        ),
        value(
            Parameter::MaximumCoupleWithChildren,
            euros(couple_children),
            &format!("{rv}, art. 475da lid 1 onderdeel d"),
        ),
        value(
            Parameter::HousingRaiseIncomeLimitSingle,
            euros(5_568_278),
            &format!("{rv}, art. 475da lid 7 (€ 55.682,78, alleenstaand)"),
        ),
        value(
            Parameter::HousingRaiseIncomeLimitMultiple,
            euros(7_108_909),
            &format!("{rv}, art. 475da lid 7 (€ 71.089,09, meerpersoonshuishouden)"),
        ),
    ];
    values.extend(yearly_2026(half_year));
    Some(NormTable {
        valid_from: valid_from?,
        values,
    })
}

/// The seeded tables, oldest first.
pub fn seed_tables() -> Vec<NormTable> {
    [
        table(
            NaiveDate::from_ymd_opt(2026, 1, 1),
            RV_2026_01,
            PW_2026_01,
            "1 januari 2026",
            (140_150, 200_213),
            [219_142, 252_669, 288_141, 315_531],
        ),
        table(
            NaiveDate::from_ymd_opt(2026, 7, 1),
            RV_2026_07,
            PW_2026_07,
            "1 juli 2026",
            (141_946, 202_779),
            [220_848, 254_375, 290_579, 317_968],
        ),
    ]
    .into_iter()
    .flatten()
    .collect()
}
