//! The figures the beslagvrije voet depends on, and dated tables that hold them.
//!
//! Every value in a table carries its source. Percentages are stored as the percentage number the
//! law writes (`13.730` means 13,730 %), amounts in euros with cents (`932.93`). The engine divides
//! percentages by 100 itself.
//!
//! Fixed shares written in the law itself (95 % in art. 475da lid 2 and art. 475dc Rv, 108 % and
//! twelve months in art. 1 lid 1 onderdeel f Wet op de zorgtoeslag, the 10 % of art. 475da lid 5
//! Rv, the half of art. 475db lid 1 onderdeel a Rv) are not parameters but constants in the engine,
//! each with its article.

use chrono::NaiveDate;
use rust_decimal::Decimal;

/// How a parameter's value is to be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Unit {
    /// Euros per month.
    EuroPerMonth,
    /// Euros per (calculation) year.
    EuroPerYear,
    /// A percentage, stored as its percentage number: `27` is 27 %.
    Percentage,
}

impl Unit {
    /// Stable code, as stored and shown on the API.
    pub fn code(self) -> &'static str {
        match self {
            Unit::EuroPerMonth => "EURO_PER_MAAND",
            Unit::EuroPerYear => "EURO_PER_JAAR",
            Unit::Percentage => "PROCENT",
        }
    }

    /// Plain Dutch.
    pub fn label(self) -> &'static str {
        match self {
            Unit::EuroPerMonth => "euro per maand",
            Unit::EuroPerYear => "euro per jaar",
            Unit::Percentage => "procent",
        }
    }
}

/// A figure of art. 475da Rv or of a law it refers to. The letters are those of art. 475da lid 2
/// Rv (as it reads since 1 January 2026).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Parameter {
    /// A: the norm of art. 21 onderdeel a Participatiewet (alleenstaande or alleenstaande ouder,
    /// incl. vakantietoeslag, per month).
    SingleNorm,
    /// B: the norm of art. 21 onderdeel b Participatiewet (gehuwden, per month).
    CoupleNorm,
    /// The monthly minimum wage of art. 8 lid 1 onderdeel b Wet minimumloon en
    /// minimumvakantiebijslag for January of the calculation year; D, the drempelinkomen of art. 1
    /// lid 1 onderdeel f Wet op de zorgtoeslag, is 108 % of twelve times this amount.
    MinimumWageJanuary,
    /// E: the percentage of art. 2 lid 3 Wet op de zorgtoeslag.
    HealthAllowanceRate,
    /// F: the afbouwpercentage for a eenpersoonshuishouden, art. 21 lid 2 onderdeel a Wet op de
    /// huurtoeslag.
    RentPhaseOutSingle,
    /// G: the afbouwpercentage for a meerpersoonshuishouden, art. 21 lid 2 onderdeel b Wet op de
    /// huurtoeslag.
    RentPhaseOutMultiple,
    /// H: the amount of art. 13 lid 1 onderdeel a Wet op de huurtoeslag (maximale huurgrens).
    MaximumRent,
    /// The minimum-inkomensijkpunt for a eenpersoonshuishouden, art. 17 lid 1 onderdeel a Wet op de
    /// huurtoeslag (I = C minus this).
    MinimumIncomePointSingle,
    /// The minimum-inkomensijkpunt for a meerpersoonshuishouden, art. 17 lid 1 onderdeel b Wet op de
    /// huurtoeslag.
    MinimumIncomePointMultiple,
    /// J for a eenpersoonshuishouden: the basishuur of art. 16 Wet op de huurtoeslag.
    BaseRentSingle,
    /// J for a meerpersoonshuishouden.
    BaseRentMultiple,
    /// K: the percentage of art. 2 lid 7 Wet op het kindgebonden budget.
    ChildBudgetRate,
    /// L: the raise of the drempelinkomen for a parent with a partner, art. 2 lid 8 Wet op het
    /// kindgebonden budget.
    ChildBudgetCoupleRaise,
    /// The standaardpremie of art. 4 (and art. 2 lid 1) Wet op de zorgtoeslag, per year; it caps the
    /// zorg term (art. 475da lid 3 Rv).
    StandardPremium,
    /// The amount of art. 23 lid 2 onderdeel a Participatiewet (alleenstaande, alleenstaande ouder),
    /// deducted in the cap of art. 475da lid 3 Rv.
    InstitutionRaiseSingle,
    /// The amount of art. 23 lid 2 onderdeel b Participatiewet (gehuwden).
    InstitutionRaiseCouple,
    /// Art. 475da lid 1 onderdeel a Rv: the maximum for an alleenstaande.
    MaximumSingle,
    /// Art. 475da lid 1 onderdeel b Rv: the maximum for an alleenstaande ouder.
    MaximumSingleParent,
    /// Art. 475da lid 1 onderdeel c Rv: the maximum for gehuwden zonder kinderen.
    MaximumCoupleWithoutChildren,
    /// Art. 475da lid 1 onderdeel d Rv: the maximum for gehuwden met een of meer kinderen.
    MaximumCoupleWithChildren,
    /// Art. 475da lid 7 Rv: the taxable-income limit below which an alleenstaande owner (or tenant
    /// of a home outside art. 11 Wet op de huurtoeslag) may ask for a housing raise.
    HousingRaiseIncomeLimitSingle,
    /// Art. 475da lid 7 Rv: the same limit for a meerpersoonshuishouden.
    HousingRaiseIncomeLimitMultiple,
}

