//! Debt-help trajectories (schuldhulptrajecten): registered by a counsellor with the citizen's
//! mandate, changed or ended, and read.

use actix_web::{HttpResponse, get, patch, post, web};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::caller::{may, whom};
use super::input::{self, Field};
use super::schemas::{Burgerservicenummer, Trajectfase};
use super::{AppState, Problem, error::ApiError};
use crate::domain::authorization::Operation;
use crate::domain::bsn::Bsn;
use crate::domain::caller::Caller;
use crate::domain::schuldhulptraject::{
    Registration, Trajectory, TrajectoryChange, TrajectoryPhase,
};
use crate::domain::time::format_instant;
use crate::service::schuldhulptrajecten;

/// Een schuldhulptraject: de burger zit in gemeentelijke schuldhulpverlening, en de schuldeisers
/// van het Rijk pauzeren zolang hun invordering (de schuldenpauze).
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Schuldhulptraject {
    id: String,
    #[schema(value_type = Trajectfase, example = "STABILISATIE")]
    fase: &'static str,
    startdatum: NaiveDate,
    /// De laatste dag, als het traject is beëindigd.
    einddatum: Option<NaiveDate>,
    /// De dag waarop de rechter de wettelijke schuldsanering uitsprak, als die is opgegeven.
    /// Beslagen die toen al gelegd waren, zijn met ingang van die dag vervallen (art. 301 lid 3
    /// Faillissementswet) en tellen niet meer mee voor samenloop.
    uitspraakdatum: Option<NaiveDate>,
    /// LOPEND of BEEINDIGD.
    #[schema(example = "LOPEND")]
    status: &'static str,
    /// De organisatie voor schuldhulpverlening die het traject registreerde.
    #[schema(example = "GKB-AMSTERDAM")]
    schuldhulpverlener: String,
    /// De schuldeisers (codes) die van het traject op de hoogte zijn gebracht; vanaf de
    /// wettelijke schuldsanering ook de coördinerende invorderaar van een lopende
    /// Betalingsregeling Rijk.
    geinformeerde_schuldeisers: Vec<String>,
    /// Is de machtiging waaronder de schuldhulpverlener werkt geëindigd (en is zij daarover
    /// ingelicht)?
    machtiging_geeindigd: bool,
    #[schema(format = DateTime)]
    geregistreerd_op: String,
    #[schema(format = DateTime)]
    gewijzigd_op: String,
}

impl From<&Trajectory> for Schuldhulptraject {
    fn from(t: &Trajectory) -> Schuldhulptraject {
        Schuldhulptraject {
            id: t.id.clone(),
            fase: t.phase.code(),
            startdatum: t.start,
            einddatum: t.end,
            uitspraakdatum: t.ruling,
            status: if t.is_running() {
                "LOPEND"
            } else {
                "BEEINDIGD"
            },
            schuldhulpverlener: t.counsellor.clone(),
            geinformeerde_schuldeisers: t.informed.iter().cloned().collect(),
            machtiging_geeindigd: t.mandate_end_told,
            geregistreerd_op: format_instant(t.registered_at),
            gewijzigd_op: format_instant(t.changed_at),
        }
    }
}

/// De schuldhulptrajecten van de burger, of die uw organisatie registreerde voor burgers die u nu
/// machtigen; de nieuwste eerst.
#[derive(Serialize, ToSchema)]
pub struct Schuldhulptrajecten {
    schuldhulptrajecten: Vec<Schuldhulptraject>,
}

