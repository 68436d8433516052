//! Saldo-opgaven: every government claim of a citizen as of a date, in one answer, kept so a
//! counsellor can cite it later.

use actix_web::{HttpResponse, get, post, web};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::caller::{may, whom, whom_by_mandate};
use super::input::{self, Field};
use super::schemas::Burgerservicenummer;
use super::{AppState, Problem, error::ApiError};
use crate::domain::authorization::Operation;
use crate::domain::bsn::Bsn;
use crate::domain::caller::Caller;
use crate::domain::saldo_opgave::{BewaardeSaldoOpgave, SaldoOpgave, check_reference_date};
use crate::domain::validation::FieldIssue;
use crate::service::saldo_opgaven;

/// Het verzoek om een saldo-opgave (het Saldoverzoek van Schuldregelen 2.0, voor alle
/// schuldeisers van het Rijk tegelijk).
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"machtiging": "0193a1b2-7c1a-7d3b-9a52-3f0c2b1e4d5a", "peildatum": "2026-06-15"}))]
pub struct SaldoVerzoek {
    /// Voor een schuldhulpverlener: de burger; of in plaats daarvan `machtiging`. Een burger laat
    /// beide weg.
    #[serde(default)]
    #[schema(value_type = Option<Burgerservicenummer>, example = "999990007")]
    burgerservicenummer: Field<Bsn>,
    /// Voor een schuldhulpverlener: de burger van een van uw machtigingen.
    #[serde(default)]
    #[schema(value_type = Option<Uuid>)]
    machtiging: Field<Uuid>,
    /// De datum waarop de saldi gelden; standaard vandaag, niet later.
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date, example = "2026-06-15")]
    peildatum: Field<NaiveDate>,
}

/// Stel een saldo-opgave op van alle vorderingen van het Rijk op een burger.
///
/// Voor de burger zelf of een schuldhulpverlener met een geldige machtiging. Per schuldeiser elke
/// vordering op de peildatum: oorspronkelijk bedrag, elke ophoging op een eigen regel met haar
/// categorie, betaald, kwijtgescholden, openstaand, fase, betwist en of de vordering in een
/// regeling valt; totalen per schuldeiser en samen, tot op de cent; en welke schuldeisers nog niet
/// zijn aangesloten. De opgave wordt bewaard en is later onveranderd op te vragen.
#[utoipa::path(tag = "Schuldhulp",
    operation_id = "saldoOpgaveOpstellen",
    request_body = SaldoVerzoek,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "De saldo-opgave is opgesteld en bewaard", body = SaldoOpgave),
        (status = 403, description = "Geen geldige machtiging van deze burger", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "U heeft geen machtiging met het id in `machtiging`", body = Problem, content_type = "application/problem+json"),
    ))]
#[post("/saldo-opgaven")]
pub async fn make(
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Json<input::Unique>,
) -> Result<HttpResponse, ApiError> {
    may(&caller, Operation::MakeBalanceStatement)?;
    let today = state.services.now().today;
    let (bsn, mandate, date) = input::parse::<SaldoVerzoek, _>(&body, |req, c| {
        let bsn = c.optional("burgerservicenummer", req.burgerservicenummer);
        let mandate = c.optional("machtiging", req.machtiging);
        let date = c.optional("peildatum", req.peildatum);
        c.rule(date.flatten().and_then(|d| check_reference_date(d, today)));
        Some((bsn?, mandate?, date?))
    })?;
    let whom = whom(&caller, bsn, mandate, &state.pseudonymizer)?;
    let statement = state
        .services
        .run(move |uow| saldo_opgaven::make(uow, &caller, &whom, date))
        .await?;
    Ok(HttpResponse::Created().json(statement))
}

/// Een bewaarde saldo-opgave, zoals zij werd opgesteld.
///
/// Voor de burger zelf of een schuldhulpverlener met een geldige machtiging; elk ander id is niet
/// gevonden.
#[utoipa::path(tag = "Schuldhulp",
    operation_id = "saldoOpgaveOpvragen",
    params(("id" = Uuid, Path, description = "Id van de saldo-opgave")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "De bewaarde saldo-opgave, ongewijzigd", body = SaldoOpgave),
        (status = 404, description = "Deze saldo-opgave bestaat niet, of u mag haar niet inzien", body = Problem, content_type = "application/problem+json"),
    ))]
#[get("/saldo-opgaven/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner().to_string();
    let statement = state
        .services
        .read(move |uow| saldo_opgaven::get(uow, &caller, &id))
        .await?;
    Ok(HttpResponse::Ok().json(statement))
}

/// Welke burger: voor een schuldhulpverlener een van haar machtigingen; een burger laat hem weg.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WelkeBurger {
    /// Voor een schuldhulpverlener: het id van de machtiging van de burger.
    #[param(value_type = Option<Uuid>)]
    machtiging: Option<String>,
}

/// De saldo-opgaven van een burger.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SaldoOpgaven {
    /// De nieuwste eerst.
    saldo_opgaven: Vec<BewaardeSaldoOpgave>,
}

/// De eerder opgestelde saldo-opgaven van een burger.
///
/// Voor de burger zelf (zonder `machtiging`) of een schuldhulpverlener met een geldige machtiging
/// van de burger: alle bewaarde saldo-opgaven van die burger, wie ze ook opstelde, de nieuwste
/// eerst, elk met peildatum, wie hem opstelde en het totaal dat openstond. De volledige opgave
/// staat onder `GET /saldo-opgaven/{id}`.
#[utoipa::path(tag = "Schuldhulp",
    operation_id = "saldoOpgavenOpvragen",
    params(WelkeBurger),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "De bewaarde saldo-opgaven van de burger, de nieuwste eerst", body = SaldoOpgaven),
        (status = 403, description = "Geen geldige machtiging van deze burger", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "U heeft geen machtiging met dit id", body = Problem, content_type = "application/problem+json"),
    ))]
#[get("/saldo-opgaven")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<WelkeBurger>,
) -> Result<HttpResponse, ApiError> {
    may(&caller, Operation::ReadBalanceStatement)?;
    let mandate = match query.into_inner().machtiging {
        None => None,
        Some(id) => Some(Uuid::parse_str(&id).map_err(|_| {
            ApiError::invalid(vec![FieldIssue::new(
                "machtiging",
                "ongeldig_id",
                "is geen geldig id van een machtiging",
            )])
        })?),
    };
    let whom = whom_by_mandate(&caller, mandate)?;
    let listed = state
        .services
        .read(move |uow| saldo_opgaven::list(uow, &caller, &whom))
        .await?;
    Ok(HttpResponse::Ok().json(SaldoOpgaven {
        saldo_opgaven: listed,
    }))
}
