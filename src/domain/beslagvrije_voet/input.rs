//! What the engine needs to know about a person, and the checks on it that need no table.
//!
//! Every problem is reported at once, as a [`FieldIssue`] naming the Dutch field of the API.

use chrono::NaiveDate;

use super::parameters::Parameter;
use crate::domain::household::HouseholdType;
use crate::domain::money::Money;
use crate::domain::validation::FieldIssue;

/// API field names, used in every [`FieldIssue`].
pub mod field {
    pub const PEILDATUM: &str = "peildatum";
    pub const LEEFVORM: &str = "leefvorm";
    pub const KINDEREN: &str = "kinderen";
    pub const PENSIOENGERECHTIGD: &str = "pensioengerechtigd";
    pub const NETTO_INKOMEN: &str = "nettoInkomen";
    pub const BELASTBAAR_JAARINKOMEN: &str = "belastbaarJaarinkomen";
    pub const WOONKOSTEN: &str = "woonkosten";
    pub const WOONKOSTENCORRECTIE: &str = "woonkostencorrectie";
    pub const PARTNER_INKOMEN: &str = "partnerInkomen";
}

/// The day the beslagvrije voet of art. 475da–475dc Rv took effect in its present structure (Wet
/// vereenvoudiging beslagvrije voet).
pub fn law_in_force() -> NaiveDate {
    NaiveDate::from_ymd_opt(2021, 1, 1).unwrap_or(NaiveDate::MIN)
}

/// The largest amount accepted, as for every amount on the API (twelve digits before the point).
fn max_amount() -> Money {
    Money::from_cents(99_999_999_999_999)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NormInput {
    /// "peildatum": the day the norm is for.
    pub peildatum: NaiveDate,
    /// "leefvorm".
    pub household: HouseholdType,
    /// "kinderen": whether there are one or more children ("ten laste komende kinderen", art. 475ab
    /// lid 1 Rv with art. 4 lid 1 Participatiewet). Required for GEHUWD_OF_SAMENWONEND (it decides
    /// between art. 475da lid 2 onderdeel c and d); must not be `true` for ALLEENSTAANDE; implied for
    /// ALLEENSTAANDE_OUDER, where `false` contradicts the household type. `None` is "not given" —
    /// the reason this is not a plain `bool`.
    pub children: Option<bool>,
    /// "pensioengerechtigd". Art. 475da lid 2 Rv uses the norms of art. 21 Participatiewet at every
    /// age, so it changes no figure; it is kept for the explanation.
    pub pension_age: bool,
    /// "nettoInkomen": monthly net income including holiday allowance, without allowances: all the
    /// debtor's periodic income of art. 475c lid 1 onderdelen a–i Rv (art. 475dc Rv).
    pub net_income: Money,
    /// "belastbaarJaarinkomen": C, the taxable income of the debtor and, if married, the spouse,
    /// per year (art. 475ab and 475d lid 1 Rv).
    pub taxable_yearly_income: Option<Money>,
    /// "woonkosten": monthly housing costs as art. 475ab Rv defines them.
    pub housing_costs: Option<Money>,
    /// "woonkostencorrectie": the debtor asks for the raise of art. 475da lid 5 Rv.
    pub housing_correction: bool,
    /// "partnerInkomen": the spouse's monthly income not under attachment, incl. holiday allowance
    /// (art. 475db lid 1 onderdeel a Rv).
    pub partner_income: Option<Money>,
}

/// The four situations of art. 475da lid 1 and 2 Rv.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Situation {
    /// Lid 1 and 2, onderdeel a.
    Single,
    /// Onderdeel b.
    SingleParent,
    /// Onderdeel c.
    CoupleWithoutChildren,
    /// Onderdeel d.
    CoupleWithChildren,
}

impl Situation {
    pub const ALL: [Situation; 4] = [
        Situation::Single,
        Situation::SingleParent,
        Situation::CoupleWithoutChildren,
        Situation::CoupleWithChildren,
    ];

    /// `None` for a couple that did not say whether there are children.
    pub fn of(household: HouseholdType, children: Option<bool>) -> Option<Situation> {
        match household {
            HouseholdType::Single => Some(Situation::Single),
            HouseholdType::SingleParent => Some(Situation::SingleParent),
            HouseholdType::MarriedOrCohabiting => children.map(|c| {
                if c {
                    Situation::CoupleWithChildren
                } else {
                    Situation::CoupleWithoutChildren
                }
            }),
        }
    }

    pub fn is_couple(self) -> bool {
        matches!(
            self,
            Situation::CoupleWithoutChildren | Situation::CoupleWithChildren
        )
    }

    /// Art. 475da lid 2 Rv uses F (eenpersoonshuishouden) only for the alleenstaande; the
    /// alleenstaande ouder and gehuwden are meerpersoonshuishoudens (art. 2 Wet op de huurtoeslag),
    /// with G, the meerpersoons ijkpunt and basishuur.
    pub fn one_person_household(self) -> bool {
        self == Situation::Single
    }

    /// A for the alleenstaande (ouder), B for gehuwden.
    pub fn norm(self) -> Parameter {
        if self.is_couple() {
            Parameter::CoupleNorm
        } else {
            Parameter::SingleNorm
        }
    }