/// Een nieuw schuldhulptraject.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"burgerservicenummer": "999990007", "fase": "STABILISATIE", "startdatum": "2026-06-01"}))]
pub struct SchuldhulptrajectInvoer {
    /// De burger; of in plaats daarvan `machtiging`.
    #[serde(default)]
    #[schema(value_type = Option<Burgerservicenummer>, example = "999990007")]
    burgerservicenummer: Field<Bsn>,
    /// De burger van een van uw machtigingen, in plaats van een burgerservicenummer.
    #[serde(default)]
    #[schema(value_type = Option<Uuid>)]
    machtiging: Field<Uuid>,
    /// STABILISATIE, SCHULDREGELING, SANERINGSKREDIET of WSNP.
    #[schema(value_type = Trajectfase, example = "STABILISATIE")]
    fase: Field<TrajectoryPhase>,
    /// De dag waarop de schuldhulpverlening begon; niet na vandaag.
    #[schema(value_type = String, format = Date, example = "2026-06-01")]
    startdatum: Field<NaiveDate>,
    /// Alleen bij fase WSNP: de dag waarop de rechter de schuldsanering uitsprak; niet na
    /// vandaag. Beslagen die toen al gelegd waren, zijn met ingang van die dag vervallen (art. 301
    /// lid 3 Faillissementswet): zonder deze datum telt de dienst ze mee tot hun beslaglegger ze
    /// beëindigt.
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date, example = "2026-05-28")]
    uitspraakdatum: Field<NaiveDate>,
}

/// Registreer dat een burger in gemeentelijke schuldhulpverlening zit.
///
/// Voor een schuldhulpverlener met een geldige machtiging van de burger. Elke schuldeiser met een
/// openstaande vordering op de burger krijgt in zijn eigen meldingenfeed te horen, met alleen zijn
/// eigen vorderingen, dat invordering en ophogingen pauzeren en met welke organisatie hij contact
/// opneemt; in de fase WSNP wat de Faillissementswet zegt, en dan krijgt ook de coördinerende
/// invorderaar van een lopende Betalingsregeling Rijk bericht. Per burger loopt hoogstens één
/// traject.
#[utoipa::path(tag = "Schuldhulp",
    operation_id = "schuldhulptrajectRegistreren",
    request_body = SchuldhulptrajectInvoer,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Het traject is geregistreerd; de schuldeisers met een openstaande vordering hebben bericht gekregen", body = Schuldhulptraject),
        (status = 403, description = "Geen schuldhulpverlener, of geen geldige machtiging van deze burger", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "U heeft geen machtiging met het id in `machtiging`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Voor deze burger loopt al een traject", body = Problem, content_type = "application/problem+json"),
    ))]
#[post("/schuldhulptrajecten")]
pub async fn register(
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Json<input::Unique>,
) -> Result<HttpResponse, ApiError> {
    may(&caller, Operation::RegisterTrajectory)?;
    let (bsn, mandate, registration) =
        input::parse::<SchuldhulptrajectInvoer, _>(&body, |req, c| {
            let bsn = c.optional("burgerservicenummer", req.burgerservicenummer);
            let mandate = c.optional("machtiging", req.machtiging);
            let phase = c.required("fase", req.fase);
            let start = c.required("startdatum", req.startdatum);
            let ruling = c.optional("uitspraakdatum", req.uitspraakdatum);
            Some((
                bsn?,
                mandate?,
                Registration {
                    phase: phase?,
                    start: start?,
                    ruling: ruling?,
                },
            ))
        })?;
    let whom = whom(&caller, bsn, mandate, &state.pseudonymizer)?;
    let trajectory = state
        .services
        .run(move |uow| schuldhulptrajecten::register(uow, &caller, &whom, &registration))
        .await?;
    Ok(HttpResponse::Created().json(Schuldhulptraject::from(&trajectory)))
}

/// Een wijziging van een schuldhulptraject (JSON merge patch): een nieuwe fase, een einddatum, de
/// uitspraakdatum van de wettelijke schuldsanering, of meer daarvan.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"fase": "SCHULDREGELING"}))]
pub struct SchuldhulptrajectWijziging {
    /// De nieuwe fase; alleen de schuldhulpverlener die het traject registreerde wijzigt die.
    #[serde(default)]
    #[schema(value_type = Option<Trajectfase>, example = "SCHULDREGELING")]
    fase: Field<TrajectoryPhase>,
    /// Zet de laatste dag om het traject te beëindigen; niet na vandaag.
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date)]
    einddatum: Field<NaiveDate>,
    /// Alleen in (of met de overgang naar) de fase WSNP: de dag waarop de rechter de
    /// schuldsanering uitsprak, of een verbetering daarvan; niet na vandaag. Alleen de
    /// schuldhulpverlener die het traject registreerde zet die.
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date, example = "2026-05-28")]
    uitspraakdatum: Field<NaiveDate>,
}

