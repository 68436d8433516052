//! The common norm: its dated tables and computations for a household.

use actix_web::{HttpResponse, get, post, web};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use super::caller::may;
use super::input::{self, Checker, Field};
use super::{AppState, Problem, error::ApiError};
use crate::domain::authorization::Operation;
use crate::domain::caller::Caller;
use crate::domain::household::HouseholdType;
use crate::domain::money::Money;
use crate::domain::norm::{
    Allowances, NormInput, NormResult, NormTable, Parameter, ParameterValue,
};
use crate::domain::validation::{FieldIssue, check_not_negative};
use crate::service::norms;

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Normtabel {
    #[schema(example = "2025-07-01")]
    geldig_vanaf: NaiveDate,
    parameters: Vec<Normparameter>,
}

#[derive(Serialize, ToSchema)]
pub struct Normparameter {
    #[schema(example = "BIJSTANDSNORM_ALLEENSTAANDE")]
    code: &'static str,
    omschrijving: &'static str,
    #[schema(value_type = String, example = "1369.06")]
    bedrag: Money,
    /// Waar het bedrag vandaan komt.
    bron: String,
    /// Is het bedrag gecontroleerd tegen een officiële publicatie?
    bevestigd: bool,
}

#[derive(Serialize, ToSchema)]
pub struct Normtabellen {
    /// Nieuwste eerst.
    normtabellen: Vec<Normtabel>,
}

impl From<&NormTable> for Normtabel {
    fn from(t: &NormTable) -> Normtabel {
        Normtabel {
            geldig_vanaf: t.valid_from,
            parameters: t
                .values
                .iter()
                .map(|v| Normparameter {
                    code: v.parameter.code(),
                    omschrijving: v.parameter.description(),
                    bedrag: v.amount,
                    bron: v.source.clone(),
                    bevestigd: v.confirmed,
                })
                .collect(),
        }
    }
}

/// The dated norm tables, newest first, every value with its source.
#[utoipa::path(tag = "Normen",
    security(("bearer" = [])),
    responses(
        (status = 200, body = Normtabellen),
        (status = 401, body = Problem, content_type = "application/problem+json"),
    ))]
#[get("/normtabellen")]
pub async fn list(state: web::Data<AppState>, _caller: Caller) -> Result<HttpResponse, ApiError> {
    let tables = state.services.run(|uow| Ok(norms::tables(uow))).await?;
    Ok(HttpResponse::Ok().json(Normtabellen {
        normtabellen: tables.iter().rev().map(Normtabel::from).collect(),
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({
    "geldigVanaf": "2026-07-01",
    "parameters": [
        {"code": "BIJSTANDSNORM_ALLEENSTAANDE", "bedrag": "1420.00", "bron": "Normenbrief SZW per 1 juli 2026"},
        {"code": "BIJSTANDSNORM_GEHUWDEN", "bedrag": "2028.57", "bron": "Normenbrief SZW per 1 juli 2026"}
    ]
}))]
pub struct NormtabelInvoer {
    /// Na de nieuwste bestaande tabel; bestaande tabellen veranderen nooit.
    #[schema(value_type = String, format = Date)]
    geldig_vanaf: Field<NaiveDate>,
    /// BIJSTANDSNORM_ALLEENSTAANDE en BIJSTANDSNORM_GEHUWDEN zijn verplicht; de normen voor
    /// pensioengerechtigden mogen ontbreken (dan geldt de nieuwste tabel die ze wel heeft).
    #[schema(value_type = Vec<NormparameterInvoer>)]
    parameters: Field<Vec<Value>>,
}

#[derive(Deserialize, ToSchema)]
pub struct NormparameterInvoer {
    #[schema(value_type = String, example = "BIJSTANDSNORM_ALLEENSTAANDE")]
    code: Field<String>,
    #[schema(value_type = String, example = "1420.00")]
    bedrag: Field<Money>,
    #[schema(value_type = String, example = "Normenbrief SZW per 1 juli 2026")]
    bron: Field<String>,
    /// Standaard true.
    #[schema(value_type = Option<bool>)]
    bevestigd: Field<bool>,
}

/// Adds the norm table of the next period (administrators only).
#[utoipa::path(tag = "Normen",
    request_body = NormtabelInvoer,
    security(("bearer" = [])),
    responses(
        (status = 201, body = Normtabel),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
    ))]
