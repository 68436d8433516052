//! The Vorderingenoverzicht: for the citizen, or for a counsellor with the citizen's mandate.

use actix_web::{HttpResponse, get, post, web};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::andere_regelingen::AndereRegeling;
use super::beslagen::Beslag;
use super::caller::{may, own_person, whom};
use super::input::{self, Field};
use super::samenloop::Samenloop;
use super::schemas::{Bedrag, Burgerservicenummer};
use super::schuldeisers::ContactGegevens;
use super::schuldhulptrajecten::Schuldhulptraject;
use super::vordering::Vordering;
use super::{AppState, Problem, error::ApiError};
use crate::domain::attachment::PossibleDuplicate;
use crate::domain::authorization::Operation;
use crate::domain::bsn::Bsn;
use crate::domain::caller::Caller;
use crate::domain::creditor::Creditor;
use crate::domain::money::Money;
use crate::domain::overview::{Addressee, ArrangementSummary, CreditorSection};
use crate::service::Whom;
use crate::service::overview::{self, OverviewResult};

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Vorderingenoverzicht {
    /// De datum waarop het overzicht is opgesteld.
    opgesteld_op: NaiveDate,
    /// In één zin: hoeveel staat er open, en is het overzicht volledig? Gericht aan de burger,
    /// of aan de schuldhulpverlener over de cliënt ("Uw cliënt heeft …").
    #[schema(example = "U heeft 3 openstaande vorderingen, in totaal € 1.234,50.")]
    samenvatting: String,
    #[schema(value_type = Bedrag, example = "1234.50")]
    totaal_openstaand: Money,
    aantal_openstaande_vorderingen: usize,
    /// Per schuldeiser, die met het hoogste openstaande bedrag eerst.
    schuldeisers: Vec<SchuldeiserInOverzicht>,
    /// Lopende Betalingsregelingen Rijk.
    lopende_regelingen: Vec<LopendeRegeling>,
    /// Beslagen op uw inkomen, lopend en beëindigd.
    beslagen: Vec<Beslag>,
    /// Opgegeven beslagen van een partij met de naam van een schuldeiser in het register, die
    /// zelf ook beslag registreerde: misschien hetzelfde beslag, dat dan twee keer meetelt. Alleen
    /// de burger weet het; beëindig de opgave als het hetzelfde is.
    mogelijk_dubbele_beslagen: Vec<MogelijkDubbelBeslag>,
    /// Regelingen met andere partijen die u (of uw schuldhulpverlener) heeft opgegeven.
    andere_regelingen: Vec<AndereRegeling>,
    /// Samenloop van beslagen en regelingen: brengt iets u onder het bestaansminimum?
    samenloop: Samenloop,
    /// Het lopende schuldhulptraject, als de burger in gemeentelijke schuldhulpverlening zit.
    schuldhulptraject: Option<Schuldhulptraject>,
    volledigheid: Volledigheid,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MogelijkDubbelBeslag {
    /// Het opgegeven beslag (in `beslagen`, met `eigenOpgave`).
    beslag_id: String,
    /// De schuldeiser (code) die zelf beslag registreerde.
    #[schema(example = "CJIB")]
    schuldeiser: String,
    #[schema(
        example = "U gaf een beslag van cjib op. Centraal Justitieel Incassobureau heeft zelf ook beslag op uw inkomen geregistreerd (op Loon, Bakkerij De Korenschoof). Is dat hetzelfde beslag? Beëindig dan de opgave: nu telt het twee keer mee bij wat u overhoudt."
    )]
    toelichting: String,
}