/// Wijzig de fase van een schuldhulptraject, of beëindig het.
///
/// De schuldhulpverlener die het traject registreerde wijzigt de fase (en in de fase WSNP de
/// uitspraakdatum) of beëindigt het; de burger kan het beëindigen. Noem `fase`, `einddatum`,
/// `uitspraakdatum` of meer daarvan; een verzoek zonder een van die is een 400. Elke schuldeiser die van het traject weet of nu een openstaande vordering heeft, krijgt de
/// wijziging in zijn meldingenfeed. Een beëindigd traject wijzigt niet meer.
#[utoipa::path(tag = "Schuldhulp",
    operation_id = "schuldhulptrajectWijzigen",
    params(("id" = Uuid, Path, description = "Id van het schuldhulptraject")),
    request_body(content = SchuldhulptrajectWijziging, content_type = "application/merge-patch+json"),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Het traject, gewijzigd of beëindigd", body = Schuldhulptraject),
        (status = 404, description = "Dit traject bestaat niet, of u mag het niet inzien", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Het traject is al beëindigd", body = Problem, content_type = "application/problem+json"),
    ))]
#[patch("/schuldhulptrajecten/{id}")]
pub async fn change(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    body: web::Json<input::Unique>,
) -> Result<HttpResponse, ApiError> {
    may(&caller, Operation::ChangeTrajectory)?;
    let change = input::parse::<SchuldhulptrajectWijziging, _>(&body, |req, c| {
        let phase = c.optional("fase", req.fase);
        let end = c.optional("einddatum", req.einddatum);
        let ruling = c.optional("uitspraakdatum", req.uitspraakdatum);
        Some(TrajectoryChange {
            phase: phase?,
            end: end?,
            ruling: ruling?,
        })
    })?;
    let id = id.into_inner().to_string();
    let (trajectory, _) = state
        .services
        .run(move |uow| schuldhulptrajecten::change(uow, &caller, &id, &change))
        .await?;
    Ok(HttpResponse::Ok().json(Schuldhulptraject::from(&trajectory)))
}

/// Eén schuldhulptraject.
///
/// Voor de burger zelf, of voor een schuldhulpverlener met een geldige machtiging van de burger;
/// elk ander id is niet gevonden.
#[utoipa::path(tag = "Schuldhulp",
    operation_id = "schuldhulptrajectOpvragen",
    params(("id" = Uuid, Path, description = "Id van het schuldhulptraject")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Het traject", body = Schuldhulptraject),
        (status = 404, description = "Dit traject bestaat niet, of u mag het niet inzien", body = Problem, content_type = "application/problem+json"),
    ))]
#[get("/schuldhulptrajecten/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner().to_string();
    let trajectory = state
        .services
        .read(move |uow| schuldhulptrajecten::get(uow, &caller, &id))
        .await?;
    Ok(HttpResponse::Ok().json(Schuldhulptraject::from(&trajectory)))
}

/// Uw schuldhulptrajecten.
///
/// Voor een burger de eigen trajecten; voor een schuldhulpverlener de trajecten die zij
/// registreerde voor burgers die haar nu machtigen. De nieuwste eerst.
#[utoipa::path(tag = "Schuldhulp",
    operation_id = "schuldhulptrajectenOpvragen",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "De trajecten", body = Schuldhulptrajecten),
    ))]
#[get("/schuldhulptrajecten")]
pub async fn list(state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse, ApiError> {
    let list = state
        .services
        .read(move |uow| schuldhulptrajecten::list(uow, &caller))
        .await?;
    Ok(HttpResponse::Ok().json(Schuldhulptrajecten {
        schuldhulptrajecten: list.iter().map(Schuldhulptraject::from).collect(),
    }))
}
