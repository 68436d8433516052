//! The legal beslagvrije voet: its dated tables and computations for a household. Both are
//! public: a citizen checks the norm before logging in, and counsellors' own tools call it. They
//! hold no personal data, so nothing is logged about who asked.

use actix_web::{HttpResponse, get, post, web};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use super::caller::may;
use super::input::{self, Checker, Field, FromJson};
use super::schemas::{Bedrag, Getal, Invoerbedrag, Leefvorm};
use super::{AppState, error::ApiError};
use crate::domain::authorization::Operation;
use crate::domain::beslagvrije_voet::{
    NormInput, NormResult, NormTable, Parameter, ParameterValue, UsedParameter,
};
use crate::domain::caller::Caller;
use crate::domain::household::HouseholdType;
use crate::domain::money::Money;
use crate::domain::validation::FieldIssue;
use crate::service::norms;

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Normtabel {
    #[schema(example = "2026-07-01")]
    geldig_vanaf: NaiveDate,
    parameters: Vec<Normparameter>,
}

/// Eén getal van de formule van de wet, met zijn bron.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Normparameter {
    #[schema(example = "BIJSTANDSNORM_ALLEENSTAANDE")]
    code: &'static str,
    /// De letter in artikel 475da lid 2 Rv, als die er is.
    #[schema(example = "A")]
    symbool: Option<&'static str>,
    omschrijving: &'static str,
    /// EURO_PER_MAAND, EURO_PER_JAAR of PROCENT (het getal dat de wet schrijft: 13.730 is 13,730%).
    #[schema(example = "EURO_PER_MAAND")]
    eenheid: &'static str,
    /// Het exacte getal, als tekst: een bedrag in euro of het percentage dat de wet schrijft.
    #[schema(value_type = Getal, example = "1419.46")]
    waarde: Decimal,
    /// Het wetsartikel dat het bedrag of percentage gebruikt of vaststelt.
    grondslag: &'static str,
    /// Waar het getal vandaan komt.
    bron: String,
    /// Is het getal gecontroleerd tegen de wettekst of een officiële publicatie?
    bevestigd: bool,
}

#[derive(Serialize, ToSchema)]
pub struct Normtabellen {
    /// Nieuwste eerst.
    normtabellen: Vec<Normtabel>,
}

impl From<&ParameterValue> for Normparameter {
    fn from(v: &ParameterValue) -> Normparameter {
        Normparameter {
            code: v.parameter.code(),
            symbool: v.parameter.symbol(),
            omschrijving: v.parameter.description(),
            eenheid: v.parameter.unit().code(),
            waarde: v.value,
            grondslag: v.parameter.legal_source(),
            bron: v.source.clone(),
            bevestigd: v.confirmed,
        }
    }
}

impl From<&NormTable> for Normtabel {
    fn from(t: &NormTable) -> Normtabel {
        Normtabel {
            geldig_vanaf: t.valid_from,
            parameters: t.values.iter().map(Normparameter::from).collect(),
        }
    }
}

/// De normtabellen
///
/// Nieuwste eerst, elk getal met zijn bron. Openbaar.
#[utoipa::path(operation_id = "normtabellenOphalen", tag = "Normen",
    responses(
        (status = 200, description = "De normtabellen, de nieuwste eerst", body = Normtabellen),
    ))]
