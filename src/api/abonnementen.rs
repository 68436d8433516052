//! Webhook subscriptions (abonnementen): an organisation or counsellor has every notification of
//! its feed pushed to its own endpoint, and reads how far delivery has come.

use actix_web::{HttpResponse, delete, get, post, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::caller::may;
use super::input::{self, Field};
use super::{AppState, Problem, error::ApiError};
use crate::domain::authorization::Operation;
use crate::domain::caller::Caller;
use crate::domain::time::format_instant;
use crate::domain::webhook;
use crate::service::webhooks::{self, SubscriptionView};

/// Een abonnement op uw meldingenfeed, met hoe ver de aflevering is.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Abonnement {
    id: String,
    /// Waar elke melding als CloudEvent heen gaat.
    #[schema(example = "https://meldingen.cjib.example/rijksincasso")]
    url: String,
    #[schema(format = DateTime)]
    aangemaakt_op: String,
    /// De laatste positie in uw feed die uw eindpunt met een 2xx bevestigde.
    afgeleverd_tot_positie: i64,
    /// De positie van de nieuwste melding in uw feed.
    laatste_positie: i64,
    /// Hoeveel meldingen nog moeten worden afgeleverd.
    achterstand: i64,
    #[schema(format = DateTime)]
    laatst_afgeleverd_op: Option<String>,
    /// Mislukte pogingen op rij voor de volgende melding; 0 als alles is afgeleverd.
    mislukte_pogingen: u32,
    /// Wanneer de volgende poging is, na een mislukte: exponentieel langer wachten, of langer als
    /// uw eindpunt dat met `Retry-After` vroeg (hoogstens een uur).
    #[schema(format = DateTime)]
    volgende_poging_op: Option<String>,
    /// Wat er bij de laatste mislukte poging misging. Dit blijft staan als latere pogingen
    /// gelukt zijn: het is de laatste fout, niet de stand. Of er nu iets misgaat, zeggen
    /// `misluktePogingen` en `achterstand`.
    #[schema(example = "uw eindpunt antwoordde met status 500")]
    laatste_fout: Option<String>,
    /// Wanneer die laatste fout was; vergelijk met `laatstAfgeleverdOp`.
    #[schema(format = DateTime)]
    laatste_fout_op: Option<String>,
    /// Wanneer uw eindpunt antwoordde met 410 (Gone). Daarna gaat er niets meer heen (Standard
    /// Webhooks); uw meldingen blijven te lezen met `GET /meldingen`. Verwijder het abonnement en
    /// neem een nieuw als u weer meldingen wilt ontvangen.
    #[schema(format = DateTime)]
    gestopt_op: Option<String>,
}

impl From<&SubscriptionView> for Abonnement {
    fn from(view: &SubscriptionView) -> Abonnement {
        let s = &view.subscription;
        let state = &s.state;
        Abonnement {
            id: s.id.clone(),
            url: s.url.clone(),
            aangemaakt_op: format_instant(s.created_at),
            afgeleverd_tot_positie: state.delivered_position,
            laatste_positie: view.feed_position,
            achterstand: (view.feed_position - state.delivered_position).max(0),
            laatst_afgeleverd_op: state.delivered_at.map(format_instant),
            mislukte_pogingen: state.failed_attempts,
            volgende_poging_op: state.next_attempt_at.map(format_instant),
            laatste_fout: state.last_error.clone(),
            laatste_fout_op: state.last_error_at.map(format_instant),
            gestopt_op: state.stopped_at.map(format_instant),
        }
    }
}

/// Uw abonnementen.
#[derive(Serialize, ToSchema)]
pub struct Abonnementen {
    abonnementen: Vec<Abonnement>,
}

/// Een nieuw abonnement.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"url": "https://meldingen.cjib.example/rijksincasso", "geheim": "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD"}))]
pub struct AbonnementInvoer {
    /// Uw eindpunt: in productie https en geen loopback- of privé-adres.
    #[schema(value_type = String, example = "https://meldingen.cjib.example/rijksincasso")]
    url: Field<String>,
    /// Het geheim waarmee elke aflevering wordt ondertekend (Standard Webhooks): `whsec_` en de
    /// base64 van 24 tot 64 willekeurige bytes. Het wordt versleuteld bewaard en nooit
    /// teruggegeven.
    #[schema(value_type = String, example = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD")]
    geheim: Field<String>,
}