impl Parameter {
    pub const ALL: [Parameter; 22] = [
        Parameter::SingleNorm,
        Parameter::CoupleNorm,
        Parameter::MinimumWageJanuary,
        Parameter::HealthAllowanceRate,
        Parameter::RentPhaseOutSingle,
        Parameter::RentPhaseOutMultiple,
        Parameter::MaximumRent,
        Parameter::MinimumIncomePointSingle,
        Parameter::MinimumIncomePointMultiple,
        Parameter::BaseRentSingle,
        Parameter::BaseRentMultiple,
        Parameter::ChildBudgetRate,
        Parameter::ChildBudgetCoupleRaise,
        Parameter::StandardPremium,
        Parameter::InstitutionRaiseSingle,
        Parameter::InstitutionRaiseCouple,
        Parameter::MaximumSingle,
        Parameter::MaximumSingleParent,
        Parameter::MaximumCoupleWithoutChildren,
        Parameter::MaximumCoupleWithChildren,
        Parameter::HousingRaiseIncomeLimitSingle,
        Parameter::HousingRaiseIncomeLimitMultiple,
    ];

    /// Stable code, as stored and shown on the API.
    pub fn code(self) -> &'static str {
        match self {
            Parameter::SingleNorm => "BIJSTANDSNORM_ALLEENSTAANDE",
            Parameter::CoupleNorm => "BIJSTANDSNORM_GEHUWDEN",
            Parameter::MinimumWageJanuary => "MINIMUMLOON_PER_MAAND_JANUARI",
            Parameter::HealthAllowanceRate => "ZORGTOESLAG_PERCENTAGE",
            Parameter::RentPhaseOutSingle => "HUURTOESLAG_AFBOUWPERCENTAGE_EENPERSOONS",
            Parameter::RentPhaseOutMultiple => "HUURTOESLAG_AFBOUWPERCENTAGE_MEERPERSOONS",
            Parameter::MaximumRent => "MAXIMALE_HUURGRENS",
            Parameter::MinimumIncomePointSingle => "MINIMUM_INKOMENSIJKPUNT_EENPERSOONS",
            Parameter::MinimumIncomePointMultiple => "MINIMUM_INKOMENSIJKPUNT_MEERPERSOONS",
            Parameter::BaseRentSingle => "BASISHUUR_EENPERSOONS",
            Parameter::BaseRentMultiple => "BASISHUUR_MEERPERSOONS",
            Parameter::ChildBudgetRate => "KINDGEBONDEN_BUDGET_PERCENTAGE",
            Parameter::ChildBudgetCoupleRaise => "KINDGEBONDEN_BUDGET_VERHOGING_DREMPEL_PARTNERS",
            Parameter::StandardPremium => "STANDAARDPREMIE",
            Parameter::InstitutionRaiseSingle => "PW_ARTIKEL_23_LID_2_ALLEENSTAANDE",
            Parameter::InstitutionRaiseCouple => "PW_ARTIKEL_23_LID_2_GEHUWDEN",
            Parameter::MaximumSingle => "MAXIMUM_ALLEENSTAANDE",
            Parameter::MaximumSingleParent => "MAXIMUM_ALLEENSTAANDE_OUDER",
            Parameter::MaximumCoupleWithoutChildren => "MAXIMUM_GEHUWDEN_ZONDER_KINDEREN",
            Parameter::MaximumCoupleWithChildren => "MAXIMUM_GEHUWDEN_MET_KINDEREN",
            Parameter::HousingRaiseIncomeLimitSingle => {
                "WOONKOSTEN_LID_7_INKOMENSGRENS_ALLEENSTAANDE"
            }
            Parameter::HousingRaiseIncomeLimitMultiple => {
                "WOONKOSTEN_LID_7_INKOMENSGRENS_MEERPERSOONS"
            }
        }
    }

    pub fn from_code(code: &str) -> Option<Parameter> {
        Parameter::ALL.into_iter().find(|p| p.code() == code)
    }

    /// The letter art. 475da lid 2 Rv uses for it, if any.
    pub fn symbol(self) -> Option<&'static str> {
        match self {
            Parameter::SingleNorm => Some("A"),
            Parameter::CoupleNorm => Some("B"),
            Parameter::HealthAllowanceRate => Some("E"),
            Parameter::RentPhaseOutSingle => Some("F"),
            Parameter::RentPhaseOutMultiple => Some("G"),
            Parameter::MaximumRent => Some("H"),
            Parameter::BaseRentSingle | Parameter::BaseRentMultiple => Some("J"),
            Parameter::ChildBudgetRate => Some("K"),
            Parameter::ChildBudgetCoupleRaise => Some("L"),
            _ => None,
        }
    }

    pub fn unit(self) -> Unit {
        match self {
            Parameter::HealthAllowanceRate
            | Parameter::RentPhaseOutSingle
            | Parameter::RentPhaseOutMultiple
            | Parameter::ChildBudgetRate => Unit::Percentage,
            Parameter::MinimumIncomePointSingle
            | Parameter::MinimumIncomePointMultiple
            | Parameter::ChildBudgetCoupleRaise
            | Parameter::StandardPremium
            | Parameter::HousingRaiseIncomeLimitSingle
            | Parameter::HousingRaiseIncomeLimitMultiple => Unit::EuroPerYear,
            Parameter::SingleNorm
            | Parameter::CoupleNorm
            | Parameter::MinimumWageJanuary
            | Parameter::MaximumRent
            | Parameter::BaseRentSingle
            | Parameter::BaseRentMultiple
            | Parameter::InstitutionRaiseSingle
            | Parameter::InstitutionRaiseCouple
            | Parameter::MaximumSingle
            | Parameter::MaximumSingleParent
            | Parameter::MaximumCoupleWithoutChildren
            | Parameter::MaximumCoupleWithChildren => Unit::EuroPerMonth,
        }
    }

    /// Plain Dutch.
    pub fn description(self) -> &'static str {
        match self {
            Parameter::SingleNorm => {
                "bijstandsnorm voor een alleenstaande of alleenstaande ouder, inclusief vakantietoeslag (A)"
            }
            Parameter::CoupleNorm => {
                "bijstandsnorm voor gehuwden of samenwonenden, inclusief vakantietoeslag (B)"
            }
            Parameter::MinimumWageJanuary => {
                "wettelijk minimumloon per maand in januari; het drempelinkomen (D) is 108% van twaalf keer dit bedrag"
            }
            Parameter::HealthAllowanceRate => {
                "percentage waarmee de zorgtoeslag daalt boven het drempelinkomen (E)"
            }
            Parameter::RentPhaseOutSingle => {
                "percentage waarmee de huurtoeslag van een eenpersoonshuishouden daalt boven het minimum-inkomensijkpunt (F)"
            }
            Parameter::RentPhaseOutMultiple => {
                "percentage waarmee de huurtoeslag van een meerpersoonshuishouden daalt boven het minimum-inkomensijkpunt (G)"
            }
            Parameter::MaximumRent => "maximale huurgrens van de huurtoeslag (H)",
            Parameter::MinimumIncomePointSingle => {
                "minimum-inkomensijkpunt van de huurtoeslag voor een eenpersoonshuishouden"
            }
            Parameter::MinimumIncomePointMultiple => {
                "minimum-inkomensijkpunt van de huurtoeslag voor een meerpersoonshuishouden"
            }
            Parameter::BaseRentSingle => {
                "basishuur bij het minimum-inkomensijkpunt, eenpersoonshuishouden (J)"
            }
            Parameter::BaseRentMultiple => {
                "basishuur bij het minimum-inkomensijkpunt, meerpersoonshuishouden (J)"
            }
            Parameter::ChildBudgetRate => {
                "percentage waarmee het kindgebonden budget daalt boven het drempelinkomen (K)"
            }
            Parameter::ChildBudgetCoupleRaise => {
                "bedrag waarmee het drempelinkomen voor een ouder met partner wordt verhoogd (L)"
            }
            Parameter::StandardPremium => "standaardpremie van de zorgtoeslag per jaar",
            Parameter::InstitutionRaiseSingle => {
                "bedrag van artikel 23, tweede lid, Participatiewet voor een alleenstaande of alleenstaande ouder"
            }
            Parameter::InstitutionRaiseCouple => {
                "bedrag van artikel 23, tweede lid, Participatiewet voor gehuwden"
            }
            Parameter::MaximumSingle => "hoogste beslagvrije voet voor een alleenstaande",
            Parameter::MaximumSingleParent => {
                "hoogste beslagvrije voet voor een alleenstaande ouder"
            }
            Parameter::MaximumCoupleWithoutChildren => {
                "hoogste beslagvrije voet voor gehuwden zonder kinderen"
            }
            Parameter::MaximumCoupleWithChildren => {
                "hoogste beslagvrije voet voor gehuwden met een of meer kinderen"
            }
            Parameter::HousingRaiseIncomeLimitSingle => {
                "inkomensgrens voor de verhoging bij een eigen woning (artikel 475da, zevende lid), alleenstaande"
            }
            Parameter::HousingRaiseIncomeLimitMultiple => {
                "inkomensgrens voor de verhoging bij een eigen woning (artikel 475da, zevende lid), meerpersoonshuishouden"
            }
        }
    }

    /// The article that defines the figure.
    pub fn legal_source(self) -> &'static str {
        match self {
            Parameter::SingleNorm => "art. 21 onderdeel a Participatiewet",
            Parameter::CoupleNorm => "art. 21 onderdeel b Participatiewet",
            Parameter::MinimumWageJanuary => {
                "art. 8 lid 1 onderdeel b Wet minimumloon en minimumvakantiebijslag, via art. 1 lid 1 onderdeel f Wet op de zorgtoeslag"
            }
            Parameter::HealthAllowanceRate => "art. 2 lid 3 Wet op de zorgtoeslag",
            Parameter::RentPhaseOutSingle => "art. 21 lid 2 onderdeel a Wet op de huurtoeslag",
            Parameter::RentPhaseOutMultiple => "art. 21 lid 2 onderdeel b Wet op de huurtoeslag",
            Parameter::MaximumRent => "art. 13 lid 1 onderdeel a Wet op de huurtoeslag",
            Parameter::MinimumIncomePointSingle => {
                "art. 17 lid 1 onderdeel a Wet op de huurtoeslag (vastgesteld krachtens art. 27 lid 4)"
            }
            Parameter::MinimumIncomePointMultiple => {
                "art. 17 lid 1 onderdeel b Wet op de huurtoeslag (vastgesteld krachtens art. 27 lid 4)"
            }
            Parameter::BaseRentSingle | Parameter::BaseRentMultiple => {
                "art. 16 Wet op de huurtoeslag"
            }
            Parameter::ChildBudgetRate => "art. 2 lid 7 Wet op het kindgebonden budget",
            Parameter::ChildBudgetCoupleRaise => "art. 2 lid 8 Wet op het kindgebonden budget",
            Parameter::StandardPremium => "art. 4 en art. 2 lid 1 Wet op de zorgtoeslag",
            Parameter::InstitutionRaiseSingle => "art. 23 lid 2 onderdeel a Participatiewet",
            Parameter::InstitutionRaiseCouple => "art. 23 lid 2 onderdeel b Participatiewet",
            Parameter::MaximumSingle => "art. 475da lid 1 onderdeel a Rv",
            Parameter::MaximumSingleParent => "art. 475da lid 1 onderdeel b Rv",
            Parameter::MaximumCoupleWithoutChildren => "art. 475da lid 1 onderdeel c Rv",
            Parameter::MaximumCoupleWithChildren => "art. 475da lid 1 onderdeel d Rv",
            Parameter::HousingRaiseIncomeLimitSingle
            | Parameter::HousingRaiseIncomeLimitMultiple => "art. 475da lid 7 Rv",
        }
    }

    /// Whether every table must hold it. The limits of lid 7 only feed a warning (the raise itself
    /// is set by an AMvB this engine does not compute), so a table may lack them.
    pub fn required(self) -> bool {
        !matches!(
            self,
            Parameter::HousingRaiseIncomeLimitSingle | Parameter::HousingRaiseIncomeLimitMultiple
        )
    }
}