    /// The maximum of lid 1.
    pub fn maximum(self) -> Parameter {
        match self {
            Situation::Single => Parameter::MaximumSingle,
            Situation::SingleParent => Parameter::MaximumSingleParent,
            Situation::CoupleWithoutChildren => Parameter::MaximumCoupleWithoutChildren,
            Situation::CoupleWithChildren => Parameter::MaximumCoupleWithChildren,
        }
    }

    /// The letter of lid 1 and lid 2 for this situation.
    pub fn onderdeel(self) -> &'static str {
        match self {
            Situation::Single => "a",
            Situation::SingleParent => "b",
            Situation::CoupleWithoutChildren => "c",
            Situation::CoupleWithChildren => "d",
        }
    }

    /// Plain Dutch with an article where Dutch needs one: "een alleenstaande", "gehuwden zonder
    /// kinderen".
    pub fn label_with_article(self) -> &'static str {
        match self {
            Situation::Single => "een alleenstaande",
            Situation::SingleParent => "een alleenstaande ouder",
            Situation::CoupleWithoutChildren => "gehuwden zonder kinderen",
            Situation::CoupleWithChildren => "gehuwden met een of meer kinderen",
        }
    }

    /// Plain Dutch, as the law words it.
    pub fn label(self) -> &'static str {
        match self {
            Situation::Single => "alleenstaande",
            Situation::SingleParent => "alleenstaande ouder",
            Situation::CoupleWithoutChildren => "gehuwden zonder kinderen",
            Situation::CoupleWithChildren => "gehuwden met een of meer kinderen",
        }
    }
}

/// Checks that need no table: every problem at once.
pub fn check(input: &NormInput) -> Vec<FieldIssue> {
    let mut issues = Vec::new();
    if input.peildatum < law_in_force() {
        issues.push(FieldIssue::new(
            field::PEILDATUM,
            "voor_inwerkingtreding",
            "ligt vóór 1 januari 2021; de beslagvrije voet van artikel 475da Rv bestaat in deze vorm pas sinds die datum",
        ));
    }
    issues.extend(check_household(
        input.household,
        input.children,
        input.partner_income,
    ));
    if input.household == HouseholdType::MarriedOrCohabiting && input.children.is_none() {
        issues.push(FieldIssue::new(
            field::KINDEREN,
            "verplicht",
            "is verplicht bij gehuwden of samenwonenden: kies ja of nee, want het antwoord bepaalt \
             welke regel van de wet geldt (artikel 475da, tweede lid, onderdeel c of d Rv)",
        ));
    }
    let amounts = [
        (field::NETTO_INKOMEN, Some(input.net_income)),
        (field::BELASTBAAR_JAARINKOMEN, input.taxable_yearly_income),
        (field::WOONKOSTEN, input.housing_costs),
        (field::PARTNER_INKOMEN, input.partner_income),
    ];
    for (name, amount) in amounts {
        match amount {
            Some(a) if a.is_negative() => {
                issues.push(FieldIssue::new(name, "negatief", "mag niet negatief zijn"));
            }
            Some(a) if a > max_amount() => {
                issues.push(FieldIssue::new(
                    name,
                    "te_groot",
                    "is groter dan het grootste bedrag dat wordt aanvaard",
                ));
            }
            _ => {}
        }
    }
    if input.housing_correction && input.housing_costs.is_none() {
        issues.push(FieldIssue::new(
            field::WOONKOSTEN,
            "verplicht",
            "is verplicht als om de woonkostencorrectie wordt gevraagd (artikel 475da, vijfde lid, Rv)",
        ));
    }
    issues
}

/// What contradicts the household: children with a single person, none with a single parent, a
/// partner's income without a partner. Also what an attachment may say of the household it
/// assumed, so that the norm can later be computed from it.
pub fn check_household(
    household: HouseholdType,
    children: Option<bool>,
    partner_income: Option<Money>,
) -> Vec<FieldIssue> {
    let mut issues = Vec::new();
    match (household, children) {
        (HouseholdType::Single, Some(true)) => issues.push(FieldIssue::new(
            field::KINDEREN,
            "niet_bij_leefvorm",
            "een alleenstaande heeft geen ten laste komende kinderen (artikel 4, eerste lid, Participatiewet); \
             wie de volledige zorg heeft voor een kind, kiest de leefvorm alleenstaande ouder",
        )),
        (HouseholdType::SingleParent, Some(false)) => issues.push(FieldIssue::new(
            field::KINDEREN,
            "tegenstrijdig",
            "een alleenstaande ouder heeft per definitie een of meer ten laste komende kinderen \
             (artikel 4, eerste lid, Participatiewet); zonder kinderen is de leefvorm ALLEENSTAANDE",
        )),
        _ => {}
    }
    if partner_income.is_some() && household != HouseholdType::MarriedOrCohabiting {
        issues.push(FieldIssue::new(
            field::PARTNER_INKOMEN,
            "niet_bij_leefvorm",
            "alleen gehuwden of samenwonenden hebben een echtgenoot wiens inkomen de beslagvrije voet \
             verlaagt (artikel 475db, eerste lid, onderdeel a, Rv)",
        ));
    }
    issues
}

/// Whether all amounts are usable for arithmetic (present ones non-negative and bounded).
pub(super) fn amounts_valid(input: &NormInput) -> bool {
    [
        Some(input.net_income),
        input.taxable_yearly_income,
        input.housing_costs,
        input.partner_income,
    ]
    .into_iter()
    .flatten()
    .all(|a| !a.is_negative() && a <= max_amount())
}