#[get("/normtabellen")]
pub async fn list(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let tables = state.services.read(|uow| Ok(norms::tables(uow))).await?;
    Ok(HttpResponse::Ok().json(Normtabellen {
        normtabellen: tables.iter().rev().map(Normtabel::from).collect(),
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({
    "geldigVanaf": "2027-01-01",
    "parameters": [
        {"code": "BIJSTANDSNORM_ALLEENSTAANDE", "waarde": "1441.00", "bron": "Participatiewet art. 21 onderdeel a, tekst geldend op 1 januari 2027"},
        {"code": "ZORGTOESLAG_PERCENTAGE", "waarde": "13.730", "bron": "Wet op de zorgtoeslag art. 2 lid 3, tekst geldend op 1 januari 2027"}
    ]
}))]
pub struct NormtabelInvoer {
    /// Het halfjaar direct na de nieuwste bestaande tabel (1 januari of 1 juli); bestaande
    /// tabellen veranderen nooit.
    #[schema(value_type = String, format = Date)]
    geldig_vanaf: Field<NaiveDate>,
    /// Elk getal van de formule; de tabel moet de zelfcontrole van artikel 475da lid 8 Rv doorstaan.
    #[schema(value_type = Vec<NormparameterInvoer>)]
    parameters: Field<Vec<Value>>,
}

#[derive(Deserialize, ToSchema)]
pub struct NormparameterInvoer {
    #[schema(value_type = String, example = "BIJSTANDSNORM_ALLEENSTAANDE")]
    code: Field<String>,
    /// Het exacte getal als tekst: een bedrag in euro of het percentage dat de wet schrijft.
    #[schema(value_type = Getal, example = "1441.00")]
    waarde: Field<Decimal>,
    #[schema(value_type = String, example = "Participatiewet art. 21, tekst geldend op 1 januari 2027")]
    bron: Field<String>,
    /// Standaard true.
    #[schema(value_type = Option<bool>)]
    bevestigd: Field<bool>,
}

impl FromJson for Decimal {
    fn from_json(value: Value) -> Result<Decimal, String> {
        let reason = || "moet een getal als tekst zijn, zoals \"1441.00\" of \"13.730\"".to_owned();
        let text = value.as_str().ok_or_else(reason)?;
        let plain = !text.is_empty()
            && text.len() <= 20
            && text.bytes().all(|b| b.is_ascii_digit() || b == b'.')
            && text.bytes().filter(|b| *b == b'.').count() <= 1;
        plain
            .then(|| text.parse::<Decimal>().ok())
            .flatten()
            .ok_or_else(reason)
    }
}

/// Een normtabel toevoegen
///
/// De normtabel van het volgende halfjaar (alleen beheerders).
#[utoipa::path(operation_id = "normtabelToevoegen", tag = "Normen",
    request_body = NormtabelInvoer,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "De normtabel is vastgelegd", body = Normtabel),
    ))]
#[post("/normtabellen")]
pub async fn add(
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Json<input::Unique>,
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
            let value = c.required("waarde", p.waarde);
            let source = c.required("bron", p.bron);
            let confirmed = c.optional("bevestigd", p.bevestigd);
            Some(ParameterValue {
                parameter: parameter?,
                value: value?,
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

/// De situatie van een huishouden, zoals de wettelijke norm die nodig heeft. Ook het
/// `huishouden` van een voorstel, dat geen `peildatum` heeft.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({
    "peildatum": "2026-11-23",
    "leefvorm": "ALLEENSTAANDE",
    "nettoInkomen": "3100.00",
    "belastbaarJaarinkomen": "60000.00",
    "woonkosten": "1150.00",
    "woonkostencorrectie": false
}))]
pub struct Huishouden {
    /// De dag waarvoor de norm geldt; standaard vandaag. Niet bij een voorstel: dat rekent met de
    /// norm op de eerste vervaldatum.
    #[schema(value_type = Option<String>, format = Date)]
    peildatum: Field<NaiveDate>,
    /// ALLEENSTAANDE, ALLEENSTAANDE_OUDER of GEHUWD_OF_SAMENWONEND.
    #[schema(value_type = Leefvorm, example = "ALLEENSTAANDE")]
    leefvorm: Field<HouseholdType>,
    /// Bij GEHUWD_OF_SAMENWONEND verplicht: zijn er een of meer kinderen? Niet bij ALLEENSTAANDE.
    #[schema(value_type = Option<bool>)]
    kinderen: Field<bool>,
    /// Pensioengerechtigde leeftijd bereikt? Standaard false; de wet rekent op elke leeftijd met
    /// dezelfde normen, dus het verandert geen bedrag.
    #[schema(value_type = Option<bool>)]
    pensioengerechtigd: Field<bool>,
    /// Netto per maand, inclusief vakantiegeld, zonder toeslagen (artikel 475dc Rv).
    #[schema(value_type = Invoerbedrag, example = "3100.00", pattern = r"^\d{1,12}\.\d{2}$")]
    netto_inkomen: Field<Money>,
    /// Het belastbaar inkomen van u en uw partner per jaar (C in artikel 475da lid 2 Rv). Verplicht
    /// als het de uitkomst kan veranderen: meestal als het netto-inkomen hoger is dan de
    /// bijstandsnorm, tenzij de verhoging voor woonkosten de beslagvrije voet al op 95% van het
    /// inkomen brengt (artikel 475dc Rv); ook daaronder als het inkomen van de echtgenoot meetelt.
    #[schema(value_type = Option<Invoerbedrag>, example = "60000.00", pattern = r"^\d{1,12}\.\d{2}$")]
    belastbaar_jaarinkomen: Field<Money>,
    /// Woonkosten per maand zoals artikel 475ab Rv ze omschrijft.
    #[schema(value_type = Option<Invoerbedrag>, example = "1150.00", pattern = r"^\d{1,12}\.\d{2}$")]
    woonkosten: Field<Money>,
    /// true vraagt de verhoging bij hoge woonkosten (artikel 475da lid 5 Rv); standaard false.
    #[schema(value_type = Option<bool>)]
    woonkostencorrectie: Field<bool>,
    /// Het inkomen van uw partner per maand waarop geen beslag ligt (artikel 475db Rv).
    #[schema(value_type = Option<Invoerbedrag>, example = "0.00", pattern = r"^\d{1,12}\.\d{2}$")]
    partner_inkomen: Field<Money>,
}