/// One figure in a table, with where it comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParameterValue {
    pub parameter: Parameter,
    /// Euros (amounts) or the percentage number (percentages); see [`Unit`].
    pub value: Decimal,
    /// The law, article and consolidated version, or the official publication, so that anyone can
    /// check it.
    pub source: String,
    /// Whether the figure was checked against the law text or an official publication.
    pub confirmed: bool,
}

/// The figures valid from a date (1 January or 1 July) until the next table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NormTable {
    pub valid_from: NaiveDate,
    pub values: Vec<ParameterValue>,
}

impl NormTable {
    pub fn value(&self, parameter: Parameter) -> Option<&ParameterValue> {
        self.values.iter().find(|v| v.parameter == parameter)
    }

    /// The table that applies on `peildatum`: the newest one that has started by then.
    pub fn applicable(tables: &[NormTable], peildatum: NaiveDate) -> Option<&NormTable> {
        tables
            .iter()
            .filter(|t| t.valid_from <= peildatum)
            .max_by_key(|t| t.valid_from)
    }

    /// The first day no table covers: the start of the half-year after the newest table's. A
    /// Betalingsregeling Rijk first due on or after it is not planned (its amounts are unknown),
    /// so the next table is due before the month before it.
    pub fn covered_until(tables: &[NormTable]) -> Option<NaiveDate> {
        tables
            .iter()
            .map(|t| t.valid_from)
            .max()
            .map(super::engine::next_half_year)
    }
}
