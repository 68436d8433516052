//! Arrangements with other parties (not the Rijk), declared by the citizen or a counsellor.

use actix_web::{HttpResponse, patch, post, web};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::caller::{may, whom};
use super::input::{self, Field};
use super::schemas::{Bedrag, Burgerservicenummer, Invoerbedrag};
use super::{AppState, Problem, error::ApiError};
use crate::domain::attachment::{
    DeclaredArrangement, DeclaredArrangementChange, NewDeclaredArrangement, check_end,
    check_monthly_amount, check_party_name,
};
use crate::domain::authorization::Operation;
use crate::domain::bsn::Bsn;
use crate::domain::caller::Caller;
use crate::domain::money::Money;
use crate::service::attachments;

#[derive(Serialize, ToSchema)]
pub struct AndereRegeling {
    id: String,
    #[schema(example = "Woonstad Rotterdam")]
    partij: String,
    #[schema(value_type = Bedrag, example = "75.00")]
    maandbedrag: Money,
    startdatum: NaiveDate,
    einddatum: Option<NaiveDate>,
}

impl From<&DeclaredArrangement> for AndereRegeling {
    fn from(a: &DeclaredArrangement) -> AndereRegeling {
        AndereRegeling {
            id: a.id.clone(),
            partij: a.party.clone(),
            maandbedrag: a.monthly_amount,
            startdatum: a.start,
            einddatum: a.end,
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct AndereRegelingInvoer {
    /// Verplicht voor een schuldhulpverlener; een burger laat het weg.
    #[schema(value_type = Option<Burgerservicenummer>)]
    burgerservicenummer: Field<Bsn>,
    /// Alleen voor een schuldhulpverlener: de burger van een van uw machtigingen, in plaats van
    /// een burgerservicenummer.
    #[schema(value_type = Option<Uuid>)]
    machtiging: Field<Uuid>,
    #[schema(value_type = String, example = "Woonstad Rotterdam", max_length = 200)]
    partij: Field<String>,
    #[schema(value_type = Invoerbedrag, example = "75.00")]
    maandbedrag: Field<Money>,
    #[schema(value_type = String, format = Date)]
    startdatum: Field<NaiveDate>,
    /// Laatste termijn; weglaten als onbekend.
    #[schema(value_type = Option<String>, format = Date)]
    einddatum: Field<NaiveDate>,
}

/// Een andere betalingsregeling melden
///
/// Meldt een betalingsregeling met een andere partij (een gemeente, een energiebedrijf, een
/// verhuurder), zodat die meetelt in voorstellen en in de signalering van samenloop.
#[utoipa::path(operation_id = "andereRegelingMelden", tag = "Samenloop",
    request_body = AndereRegelingInvoer,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "De regeling is opgegeven en telt mee in de samenloop", body = AndereRegeling),
        (status = 200, description = "Dezelfde regeling was al opgegeven (een herhaald verzoek): de bestaande, ongewijzigd; er is niets dubbel vastgelegd", body = AndereRegeling),
        (status = 404, description = "U heeft geen machtiging met het id in `machtiging`", body = Problem, content_type = "application/problem+json"),
    ))]
#[post("/andere-regelingen")]
pub async fn declare(
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Json<input::Unique>,
) -> Result<HttpResponse, ApiError> {
    may(&caller, Operation::DeclareArrangement)?;
    let (bsn, mandate, new) = input::parse::<AndereRegelingInvoer, _>(&body, |req, c| {
        let bsn = c.optional("burgerservicenummer", req.burgerservicenummer);
        let mandate = c.optional("machtiging", req.machtiging);
        let party = c.required("partij", req.partij);
        let monthly_amount = c.required("maandbedrag", req.maandbedrag);
        let start = c.required("startdatum", req.startdatum);
        let end = c.optional("einddatum", req.einddatum);
        // The domain's rules on what could be read, so they show beside unreadable fields.
        c.check(&party, |party| check_party_name("partij", party));
        c.check(&monthly_amount, |amount| check_monthly_amount(*amount));
        if let (Some(start), Some(end)) = (start, end) {
            c.rule(check_end(start, end));
        }
        Some((
            bsn?,
            mandate?,
            NewDeclaredArrangement {
                party: party?,
                monthly_amount: monthly_amount?,
                start: start?,
                end: end?,
            },
        ))
    })?;
    let whom = whom(&caller, bsn, mandate, &state.pseudonymizer)?;
    let (declared, new) = state
        .services
        .run(move |uow| attachments::declare(uow, &caller, &whom, &new))
        .await?;
    Ok(super::created_or_found(new).json(AndereRegeling::from(&declared)))
}

#[derive(Deserialize, ToSchema)]
pub struct AndereRegelingWijziging {
    #[serde(default)]
    #[schema(value_type = String, max_length = 200)]
    partij: Field<String>,
    #[serde(default)]
    #[schema(value_type = Invoerbedrag)]
    maandbedrag: Field<Money>,
    #[serde(default)]
    #[schema(value_type = String, format = Date)]
    startdatum: Field<NaiveDate>,
    /// Zet de laatste termijn om de regeling te beëindigen.
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date)]
    einddatum: Field<NaiveDate>,
}

/// Een gemelde andere regeling wijzigen of beëindigen
///
/// Als JSON merge patch: een ontbrekend veld blijft, `null` maakt een optioneel veld leeg. Een
/// wijziging die niets verandert, slaat niets op en meldt niets.
#[utoipa::path(operation_id = "andereRegelingWijzigen", tag = "Samenloop",
    params(("id" = Uuid, Path, description = "Id van de opgegeven regeling")),
    request_body(content = AndereRegelingWijziging, content_type = "application/merge-patch+json"),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "De regeling, gewijzigd", body = AndereRegeling),
        (status = 404, description = "Deze regeling bestaat niet, of u mag haar niet wijzigen", body = Problem, content_type = "application/problem+json"),
    ))]
#[patch("/andere-regelingen/{id}")]
pub async fn change(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    body: web::Json<input::Unique>,
) -> Result<HttpResponse, ApiError> {
    may(&caller, Operation::ChangeDeclaredArrangement)?;
    let change = input::parse::<AndereRegelingWijziging, _>(&body, |req, c| {
        let party = c.patch_required("partij", req.partij);
        let monthly_amount = c.patch_required("maandbedrag", req.maandbedrag);
        let start = c.patch_required("startdatum", req.startdatum);
        let end = c.patch("einddatum", req.einddatum);
        // Single-field rules now; the rules between fields need the stored arrangement.
        c.check_patch(&party, |party| check_party_name("partij", party));
        c.check_patch(&monthly_amount, |amount| check_monthly_amount(*amount));
        Some(DeclaredArrangementChange {
            party: party?,
            monthly_amount: monthly_amount?,
            start: start?,
            end: end?,
        })
    })?;
    let id = id.into_inner().to_string();
    let declared = state
        .services
        .run(move |uow| attachments::change_declared(uow, &caller, &id, &change))
        .await?;
    Ok(HttpResponse::Ok().json(AndereRegeling::from(&declared)))
}