#[post("/normtabellen")]
pub async fn add(
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Json<Value>,
) -> Result<HttpResponse, ApiError> {
    may(&caller, Operation::ManageReferenceData)?;
    let table = input::parse::<NormtabelInvoer, _>(&body, |req, c| {
        let valid_from = c.required("geldigVanaf", req.geldig_vanaf);
        let items = c.required("parameters", req.parameters)?;
        let values = c.list::<NormparameterInvoer, _>("parameters", &items, |p, c| {
            let code = c.required("code", p.code);
            let parameter = code.and_then(|code| {
                let parameter = Parameter::from_code(&code);
                if parameter.is_none() {
                    let allowed: Vec<&str> = Parameter::ALL.iter().map(|p| p.code()).collect();
                    c.rule(Some(FieldIssue::new(
                        "code",
                        "onbekend",
                        format!("moet een van deze waarden zijn: {}", allowed.join(", ")),
                    )));
                }
                parameter
            });
            let amount = c.required("bedrag", p.bedrag);
            let source = c.required("bron", p.bron);
            let confirmed = c.optional("bevestigd", p.bevestigd);
            Some(ParameterValue {
                parameter: parameter?,
                amount: amount?,
                source: source?,
                confirmed: confirmed?.unwrap_or(true),
            })
        });
        Some(NormTable {
            valid_from: valid_from?,
            values: values?,
        })
    })?;
    let added = state
        .services
        .run(move |uow| norms::add_table(uow, &caller, &table))
        .await?;
    Ok(HttpResponse::Created().json(Normtabel::from(&added)))
}

/// A household's situation, as the norm needs it. Also part of a proposal request.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({
    "peildatum": "2026-11-23",
    "leefvorm": "ALLEENSTAANDE",
    "pensioengerechtigd": false,
    "nettoInkomen": "1650.00",
    "woonkosten": "720.00",
    "huurtoeslag": "0.00",
    "zorgtoeslag": "123.00"
}))]
pub struct Huishouden {
    /// Standaard vandaag.
    #[schema(value_type = Option<String>, format = Date)]
    peildatum: Field<NaiveDate>,
    /// ALLEENSTAANDE, ALLEENSTAANDE_OUDER of GEHUWD_OF_SAMENWONEND.
    #[schema(value_type = String, example = "ALLEENSTAANDE")]
    leefvorm: Field<HouseholdType>,
    /// Heeft u (of, bij gehuwden, één van beiden) de pensioengerechtigde leeftijd bereikt?
    /// Standaard false.
    #[schema(value_type = Option<bool>)]
    pensioengerechtigd: Field<bool>,
    /// Netto per maand, inclusief vakantiegeld, zonder toeslagen.
    #[schema(value_type = String, example = "1650.00")]
    netto_inkomen: Field<Money>,
    /// Huur of hypotheeklasten per maand.
    #[schema(value_type = Option<String>, example = "720.00")]
    woonkosten: Field<Money>,
    /// Ontvangen huurtoeslag per maand; standaard 0.00.
    #[schema(value_type = Option<String>)]
    huurtoeslag: Field<Money>,
    /// Ontvangen zorgtoeslag per maand; standaard 0.00.
    #[schema(value_type = Option<String>)]
    zorgtoeslag: Field<Money>,
    /// Ontvangen kindgebonden budget per maand; standaard 0.00.
    #[schema(value_type = Option<String>)]
    kindgebonden_budget: Field<Money>,
}

fn non_negative(c: &mut Checker, field: &str, amount: Money) -> Option<Money> {
    let issue = check_not_negative(field, amount);
    let valid = issue.is_none();
    c.rule(issue);
    valid.then_some(amount)
}

/// An optional amount that may not be negative: `Some(None)` when absent, `None` when invalid.
fn optional_amount(c: &mut Checker, field: &str, value: Field<Money>) -> Option<Option<Money>> {
    match c.optional(field, value)? {
        Some(amount) => non_negative(c, field, amount).map(Some),
        None => Some(None),
    }
}