impl Huishouden {
    /// The norm input this describes, for `peildatum` when the request names none. With
    /// `fixed_peildatum` the request may not name one (a proposal's norm is that of its first
    /// due date).
    pub fn read(
        self,
        c: &mut Checker,
        peildatum: NaiveDate,
        fixed_peildatum: bool,
    ) -> Option<NormInput> {
        let named = c.optional("peildatum", self.peildatum);
        if fixed_peildatum && matches!(named, Some(Some(_))) {
            c.push(FieldIssue::new(
                "peildatum",
                "niet_van_toepassing",
                "laat weg: een voorstel rekent met de norm op de eerste vervaldatum",
            ));
        }
        let household = c.required("leefvorm", self.leefvorm);
        let children = c.optional("kinderen", self.kinderen);
        let pension_age = c.optional("pensioengerechtigd", self.pensioengerechtigd);
        let net_income = match self.netto_inkomen {
            Field::Missing | Field::Null => c.required("nettoInkomen", Field::<Money>::Missing),
            value => c.non_negative("nettoInkomen", value).flatten(),
        };
        let taxable = c.non_negative("belastbaarJaarinkomen", self.belastbaar_jaarinkomen);
        let housing_costs = c.non_negative("woonkosten", self.woonkosten);
        let correction = c.optional("woonkostencorrectie", self.woonkostencorrectie);
        let partner_income = c.non_negative("partnerInkomen", self.partner_inkomen);
        Some(NormInput {
            peildatum: named?.filter(|_| !fixed_peildatum).unwrap_or(peildatum),
            household: household?,
            children: children?,
            pension_age: pension_age?.unwrap_or(false),
            net_income: net_income?,
            taxable_yearly_income: taxable?,
            housing_costs: housing_costs?,
            housing_correction: correction?.unwrap_or(false),
            partner_income: partner_income?,
        })
    }
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Normberekening {
    /// Wat u per maand in ieder geval overhoudt.
    #[schema(value_type = Bedrag, example = "2191.42")]
    beslagvrije_voet: Money,
    /// Netto-inkomen min beslagvrije voet, nooit negatief: wat er hoogstens per maand naar schulden
    /// kan gaan.
    #[schema(value_type = Bedrag, example = "908.58")]
    afloscapaciteit: Money,
    #[schema(value_type = Bedrag, example = "3100.00")]
    netto_inkomen: Money,
    peildatum: NaiveDate,
    /// De gebruikte normtabel.
    normtabel_geldig_vanaf: NaiveDate,
    /// Zoals artikel 475da lid 1 en 2 Rv ze onderscheidt: alleenstaande, alleenstaande ouder,
    /// gehuwden zonder kinderen, gehuwden met een of meer kinderen.
    #[schema(example = "alleenstaande")]
    leefsituatie: &'static str,
    /// Elke term van de formule, elke grens en correctie, met artikel, getallen en bron: een
    /// schuldhulpverlener kan alles narekenen.
    stappen: Vec<Rekenstap>,
    waarschuwingen: Vec<Waarschuwing>,
    aannames: Vec<String>,
    /// Stappen waarvoor de normtabel getallen mist; de beslagvrije voet is dan de hoogste die de
    /// wet met wat bekend is toelaat.
    niet_berekend: Vec<NietBerekend>,
}

#[derive(Serialize, ToSchema)]
pub struct Rekenstap {
    #[schema(example = "EERSTE_TERM")]
    code: &'static str,
    omschrijving: String,
    #[schema(example = "art. 475da lid 2 onderdeel a Rv")]
    grondslag: String,
    /// De getallen uit de normtabel die deze stap gebruikt.
    parameters: Vec<GebruiktGetal>,
    /// Op de cent; bij elkaar opgeteld geven de stappen de beslagvrije voet.
    #[schema(value_type = Bedrag, example = "1348.49")]
    bedrag: Money,
}

#[derive(Serialize, ToSchema)]
pub struct GebruiktGetal {
    #[schema(example = "BIJSTANDSNORM_ALLEENSTAANDE")]
    code: &'static str,
    omschrijving: &'static str,
    #[schema(value_type = Getal, example = "1419.46")]
    waarde: Decimal,
    #[schema(example = "EURO_PER_MAAND")]
    eenheid: &'static str,
    bron: String,
    bevestigd: bool,
}

impl From<&UsedParameter> for GebruiktGetal {
    fn from(p: &UsedParameter) -> GebruiktGetal {
        GebruiktGetal {
            code: p.code,
            omschrijving: p.description,
            waarde: p.value,
            eenheid: p.unit.code(),
            bron: p.source.clone(),
            bevestigd: p.confirmed,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct Waarschuwing {
    #[schema(example = "TABEL_MOGELIJK_VEROUDERD")]
    code: &'static str,
    melding: String,
}

#[derive(Serialize, ToSchema)]
pub struct NietBerekend {
    #[schema(example = "HUURTOESLAGTERM")]
    stap: &'static str,
    /// De codes van de ontbrekende getallen.
    ontbrekend: Vec<&'static str>,
    toelichting: String,
}

impl From<&NormResult> for Normberekening {
    fn from(r: &NormResult) -> Normberekening {
        Normberekening {
            beslagvrije_voet: r.beslagvrije_voet,
            afloscapaciteit: r.afloscapaciteit,
            netto_inkomen: r.net_income,
            peildatum: r.peildatum,
            normtabel_geldig_vanaf: r.table_valid_from,
            leefsituatie: r.situation.label(),
            stappen: r
                .steps
                .iter()
                .map(|s| Rekenstap {
                    code: s.code,
                    omschrijving: s.description.clone(),
                    grondslag: s.legal_source.clone(),
                    parameters: s.parameters.iter().map(GebruiktGetal::from).collect(),
                    bedrag: s.amount,
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
            niet_berekend: r
                .not_computed
                .iter()
                .map(|n| NietBerekend {
                    stap: n.step,
                    ontbrekend: n.missing.iter().map(|p| p.code()).collect(),
                    toelichting: n.explanation.clone(),
                })
                .collect(),
        }
    }
}

/// De beslagvrije voet berekenen
///
/// De wettelijke beslagvrije voet (artikel 475da–475dc Rv) voor een huishouden, met elke stap,
/// elk getal en zijn bron. Openbaar; slaat niets op.
#[utoipa::path(operation_id = "beslagvrijeVoetBerekenen", tag = "Normen",
    request_body = Huishouden,
    responses(
        (status = 200, description = "De beslagvrije voet, met elke stap van de berekening", body = Normberekening),
    ))]
#[post("/normberekeningen")]
pub async fn compute(
    state: web::Data<AppState>,
    body: web::Json<input::Unique>,
) -> Result<HttpResponse, ApiError> {
    let today = state.services.now().today;
    let input = input::parse::<Huishouden, _>(&body, |req, c| req.read(c, today, false))?;
    let result = state
        .services
        .read(move |uow| norms::compute(uow, &input))
        .await?;
    Ok(HttpResponse::Ok().json(Normberekening::from(&result)))
}
