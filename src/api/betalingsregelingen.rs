//! Betalingsregeling Rijk: proposals, acceptance, reading and ending arrangements.

use std::collections::BTreeMap;

use actix_web::{HttpResponse, get, post, web};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;
use uuid::Uuid;

use super::caller::{may, own_person, whom};
use super::input::{self, Field};
use super::normen::{Huishouden, Normberekening};
use super::samenloop::Samenloop;
use super::schemas::{Bedrag, Burgerservicenummer};
use super::{AppState, Problem, error::ApiError};
use crate::domain::arrangement::{ArrangementError, ArrangementSettings, ArrangementView};
use crate::domain::authorization::Operation;
use crate::domain::bsn::Bsn;
use crate::domain::caller::Caller;
use crate::domain::creditor::name_of;
use crate::domain::money::Money;
use crate::domain::overview::Addressee;
use crate::domain::planner::{CandidateClaim, PlanOutcome, Schedule, first_due_after};
use crate::domain::text::{counted, euro};
use crate::domain::time::format_instant;
use crate::service::ServiceError;
use crate::service::arrangements::{self, Acceptance, Proposed};

#[derive(Deserialize, ToSchema)]
pub struct VoorstelVerzoek {
    /// Verplicht voor een schuldhulpverlener (de burger voor wie het voorstel is); een burger
    /// laat het weg.
    #[schema(value_type = Option<Burgerservicenummer>, example = "999990007")]
    burgerservicenummer: Field<Bsn>,
    /// Alleen voor een schuldhulpverlener: de burger van een van uw machtigingen, in plaats van
    /// een burgerservicenummer.
    #[schema(value_type = Option<Uuid>)]
    machtiging: Field<Uuid>,
    #[schema(value_type = Huishouden)]
    huishouden: Field<Value>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Voorstel {
    id: String,
    /// Tot wanneer het voorstel geaccepteerd kan worden.
    #[schema(format = DateTime)]
    geldig_tot: String,
    /// In één zin: wat wordt er voorgesteld, of waarom niet.
    samenvatting: String,
    /// De gemeenschappelijke beslagvrije voet, met elke stap.
    beslagvrije_voet: Normberekening,
    /// Wat al maandelijks van het inkomen afgaat.
    inhoudingen: Inhoudingen,
    /// Netto-inkomen − beslagvrije voet − inhoudingen, nooit negatief, op de eerste
    /// vervaldatum. Het maandbedrag kan lager zijn als de regeling doorloopt in een later halfjaar
    /// waarvan de hogere bedragen al bekend zijn (artikel 475da lid 8 Rv); de samenvatting zegt dat.
    #[schema(value_type = Bedrag, example = "318.57")]
    afloscapaciteit: Money,
    /// De vorderingen in de regeling.
    vorderingen: Vec<VorderingInVoorstel>,
    /// Vorderingen die er niet in kunnen, elk met de reden.
    uitgesloten: Vec<UitgeslotenVordering>,
    #[schema(value_type = Bedrag, example = "1200.00")]
    totaal: Money,
    /// De voorgestelde regeling; `null` als er geen verantwoorde regeling mogelijk is.
    regeling: Option<Regeling>,
    /// Als er geen regeling mogelijk is: waarom, en het advies.
    advies: Option<Advies>,
    /// Samenloop met beslagen en andere regelingen, uitgaande van dit voorstel.
    samenloop: Samenloop,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Inhoudingen {
    #[schema(value_type = Bedrag, example = "0.00")]
    beslagen: Money,
    lopende_regelingen: Vec<InhoudingRegeling>,
}

#[derive(Serialize, ToSchema)]
pub struct InhoudingRegeling {
    id: String,
    #[schema(value_type = Bedrag, example = "150.00")]
    maandbedrag: Money,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct VorderingInVoorstel {
    id: String,
    schuldeiser: String,
    schuldeiser_naam: String,
    vorderingkenmerk: String,
    #[schema(value_type = Bedrag, example = "248.75")]
    openstaand: Money,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UitgeslotenVordering {
    id: String,
    schuldeiser: String,
    schuldeiser_naam: String,
    vorderingkenmerk: String,
    #[schema(value_type = Bedrag, example = "700.00")]
    openstaand: Money,
    /// SCHULDEISER_NEEMT_NIET_DEEL, SCHULDEISER_NEEMT_LATER_DEEL, BETWIST of AL_IN_REGELING.
    #[schema(example = "SCHULDEISER_NEEMT_NIET_DEEL")]
    reden: &'static str,
    toelichting: String,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Regeling {
    /// Wat u elke maand betaalt; alleen de laatste termijn kan lager zijn.
    #[schema(value_type = Bedrag, example = "150.00")]
    maandbedrag: Money,
    looptijd_maanden: u32,
    eerste_vervaldatum: NaiveDate,
    laatste_vervaldatum: NaiveDate,
    /// Aan wie u de termijn betaalt; die betaalt de schuldeisers uit.
    #[schema(example = "CJIB")]
    coordinerend_invorderaar: String,
    /// PONDSGEWIJS (naar rato van wat elke schuldeiser nog krijgt) of PREFERENT.
    #[schema(example = "PONDSGEWIJS")]
    verdeling: &'static str,
    /// Elke maand: wat u betaalt en hoe het over de schuldeisers wordt verdeeld.
    schema: Vec<Maand>,
}

#[derive(Serialize, ToSchema)]
pub struct Maand {
    maand: u32,
    vervaldatum: NaiveDate,
    #[schema(value_type = Bedrag, example = "150.00")]
    bedrag: Money,
    aandelen: Vec<MaandAandeel>,
}

#[derive(Serialize, ToSchema)]
pub struct MaandAandeel {
    schuldeiser: String,
    #[schema(value_type = Bedrag, example = "62.50")]
    bedrag: Money,
    vorderingen: Vec<MaandVordering>,
}

#[derive(Serialize, ToSchema)]
pub struct MaandVordering {
    vorderingkenmerk: String,
    #[schema(value_type = Bedrag, example = "62.50")]
    bedrag: Money,
}

#[derive(Serialize, ToSchema)]
pub struct Advies {
    /// GEEN_VORDERINGEN, GEEN_AFLOSCAPACITEIT, LOOPTIJD_TE_LANG, WETTELIJKE_SCHULDSANERING of
    /// NORMEN_NOG_NIET_BEKEND (de bedragen van de beslagvrije voet voor het halfjaar van de eerste
    /// termijn zijn nog niet vastgelegd).
    #[schema(example = "LOOPTIJD_TE_LANG")]
    code: &'static str,
    toelichting: String,
}

fn schema(schedule: &Schedule, keys: &BTreeMap<&str, &str>) -> Vec<Maand> {
    schedule
        .months
        .iter()
        .map(|m| Maand {
            maand: m.number,
            vervaldatum: m.due_date,
            bedrag: m.amount,
            aandelen: m
                .shares
                .iter()
                .map(|s| MaandAandeel {
                    schuldeiser: s.creditor.clone(),
                    bedrag: s.amount,
                    vorderingen: s
                        .claims
                        .iter()
                        .map(|c| MaandVordering {
                            vorderingkenmerk: keys
                                .get(c.claim_id.as_str())
                                .copied()
                                .unwrap_or_default()
                                .to_owned(),
                            bedrag: c.amount,
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect()
}

fn regeling(
    schedule: &Schedule,
    coordinator: &str,
    split: &'static str,
    keys: &BTreeMap<&str, &str>,
) -> Regeling {
    Regeling {
        maandbedrag: schedule.instalment,
        looptijd_maanden: schedule.term_months,
        eerste_vervaldatum: schedule.first_due,
        laatste_vervaldatum: schedule.last_due().unwrap_or(schedule.first_due),
        coordinerend_invorderaar: coordinator.to_owned(),
        verdeling: split,
        schema: schema(schedule, keys),
    }
}

/// The proposal's answer; its texts speak to the person, or to their counsellor about the
/// client.
fn voorstel(p: &Proposed, settings: &ArrangementSettings, addressee: Addressee) -> Voorstel {
    let coordinator = settings.coordinator.as_str();
    let a = &p.assessment;
    let keys: BTreeMap<&str, &str> = a
        .candidates
        .iter()
        .map(|c| (c.claim_id.as_str(), c.claim_key.as_str()))
        .collect();
    let candidate = |id: &str| a.candidates.iter().find(|c| c.claim_id == id);
    let (regeling, advies, samenvatting) = match &a.outcome {
        PlanOutcome::Feasible(schedule) => (
            Some(regeling(
                schedule,
                coordinator,
                settings.policy.split.code(),
                &keys,
            )),
            None,
            format!(
                "Voorstel: {} per maand gedurende {}, te betalen aan {coordinator}, voor {} van \
                 samen {}. {} ten minste de beslagvrije voet van {} over.",
                euro(schedule.instalment),
                counted(schedule.term_months, "maand", "maanden"),
                counted(
                    a.selection.eligible.len() as u64,
                    "vordering",
                    "vorderingen"
                ),
                euro(schedule.total),
                addressee.say("U houdt", "Uw cliënt houdt"),
                euro(a.norm.beslagvrije_voet)
            ),
        ),
        PlanOutcome::Infeasible(why) => (
            None,
            Some(Advies {
                code: why.code(),
                toelichting: why.explanation(addressee),
            }),
            format!(
                "Geen betalingsregeling mogelijk. {}",
                why.explanation(addressee)
            ),
        ),
    };
    let samenvatting = a.summary_with_notes(samenvatting, addressee, p.during);
    Voorstel {
        id: p.proposal.id.clone(),
        geldig_tot: format_instant(p.proposal.expires_at),
        samenvatting,
        beslagvrije_voet: Normberekening::from(&a.norm),
        inhoudingen: Inhoudingen {
            beslagen: a.deductions.attachments,
            lopende_regelingen: a
                .deductions
                .arrangements
                .iter()
                .map(|(id, m)| InhoudingRegeling {
                    id: id.clone(),
                    maandbedrag: *m,
                })
                .collect(),
        },
        afloscapaciteit: a.capacity,
        vorderingen: a
            .selection
            .eligible
            .iter()
            .map(|c| VorderingInVoorstel {
                id: c.claim_id.clone(),
                schuldeiser: c.creditor.clone(),
                schuldeiser_naam: name_of(&p.creditors, &c.creditor).to_owned(),
                vorderingkenmerk: c.claim_key.clone(),
                openstaand: c.outstanding,
            })
            .collect(),
        uitgesloten: a
            .selection
            .excluded
            .iter()
            .filter_map(|e| candidate(&e.claim.claim_id).map(|c: &CandidateClaim| (c, e.reason)))
            .map(|(c, reason)| UitgeslotenVordering {
                id: c.claim_id.clone(),
                schuldeiser: c.creditor.clone(),
                schuldeiser_naam: name_of(&p.creditors, &c.creditor).to_owned(),
                vorderingkenmerk: c.claim_key.clone(),
                openstaand: c.outstanding,
                reden: reason.code(),
                toelichting: a.exclusion_explanation(reason),
            })
            .collect(),
        totaal: a.selection.eligible.iter().map(|c| c.outstanding).sum(),
        regeling,
        advies,
        samenloop: Samenloop::of(&p.samenloop, &p.creditors, addressee),
    }
}

/// Een Betalingsregeling Rijk laten voorstellen
///
/// Eén regeling voor al uw vorderingen van het Rijk (of, voor een schuldhulpverlener, van een burger
/// met een lopende machtiging), nooit onder de gemeenschappelijke beslagvrije voet. Als de schulden
/// niet verantwoord binnen de maximale looptijd af te lossen zijn, volgt geen regeling maar het
/// advies om naar de gemeentelijke schuldhulp te gaan, met de bedragen die laten zien waarom. Het
/// voorstel wordt bewaard en kan tot `geldigTot` worden geaccepteerd. Een voorstel verandert niets
/// en meldt niets.
#[utoipa::path(operation_id = "betalingsregelingVoorstellen", tag = "Betalingsregelingen",
    request_body = VoorstelVerzoek,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Het voorstel, of het advies naar de gemeentelijke schuldhulpverlening te gaan als er geen verantwoorde regeling mogelijk is; er is nog niets veranderd", body = Voorstel),
        (status = 404, description = "U heeft geen machtiging met het id in `machtiging`", body = Problem, content_type = "application/problem+json"),
    ))]
#[post("/betalingsregelingen/voorstellen")]
pub async fn propose(
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Json<input::Unique>,
) -> Result<HttpResponse, ApiError> {
    may(&caller, Operation::Propose)?;
    // The norm in force on the first due date (docs/choices.md).
    let first_due = first_due_after(state.services.now().today);
    let (bsn, mandate, situation) = input::parse::<VoorstelVerzoek, _>(&body, |req, c| {
        let bsn = c.optional("burgerservicenummer", req.burgerservicenummer);
        let mandate = c.optional("machtiging", req.machtiging);
        let household = c.required("huishouden", req.huishouden);
        let situation = household.and_then(|h| {
            c.nested("huishouden", h, |h: Huishouden, c| {
                h.read(c, first_due, true)
            })
        });
        Some((bsn?, mandate?, situation?))
    })?;
    let whom = whom(&caller, bsn, mandate, &state.pseudonymizer)?;
    let addressee = Addressee::of(&caller);
    let proposed = state
        .services
        .run(move |uow| arrangements::propose(uow, &caller, &whom, &situation))
        .await
        // What the norm engine refuses in the situation is named where the body holds it.
        .map_err(|error| error.within("huishouden"))?;
    Ok(HttpResponse::Created().json(voorstel(&proposed, &state.services.settings, addressee)))
}

#[derive(Deserialize, ToSchema)]
pub struct Acceptatie {
    /// Het id van het voorstel.
    #[schema(value_type = Uuid)]
    voorstel: Field<Uuid>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Betalingsregeling {
    id: String,
    /// LOPEND of BEEINDIGD.
    #[schema(example = "LOPEND")]
    status: &'static str,
    /// Een lopende regeling waarvan op geen enkele vordering nog iets openstaat: er wordt niets
    /// meer gevraagd. Ze blijft LOPEND tot de burger of schuldhulpverlener haar beëindigt; het
    /// overzicht noemt haar niet meer bij de lopende regelingen.
    afgelost: bool,
    gestart_op: NaiveDate,
    #[serde(flatten)]
    regeling: Regeling,
    #[schema(value_type = Bedrag, example = "1200.00")]
    totaal: Money,
    vorderingen: Vec<VorderingInRegeling>,
    /// Vorderingen van een lopende regeling die sinds de start anders zijn veranderd dan door de
    /// betalingen die de regeling telt (een verhoging, een kwijtschelding, een intrekking, een
    /// teruggeboekte betaling van vóór de start): het schema past er niet meer bij. Beëindig de
    /// regeling dan en vraag een nieuw voorstel aan.
    gewijzigde_vorderingen: Vec<GewijzigdeVordering>,
    voortgang: Voortgang,
    beeindiging: Option<Beeindiging>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GewijzigdeVordering {
    schuldeiser: String,
    vorderingkenmerk: String,
    /// Wat het schema nog verwacht: het bedrag bij de start min de betalingen sindsdien.
    #[schema(value_type = Bedrag, example = "150.00")]
    volgens_schema: Money,
    /// Wat er nu werkelijk openstaat.
    #[schema(value_type = Bedrag, example = "190.00")]
    openstaand: Money,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct VorderingInRegeling {
    id: String,
    schuldeiser: String,
    vorderingkenmerk: String,
    /// Wat de vordering bij de start van de regeling open had.
    #[schema(value_type = Bedrag, example = "248.75")]
    bedrag_bij_start: Money,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Voortgang {
    /// Betalingen op de vorderingen in de regeling die na de start zijn verwerkt, min wat daarvan
    /// is teruggeboekt (wat eerder was verwerkt, zat al in de bedragen bij de start). Wat daarvan
    /// buiten het schema viel, staat in `buitenSchemaBetaald`; de maanden en het resterende bedrag
    /// tellen de rest.
    #[schema(value_type = Bedrag, example = "300.00")]
    betaald: Money,
    /// Termijnen waarvan de vervaldatum voorbij is: op de vervaldatum zelf is een termijn nog niet
    /// te laat.
    maanden_verschuldigd: u32,
    maanden_betaald: u32,
    maanden_achterstand: u32,
    #[schema(value_type = Bedrag, example = "0.00")]
    achterstand: Money,
    /// Wat sinds de start anders dan door betaling van de vorderingen in de regeling afging, voor
    /// zover het schema erop rekende: een kwijtschelding (min een verhoging op dezelfde vordering
    /// sindsdien), en van een ingetrokken vordering alles wat het schema er nog van verwachtte.
    /// Het geldt als voldaan: de laatste termijnen van die vordering vervallen, zodat er geen
    /// achterstand door ontstaat. `betaald`, `afgeboekt` en `resterend` zijn samen `totaal`,
    /// zonder wat buiten het schema betaald is.
    #[schema(value_type = Bedrag, example = "0.00")]
    afgeboekt: Money,
    #[schema(value_type = Bedrag, example = "900.00")]
    resterend: Money,
    /// Het deel van `betaald` dat niet voor het schema was: per vordering wat boven het bedrag
    /// bij de start is betaald, op wat er sindsdien bij kwam (zoals een verhoging, of een
    /// teruggeboekte betaling van vóór de start). Dat was
    /// verschuldigd; er wordt niets van terugbetaald.
    #[schema(value_type = Bedrag, example = "0.00")]
    buiten_schema_betaald: Money,
    volgende_vervaldatum: Option<NaiveDate>,
}

#[derive(Serialize, ToSchema)]
pub struct Beeindiging {
    #[schema(format = DateTime)]
    op: String,
    reden: String,
    /// burger of schuldhulpverlener.
    door: String,
}

impl From<&ArrangementView> for Voortgang {
    fn from(v: &ArrangementView) -> Voortgang {
        let p = &v.progress;
        Voortgang {
            betaald: p.paid + v.paid_beyond_schedule,
            maanden_verschuldigd: p.months_due,
            maanden_betaald: p.months_paid,
            maanden_achterstand: p.months_in_arrears,
            achterstand: p.amount_in_arrears,
            afgeboekt: p.written_off,
            resterend: p.remaining,
            buiten_schema_betaald: v.paid_beyond_schedule,
            volgende_vervaldatum: p.next_due,
        }
    }
}

fn betalingsregeling(v: &ArrangementView) -> Betalingsregeling {
    let a = &v.arrangement;
    let keys: BTreeMap<&str, &str> = a
        .claims
        .iter()
        .map(|c| (c.claim.claim_id.as_str(), c.claim.claim_key.as_str()))
        .collect();
    Betalingsregeling {
        id: a.id.clone(),
        status: if a.is_running() {
            "LOPEND"
        } else {
            "BEEINDIGD"
        },
        afgelost: v.paid_off(),
        gestart_op: a.started_on,
        regeling: regeling(&v.schedule, &a.coordinator, a.policy.split.code(), &keys),
        totaal: v.schedule.total,
        vorderingen: a
            .claims
            .iter()
            .map(|c| VorderingInRegeling {
                id: c.claim.claim_id.clone(),
                schuldeiser: c.claim.creditor.clone(),
                vorderingkenmerk: c.claim.claim_key.clone(),
                bedrag_bij_start: c.claim.outstanding,
            })
            .collect(),
        gewijzigde_vorderingen: v
            .changed_claims
            .iter()
            .map(|c| GewijzigdeVordering {
                schuldeiser: c.creditor.clone(),
                vorderingkenmerk: c.claim_key.clone(),
                volgens_schema: c.planned,
                openstaand: c.outstanding,
            })
            .collect(),
        voortgang: Voortgang::from(v),
        beeindiging: a.ending.as_ref().map(|e| Beeindiging {
            op: format_instant(e.at),
            reden: e.reason.clone(),
            door: e.by.role.code().to_owned(),
        }),
    }
}

#[derive(Serialize, ToSchema)]
pub struct Betalingsregelingen {
    /// De meest recent gestarte eerst.
    betalingsregelingen: Vec<Betalingsregeling>,
}

/// Een voorstel accepteren
///
/// Het voorstel wordt eerst opnieuw berekend: is sindsdien een vordering of de afloscapaciteit
/// veranderd, dan volgt een 409 met elke wijziging. De coördinerende invorderaar hoort de hele
/// regeling; elke andere schuldeiser alleen zijn eigen aandeel, en dat zijn eigen invordering op die
/// vorderingen stopt.
#[utoipa::path(operation_id = "betalingsregelingAccepteren", tag = "Betalingsregelingen",
    request_body = Acceptatie,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "De regeling is gestart; de schuldeisers hebben bericht gekregen", body = Betalingsregeling),
        (status = 404, description = "Dit voorstel bestaat niet of is niet voor u", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Voorstel verlopen, al geaccepteerd, geen regeling, niet meer actueel, er loopt nu een wettelijke schuldsanering, of de bedragen van de beslagvrije voet voor de eerste termijn zijn nog niet vastgelegd", body = Problem, content_type = "application/problem+json"),
    ))]
#[post("/betalingsregelingen")]
pub async fn accept(
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Json<input::Unique>,
) -> Result<HttpResponse, ApiError> {
    may(&caller, Operation::AcceptProposal)?;
    let proposal =
        input::parse::<Acceptatie, _>(&body, |req, c| c.required("voorstel", req.voorstel))?;
    let acceptance = state
        .services
        .run(move |uow| arrangements::accept(uow, &caller, None, &proposal.to_string()))
        .await?;
    match acceptance {
        Acceptance::Started(view) => Ok(HttpResponse::Created().json(betalingsregeling(&view))),
        Acceptance::Earlier(arrangement) => {
            Err(ServiceError::from(ArrangementError::AlreadyAccepted(arrangement)).into())
        }
    }
}

/// Uw Betalingsregelingen Rijk
///
/// De laatst gestarte eerst, met schema en voortgang.
#[utoipa::path(operation_id = "betalingsregelingenOphalen", tag = "Betalingsregelingen",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "De regelingen van de burger", body = Betalingsregelingen),
    ))]
#[get("/betalingsregelingen")]
pub async fn list(state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse, ApiError> {
    let person = own_person(&caller)?;
    let views = state
        .services
        .read(move |uow| arrangements::of_person(uow, &caller, &person))
        .await?;
    Ok(HttpResponse::Ok().json(Betalingsregelingen {
        betalingsregelingen: views.iter().map(betalingsregeling).collect(),
    }))
}

/// Eén betalingsregeling
///
/// Met schema en voortgang: betaalde maanden en achterstand.
#[utoipa::path(operation_id = "betalingsregelingOphalen", tag = "Betalingsregelingen",
    params(("id" = Uuid, Path, description = "Id van de betalingsregeling")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "De regeling, met haar schema en voortgang", body = Betalingsregeling),
        (status = 404, description = "Deze regeling bestaat niet, of u mag haar niet inzien", body = Problem, content_type = "application/problem+json"),
    ))]
#[get("/betalingsregelingen/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner().to_string();
    let view = state
        .services
        .read(move |uow| arrangements::get(uow, &caller, None, &id))
        .await?;
    Ok(HttpResponse::Ok().json(betalingsregeling(&view)))
}

#[derive(Deserialize, ToSchema)]
pub struct BeeindigingVerzoek {
    /// Waarom de regeling stopt. Elke schuldeiser in de regeling (en een gemachtigde
    /// schuldhulpverlener) krijgt deze tekst en bewaart hem: een korte reden is genoeg, zonder
    /// gegevens over gezondheid, gezin of andere persoonlijke omstandigheden.
    #[schema(value_type = String, example = "Ik ga naar de gemeentelijke schuldhulpverlening.", max_length = 500)]
    reden: Field<String>,
}

/// Een lopende betalingsregeling beëindigen
///
/// Met een reden. Elke schuldeiser in de regeling hoort het en mag zijn eigen invordering op zijn
/// vorderingen hervatten.
#[utoipa::path(operation_id = "betalingsregelingBeeindigen", tag = "Betalingsregelingen",
    params(("id" = Uuid, Path, description = "Id van de betalingsregeling")),
    request_body = BeeindigingVerzoek,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "De regeling is beëindigd; de schuldeisers hebben bericht gekregen", body = Betalingsregeling),
        (status = 404, description = "Deze regeling bestaat niet, of u mag haar niet beëindigen", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Al beëindigd", body = Problem, content_type = "application/problem+json"),
    ))]
#[post("/betalingsregelingen/{id}/beeindigen")]
pub async fn end(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    body: web::Json<input::Unique>,
) -> Result<HttpResponse, ApiError> {
    may(&caller, Operation::EndArrangement)?;
    let reason =
        input::parse::<BeeindigingVerzoek, _>(&body, |req, c| c.required("reden", req.reden))?;
    let id = id.into_inner().to_string();
    let view = state
        .services
        .run(move |uow| arrangements::end(uow, &caller, None, &id, &reason))
        .await?;
    Ok(HttpResponse::Ok().json(betalingsregeling(&view)))
}