impl Huishouden {
    /// The norm input this describes; `today` is the default peildatum.
    pub fn read(self, c: &mut Checker, today: NaiveDate) -> Option<NormInput> {
        let peildatum = c.optional("peildatum", self.peildatum);
        let household = c.required("leefvorm", self.leefvorm);
        let pension_age = c.optional("pensioengerechtigd", self.pensioengerechtigd);
        let income = c.required("nettoInkomen", self.netto_inkomen);
        let net_income = income.and_then(|amount| non_negative(c, "nettoInkomen", amount));
        let housing_costs = optional_amount(c, "woonkosten", self.woonkosten);
        let huurtoeslag = optional_amount(c, "huurtoeslag", self.huurtoeslag);
        let zorgtoeslag = optional_amount(c, "zorgtoeslag", self.zorgtoeslag);
        let kindgebonden_budget =
            optional_amount(c, "kindgebondenBudget", self.kindgebonden_budget);
        Some(NormInput {
            peildatum: peildatum?.unwrap_or(today),
            household: household?,
            pension_age: pension_age?.unwrap_or(false),
            net_income: net_income?,
            housing_costs: housing_costs?,
            allowances: Allowances {
                huurtoeslag: huurtoeslag?.unwrap_or(Money::ZERO),
                zorgtoeslag: zorgtoeslag?.unwrap_or(Money::ZERO),
                kindgebonden_budget: kindgebonden_budget?.unwrap_or(Money::ZERO),
            },
        })
    }
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Normberekening {
    /// Wat u per maand in ieder geval overhoudt.
    #[schema(value_type = String, example = "1331.43")]
    beslagvrije_voet: Money,
    /// Netto-inkomen min beslagvrije voet: wat er hoogstens per maand naar schulden kan gaan.
    #[schema(value_type = String, example = "318.57")]
    afloscapaciteit: Money,
    #[schema(value_type = String, example = "1650.00")]
    netto_inkomen: Money,
    peildatum: NaiveDate,
    /// De gebruikte normtabel.
    normtabel_geldig_vanaf: NaiveDate,
    /// Elke stap van de berekening, met de wettelijke grondslag.
    stappen: Vec<Rekenstap>,
    /// Correcties die de wet kent, en of ze zijn toegepast.
    correcties: Vec<Correctie>,
    waarschuwingen: Vec<Waarschuwing>,
    aannames: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct Rekenstap {
    #[schema(example = "BESLAGVRIJE_VOET")]
    code: &'static str,
    omschrijving: String,
    grondslag: String,
    #[schema(value_type = String, example = "1331.43")]
    bedrag: Money,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Correctie {
    #[schema(example = "WOONKOSTEN")]
    code: &'static str,
    omschrijving: &'static str,
    grondslag: &'static str,
    toegepast: bool,
    /// Wijst de invoer erop dat deze correctie voor u zou kunnen gelden?
    mogelijk_van_toepassing: bool,
    toelichting: String,
}

#[derive(Serialize, ToSchema)]
pub struct Waarschuwing {
    /// TABEL_MOGELIJK_VEROUDERD, PARAMETER_UIT_OUDERE_TABEL, PARAMETER_NIET_BEVESTIGD,
    /// CORRECTIE_NIET_TOEGEPAST of INVOER_ONWAARSCHIJNLIJK.
    #[schema(example = "PARAMETER_NIET_BEVESTIGD")]
    code: &'static str,
    melding: String,
}

impl From<&NormResult> for Normberekening {
    fn from(r: &NormResult) -> Normberekening {
        Normberekening {
            beslagvrije_voet: r.norm,
            afloscapaciteit: r.capacity,
            netto_inkomen: r.net_income,
            peildatum: r.peildatum,
            normtabel_geldig_vanaf: r.table_valid_from,
            stappen: r
                .steps
                .iter()
                .map(|s| Rekenstap {
                    code: s.code,
                    omschrijving: s.description.clone(),
                    grondslag: s.legal_source.clone(),
                    bedrag: s.amount,
                })
                .collect(),
            correcties: r
                .corrections
                .iter()
                .map(|c| Correctie {
                    code: c.code.code(),
                    omschrijving: c.description,
                    grondslag: c.legal_source,
                    toegepast: c.applied,
                    mogelijk_van_toepassing: c.may_apply,
                    toelichting: c.explanation.clone(),
                })
                .collect(),
            waarschuwingen: r
                .warnings
                .iter()
                .map(|w| Waarschuwing {
                    code: w.code,
                    melding: w.message.clone(),
                })
                .collect(),
            aannames: r.assumptions.clone(),
        }
    }
}

/// Computes the common norm (beslagvrije voet) for a household, with every step, parameter,
/// source and warning. Stores nothing.
#[utoipa::path(tag = "Normen",
    request_body = Huishouden,
    security(("bearer" = [])),
    responses(
        (status = 200, body = Normberekening),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
    ))]
#[post("/normberekeningen")]
pub async fn compute(
    state: web::Data<AppState>,
    _caller: Caller,
    body: web::Json<Value>,
) -> Result<HttpResponse, ApiError> {
    let today = state.services.now().today;
    let input = input::parse::<Huishouden, _>(&body, |req, c| req.read(c, today))?;
    let result = state
        .services
        .run(move |uow| norms::compute(uow, &input))
        .await?;
    Ok(HttpResponse::Ok().json(Normberekening::from(&result)))
}
