//! The creditor registry: public list; administrators add or change entries.

use actix_web::{HttpResponse, get, put, web};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use super::caller::may;
use super::input::{self, Checker, Field};
use super::{AppState, error::ApiError};
use crate::domain::authorization::Operation;
use crate::domain::caller::Caller;
use crate::domain::creditor::{Contact, Creditor, Saved};
use crate::service::creditors;

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Schuldeiser {
    #[schema(example = "CJIB")]
    code: String,
    #[schema(example = "Centraal Justitieel Incassobureau")]
    naam: String,
    /// Deelname aan de Betalingsregeling Rijk sinds deze datum; `null`: neemt niet deel.
    #[schema(example = "2022-11-01")]
    betalingsregeling_rijk_vanaf: Option<NaiveDate>,
    /// Levert al zijn vorderingen aan deze dienst sinds deze datum; `null`: (nog) niet aangesloten.
    overzicht_aangesloten_vanaf: Option<NaiveDate>,
    /// Het `<organisatie>`-deel van de vorderingtypes van deze schuldeiser.
    #[schema(example = "cjib")]
    vorderingtype_voorvoegsel: String,
    contact: ContactGegevens,
    /// Rang bij een preferente verdeling van een Betalingsregeling Rijk (lager gaat voor);
    /// `null`: geen voorrang.
    voorkeursrang: Option<u32>,
}

#[derive(Serialize, ToSchema)]
pub struct ContactGegevens {
    #[schema(example = "https://www.cjib.nl")]
    website: Option<String>,
    telefoon: Option<String>,
}

impl From<&Contact> for ContactGegevens {
    fn from(contact: &Contact) -> ContactGegevens {
        ContactGegevens {
            website: contact.website.clone(),
            telefoon: contact.phone.clone(),
        }
    }
}

impl From<&Creditor> for Schuldeiser {
    fn from(c: &Creditor) -> Schuldeiser {
        Schuldeiser {
            code: c.code.clone(),
            naam: c.name.clone(),
            betalingsregeling_rijk_vanaf: c.brr_from,
            overzicht_aangesloten_vanaf: c.connected_from,
            vorderingtype_voorvoegsel: c.claim_type_prefix.clone(),
            contact: ContactGegevens::from(&c.contact),
            voorkeursrang: c.preference_rank,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct Schuldeisers {
    schuldeisers: Vec<Schuldeiser>,
}

/// Het register van schuldeisers
///
/// Wie invordert, wie meedoet aan de Betalingsregeling Rijk, en wie op deze dienst is aangesloten.
#[utoipa::path(operation_id = "schuldeisersOphalen", tag = "Schuldeisers", responses(
    (status = 200, description = "Het register van schuldeisers", body = Schuldeisers),
))]
#[get("/schuldeisers")]
pub async fn list(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let creditors = state.services.read(|uow| Ok(creditors::list(uow))).await?;
    Ok(HttpResponse::Ok().json(Schuldeisers {
        schuldeisers: creditors.iter().map(Schuldeiser::from).collect(),
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SchuldeiserInvoer {
    #[schema(value_type = String, example = "Centraal Justitieel Incassobureau", max_length = 200)]
    naam: Field<String>,
    /// 2 tot 16 kleine letters of cijfers; elk vorderingtype van de schuldeiser begint ermee.
    #[schema(value_type = String, example = "cjib", pattern = "^[a-z0-9]{2,16}$")]
    vorderingtype_voorvoegsel: Field<String>,
    #[schema(value_type = Option<String>, format = Date, example = "2022-11-01")]
    betalingsregeling_rijk_vanaf: Field<NaiveDate>,
    #[schema(value_type = Option<String>, format = Date, example = "2026-01-01")]
    overzicht_aangesloten_vanaf: Field<NaiveDate>,
    #[schema(value_type = Option<ContactInvoer>)]
    contact: Field<Value>,
    /// Rang bij een preferente verdeling (lager gaat voor); weglaten: geen voorrang.
    #[schema(value_type = Option<u32>)]
    voorkeursrang: Field<u32>,
}

#[derive(Deserialize, ToSchema)]
pub struct ContactInvoer {
    #[schema(value_type = Option<String>)]
    website: Field<String>,
    #[schema(value_type = Option<String>)]
    telefoon: Field<String>,
}

/// The optional `contact` of a registry entry, read like the body around it: every problem in
/// it, an unknown field too, is reported as `contact.<veld>`.
pub fn read_contact(c: &mut Checker, contact: Field<Value>) -> Option<Contact> {
    match c.optional("contact", contact)? {
        None => Some(Contact::default()),
        Some(value) => c.nested("contact", value, |contact: ContactInvoer, c| {
            let website = c.optional("website", contact.website);
            let phone = c.optional("telefoon", contact.telefoon);
            Some(Contact {
                website: website?,
                phone: phone?,
            })
        }),
    }
}

/// Een schuldeiser vastleggen
///
/// Voegt een schuldeiser toe aan het register of vervangt zijn gegevens (alleen beheerders).
#[utoipa::path(operation_id = "schuldeiserVastleggen", tag = "Schuldeisers",
    params(("code" = String, Path, description = "Code van de schuldeiser, bijvoorbeeld CJIB: 2 tot 32 hoofdletters, cijfers of liggende streepjes",
        pattern = "^[A-Z0-9_]{2,32}$")),
    request_body = SchuldeiserInvoer,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Bijgewerkt", body = Schuldeiser),
        (status = 201, description = "Toegevoegd", body = Schuldeiser),
    ))]
#[put("/schuldeisers/{code}")]
pub async fn put(
    state: web::Data<AppState>,
    caller: Caller,
    code: web::Path<String>,
    body: web::Json<input::Unique>,
) -> Result<HttpResponse, ApiError> {
    may(&caller, Operation::ManageReferenceData)?;
    let code = code.into_inner();
    let creditor = input::parse::<SchuldeiserInvoer, _>(&body, |req, c| {
        let name = c.required("naam", req.naam);
        let prefix = c.required("vorderingtypeVoorvoegsel", req.vorderingtype_voorvoegsel);
        let brr_from = c.optional(
            "betalingsregelingRijkVanaf",
            req.betalingsregeling_rijk_vanaf,
        );
        let connected_from =
            c.optional("overzichtAangeslotenVanaf", req.overzicht_aangesloten_vanaf);
        let contact = read_contact(c, req.contact);
        let preference_rank = c.optional("voorkeursrang", req.voorkeursrang);
        Some(Creditor {
            code: code.clone(),
            name: name?,
            claim_type_prefix: prefix?,
            brr_from: brr_from?,
            connected_from: connected_from?,
            contact: contact?,
            preference_rank: preference_rank?,
        })
    })?;
    let saved_creditor = creditor.clone();
    let saved = state
        .services
        .run(move |uow| creditors::put(uow, &caller, &saved_creditor))
        .await?;
    let mut response = match saved {
        Saved::Created => HttpResponse::Created(),
        Saved::Updated => HttpResponse::Ok(),
    };
    Ok(response.json(Schuldeiser::from(&creditor)))
}