/// Abonneer uw eindpunt op uw meldingenfeed.
///
/// Voor organisaties (schuldeisers) en schuldhulpverleners. Vanaf nu gaat elke melding van uw
/// feed, in volgorde, minstens één keer naar uw eindpunt: een HTTP POST met een CloudEvent 1.0
/// (application/cloudevents+json, volgens het Nederlandse overheidsprofiel van CloudEvents), ondertekend volgens
/// Standard Webhooks (de headers webhook-id, webhook-timestamp en webhook-signature: HMAC-SHA256
/// met uw geheim). Een 2xx-antwoord bevestigt; 410 (Gone) stopt de aflevering aan dit abonnement;
/// op elk ander antwoord volgt een nieuwe poging, steeds later (niet eerder dan een `Retry-After`
/// in het antwoord vraagt, tot een uur). Wat al in uw feed stond leest u met `GET /meldingen`.
#[utoipa::path(tag = "Meldingen",
    operation_id = "abonnementAanmaken",
    request_body = AbonnementInvoer,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Het abonnement is aangemaakt; het geheim wordt nooit teruggegeven", body = Abonnement),
        (status = 409, description = "Al het grootste aantal abonnementen, of al een abonnement op dit adres", body = Problem, content_type = "application/problem+json"),
    ))]
#[post("/abonnementen")]
pub async fn subscribe(
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Json<input::Unique>,
) -> Result<HttpResponse, ApiError> {
    may(&caller, Operation::ManageSubscriptions)?;
    let production = state.services.webhooks.production;
    let (url, secret) = input::parse::<AbonnementInvoer, _>(&body, |req, c| {
        let url = c.required("url", req.url);
        let secret = c.required("geheim", req.geheim);
        c.rule(
            url.as_ref()
                .and_then(|u| webhook::check_url(u, production).err()),
        );
        c.rule(secret.as_ref().and_then(|s| webhook::check_secret(s).err()));
        Some((url?, secret?))
    })?;
    let target = web::block(move || webhooks::check_target(&url, production))
        .await
        .map_err(|_| ApiError::internal())?
        .map_err(|issue| ApiError::invalid(vec![issue]))?;
    let services = state.services.clone();
    let view = state
        .services
        .run(move |uow| webhooks::subscribe(uow, &caller, &target, &secret, &services.sealer))
        .await?;
    Ok(HttpResponse::Created().json(Abonnement::from(&view)))
}

/// Uw abonnementen, met hoe ver de aflevering van elk is.
#[utoipa::path(tag = "Meldingen",
    operation_id = "abonnementenOpvragen",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Uw abonnementen", body = Abonnementen),
    ))]
#[get("/abonnementen")]
pub async fn list(state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse, ApiError> {
    let views = state
        .services
        .read(move |uow| webhooks::list(uow, &caller))
        .await?;
    Ok(HttpResponse::Ok().json(Abonnementen {
        abonnementen: views.iter().map(Abonnement::from).collect(),
    }))
}

/// Eén van uw abonnementen, met de stand van de aflevering.
///
/// Het laatst afgeleverde punt in uw feed, de achterstand, en na een mislukte poging de fout en
/// wanneer het opnieuw wordt geprobeerd.
#[utoipa::path(tag = "Meldingen",
    operation_id = "abonnementOpvragen",
    params(("id" = Uuid, Path, description = "Id van het abonnement")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Het abonnement, met zijn bezorging", body = Abonnement),
        (status = 404, description = "Dit abonnement bestaat niet of is niet van u", body = Problem, content_type = "application/problem+json"),
    ))]
#[get("/abonnementen/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner().to_string();
    let view = state
        .services
        .read(move |uow| webhooks::get(uow, &caller, &id))
        .await?;
    Ok(HttpResponse::Ok().json(Abonnement::from(&view)))
}

/// Beëindig een abonnement.
///
/// De aflevering stopt meteen; uw meldingenfeed blijft met `GET /meldingen` te lezen.
#[utoipa::path(tag = "Meldingen",
    operation_id = "abonnementVerwijderen",
    params(("id" = Uuid, Path, description = "Id van het abonnement")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Verwijderd"),
        (status = 404, description = "Dit abonnement bestaat niet of is niet van u", body = Problem, content_type = "application/problem+json"),
    ))]
#[delete("/abonnementen/{id}")]
pub async fn remove(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner().to_string();
    state
        .services
        .run(move |uow| webhooks::remove(uow, &caller, &id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