impl From<&PossibleDuplicate> for MogelijkDubbelBeslag {
    fn from(d: &PossibleDuplicate) -> MogelijkDubbelBeslag {
        MogelijkDubbelBeslag {
            beslag_id: d.declared_id.clone(),
            schuldeiser: d.creditor.clone(),
            toelichting: d.explanation.clone(),
        }
    }
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LopendeRegeling {
    id: String,
    #[schema(value_type = Bedrag, example = "150.00")]
    maandbedrag: Money,
    looptijd_maanden: u32,
    eerste_vervaldatum: NaiveDate,
    laatste_vervaldatum: NaiveDate,
    /// Aan wie u de termijn betaalt.
    #[schema(example = "CJIB")]
    coordinerend_invorderaar: String,
    /// De schuldeisers van wie vorderingen eronder vallen.
    schuldeisers: Vec<String>,
}

impl From<&ArrangementSummary> for LopendeRegeling {
    fn from(a: &ArrangementSummary) -> LopendeRegeling {
        LopendeRegeling {
            id: a.id.clone(),
            maandbedrag: a.instalment,
            looptijd_maanden: a.term_months,
            eerste_vervaldatum: a.first_due,
            laatste_vervaldatum: a.last_due,
            coordinerend_invorderaar: a.coordinator.clone(),
            schuldeisers: a.creditors.clone(),
        }
    }
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SchuldeiserInOverzicht {
    code: String,
    naam: String,
    contact: ContactGegevens,
    /// Levert deze schuldeiser al zijn vorderingen aan?
    aangesloten: bool,
    #[schema(value_type = Bedrag, example = "248.75")]
    totaal_openstaand: Money,
    /// Openstaande vorderingen eerst (de oudste vervaldatum bovenaan), daarna voldane en ingetrokken.
    vorderingen: Vec<Vordering>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Volledigheid {
    /// Leveren alle schuldeisers in het register hun vorderingen aan?
    volledig: bool,
    aangesloten: Vec<SchuldeiserKort>,
    niet_aangesloten: Vec<SchuldeiserKort>,
    toelichting: String,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SchuldeiserKort {
    code: String,
    naam: String,
    aangesloten_vanaf: Option<NaiveDate>,
    contact: ContactGegevens,
}

impl From<&Creditor> for SchuldeiserKort {
    fn from(c: &Creditor) -> SchuldeiserKort {
        SchuldeiserKort {
            code: c.code.clone(),
            naam: c.name.clone(),
            aangesloten_vanaf: c.connected_from,
            contact: ContactGegevens::from(&c.contact),
        }
    }
}

impl From<&CreditorSection> for SchuldeiserInOverzicht {
    fn from(s: &CreditorSection) -> SchuldeiserInOverzicht {
        SchuldeiserInOverzicht {
            code: s.creditor.code.clone(),
            naam: s.creditor.name.clone(),
            contact: ContactGegevens::from(&s.creditor.contact),
            aangesloten: s.connected,
            totaal_openstaand: s.total_outstanding,
            vorderingen: s.claims.iter().map(Vordering::from).collect(),
        }
    }
}

impl Vorderingenoverzicht {
    /// The overview as `addressee` reads it: its texts speak to the person, or to their
    /// counsellor about the client.
    fn of(result: &OverviewResult, addressee: Addressee) -> Vorderingenoverzicht {
        let o = &result.overview;
        Vorderingenoverzicht {
            beslagen: result
                .attachments
                .iter()
                .map(|a| Beslag::of(a, a.lapsed_on(result.schuldsanering_ruling)))
                .collect(),
            mogelijk_dubbele_beslagen: result
                .possible_duplicates
                .iter()
                .map(MogelijkDubbelBeslag::from)
                .collect(),
            andere_regelingen: result.declared.iter().map(AndereRegeling::from).collect(),
            samenloop: Samenloop::of(&result.samenloop, &result.creditors, addressee),
            schuldhulptraject: result.trajectory.as_ref().map(Schuldhulptraject::from),
            opgesteld_op: o.prepared_on,
            samenvatting: o.summary.clone(),
            totaal_openstaand: o.total_outstanding,
            aantal_openstaande_vorderingen: o.open_claims,
            schuldeisers: o
                .sections
                .iter()
                .map(SchuldeiserInOverzicht::from)
                .collect(),
            lopende_regelingen: o.arrangements.iter().map(LopendeRegeling::from).collect(),
            volledigheid: Volledigheid {
                volledig: o.completeness.is_complete(),
                aangesloten: o
                    .completeness
                    .connected
                    .iter()
                    .map(SchuldeiserKort::from)
                    .collect(),
                niet_aangesloten: o
                    .completeness
                    .not_connected
                    .iter()
                    .map(SchuldeiserKort::from)
                    .collect(),
                toelichting: o.completeness.explanation.clone(),
            },
        }
    }
}

/// Een verzoek dat de burger in de body noemt, nooit in de URL.
#[derive(Deserialize, ToSchema)]
pub struct BurgerVerzoek {
    /// De burger; of, voor een schuldhulpverlener, `machtiging`.
    #[schema(value_type = Option<Burgerservicenummer>, example = "999996356")]
    burgerservicenummer: Field<Bsn>,
    /// Alleen voor een schuldhulpverlener: de burger van een van uw machtigingen, in plaats van
    /// een burgerservicenummer.
    #[schema(value_type = Option<Uuid>)]
    machtiging: Field<Uuid>,
}

async fn respond(
    state: web::Data<AppState>,
    caller: Caller,
    whom: Whom,
) -> Result<HttpResponse, ApiError> {
    let addressee = Addressee::of(&caller);
    let overview = state
        .services
        .read(move |uow| overview::read(uow, &caller, &whom))
        .await?;
    Ok(HttpResponse::Ok().json(Vorderingenoverzicht::of(&overview, addressee)))
}

/// Uw eigen Vorderingenoverzicht Rijk
///
/// Al uw vorderingen van het Rijk per schuldeiser, met lopende regelingen, beslagen en
/// signaleringen, en welke schuldeisers (nog) niet zijn aangesloten.
#[utoipa::path(operation_id = "vorderingenoverzichtOphalen", tag = "Vorderingenoverzicht",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Uw Vorderingenoverzicht Rijk", body = Vorderingenoverzicht),
    ))]
#[get("/vorderingenoverzicht")]
pub async fn own(state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse, ApiError> {
    let person = own_person(&caller)?;
    respond(state, caller, person).await
}

/// Het Vorderingenoverzicht van een burger opvragen
///
/// Van een burger die uw organisatie een lopende machtiging gaf; de burger staat in de body, nooit
/// in de URL. Een burger krijgt hier alleen zijn eigen overzicht, zoals met
/// `GET /vorderingenoverzicht`.
#[utoipa::path(operation_id = "vorderingenoverzichtOpvragen", tag = "Vorderingenoverzicht",
    request_body = BurgerVerzoek,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Het Vorderingenoverzicht Rijk van de burger", body = Vorderingenoverzicht),
        (status = 403, description = "Geen geldige machtiging", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "U heeft geen machtiging met het id in `machtiging`", body = Problem, content_type = "application/problem+json"),
    ))]
#[post("/vorderingenoverzicht/opvragen")]
pub async fn on_behalf(
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Json<input::Unique>,
) -> Result<HttpResponse, ApiError> {
    may(&caller, Operation::ReadOverview)?;
    let (bsn, mandate) = input::parse::<BurgerVerzoek, _>(&body, |req, c| {
        let bsn = c.optional("burgerservicenummer", req.burgerservicenummer);
        let mandate = c.optional("machtiging", req.machtiging);
        Some((bsn?, mandate?))
    })?;
    let person = whom(&caller, bsn, mandate, &state.pseudonymizer)?;
    respond(state, caller, person).await
}
