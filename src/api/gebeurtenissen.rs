//! Agencies posting claim events (FCID style) in batches.

use actix_web::{HttpResponse, post, web};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use super::caller::may;
use super::input::{self, Checker, Field};
use super::schemas::{Bedrag, Burgerservicenummer, Fase, Ophogingscategorie};
use super::{AppState, Problem, error::ApiError};
use crate::domain::authorization::Operation;
use crate::domain::bsn::Bsn;
use crate::domain::caller::Caller;
use crate::domain::claims::BatchSummary;
use crate::domain::claims::{
    ClaimEvent, EventType, ImposedClaim, KeyedEvent, MAX_BATCH_SIZE, Phase, SurchargeCategory,
    check_amount, check_claim_type_format, check_description, check_key, check_not_future,
};
use crate::domain::money::Money;
use crate::domain::person::Pseudonymizer;
use crate::domain::validation::FieldIssue;
use crate::service::ingest::{self, ReadEvent};

/// Een bericht met gebeurtenissen, verwerkt op volgorde en alles of niets.
#[derive(Deserialize, ToSchema)]
pub struct Gebeurtenissen {
    /// 1 tot en met 1000 gebeurtenissen, in de volgorde waarin ze verwerkt moeten worden.
    #[schema(value_type = Vec<Gebeurtenis>, min_items = 1, max_items = 1000)]
    gebeurtenissen: Field<Vec<Value>>,
}

/// Eén gebeurtenis; `type` zegt welke.
#[derive(Deserialize, ToSchema)]
#[serde(tag = "type")]
pub enum Gebeurtenis {
    VorderingOpgelegd(VorderingOpgelegd),
    OphogingOpgelegd(OphogingOpgelegd),
    BetalingVerwerkt(BetalingVerwerkt),
    VorderingKwijtgescholden(VorderingKwijtgescholden),
    VorderingIngetrokken(VorderingIngetrokken),
    FaseGewijzigd(FaseGewijzigd),
}

/// Een nieuwe vordering op een burger.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct VorderingOpgelegd {
    /// Uniek binnen uw organisatie; hetzelfde kenmerk opnieuw sturen met dezelfde inhoud doet niets.
    #[schema(value_type = String, example = "CJIB-2026-000123-1", max_length = 100)]
    gebeurteniskenmerk: Field<String>,
    /// Uw eigen sleutel van de vordering.
    #[schema(value_type = String, example = "CJIB-2026-000123", max_length = 100)]
    vorderingkenmerk: Field<String>,
    /// Optionele groepering van vorderingen (zaak, dossier).
    #[schema(value_type = Option<String>, example = "ZAAK-77", max_length = 100)]
    zaakkenmerk: Field<String>,
    /// Negen cijfers, voldoet aan de elfproef. Wordt nooit onversleuteld opgeslagen.
    #[schema(value_type = Burgerservicenummer, example = "999996356")]
    burgerservicenummer: Field<Bsn>,
    /// `<organisatie>_<omschrijving>`, met uw eigen voorvoegsel.
    #[schema(value_type = String, example = "cjib_wahv_boete", max_length = 100)]
    vorderingtype: Field<String>,
    #[schema(value_type = String, example = "Verkeersboete A12, 3 maart 2026", max_length = 500)]
    omschrijving: Field<String>,
    #[schema(value_type = Bedrag, example = "239.00")]
    bedrag: Field<Money>,
    #[schema(value_type = String, format = Date, example = "2026-03-10")]
    opgelegd_op: Field<NaiveDate>,
    #[schema(value_type = String, format = Date, example = "2026-04-21")]
    vervaldatum: Field<NaiveDate>,
}

/// Een ophoging van een vordering: verhoging, rente of kosten.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OphogingOpgelegd {
    #[schema(value_type = String, example = "CJIB-2026-000123-2", max_length = 100)]
    gebeurteniskenmerk: Field<String>,
    #[schema(value_type = String, example = "CJIB-2026-000123", max_length = 100)]
    vorderingkenmerk: Field<String>,
    #[schema(value_type = Ophogingscategorie, example = "VERHOGING")]
    categorie: Field<SurchargeCategory>,
    #[schema(value_type = Bedrag, example = "59.75")]
    bedrag: Field<Money>,
    #[schema(value_type = String, format = Date, example = "2026-05-01")]
    datum: Field<NaiveDate>,
    #[schema(value_type = String, example = "Eerste aanmaning: verhoging 25%", max_length = 500)]
    omschrijving: Field<String>,
}

/// Een ontvangen betaling op een vordering.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BetalingVerwerkt {
    #[schema(value_type = String, example = "CJIB-2026-000123-3", max_length = 100)]
    gebeurteniskenmerk: Field<String>,
    #[schema(value_type = String, example = "CJIB-2026-000123", max_length = 100)]
    vorderingkenmerk: Field<String>,
    #[schema(value_type = Bedrag, example = "50.00")]
    bedrag: Field<Money>,
    #[schema(value_type = String, format = Date, example = "2026-05-15")]
    datum: Field<NaiveDate>,
}

/// (Een deel van) een vordering kwijtgescholden.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct VorderingKwijtgescholden {
    #[schema(value_type = String, example = "CJIB-2026-000123-4", max_length = 100)]
    gebeurteniskenmerk: Field<String>,
    #[schema(value_type = String, example = "CJIB-2026-000123", max_length = 100)]
    vorderingkenmerk: Field<String>,
    #[schema(value_type = Bedrag, example = "20.00")]
    bedrag: Field<Money>,
    #[schema(value_type = String, format = Date, example = "2026-06-01")]
    datum: Field<NaiveDate>,
}

/// Een vordering ingetrokken: er is niets meer op verschuldigd.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct VorderingIngetrokken {
    #[schema(value_type = String, example = "CJIB-2026-000123-5", max_length = 100)]
    gebeurteniskenmerk: Field<String>,
    #[schema(value_type = String, example = "CJIB-2026-000123", max_length = 100)]
    vorderingkenmerk: Field<String>,
    #[schema(value_type = String, format = Date, example = "2026-06-10")]
    datum: Field<NaiveDate>,
    #[schema(value_type = String, example = "Bezwaar gegrond verklaard", max_length = 500)]
    reden: Field<String>,
}

/// De invorderingsfase veranderde, of bezwaar of beroep begon of eindigde.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FaseGewijzigd {
    #[schema(value_type = String, example = "CJIB-2026-000123-6", max_length = 100)]
    gebeurteniskenmerk: Field<String>,
    #[schema(value_type = String, example = "CJIB-2026-000123", max_length = 100)]
    vorderingkenmerk: Field<String>,
    #[schema(value_type = Fase, example = "AANMANING")]
    fase: Field<Phase>,
    /// Loopt er bezwaar of beroep?
    #[schema(value_type = bool, example = false)]
    betwist: Field<bool>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Verwerkingsresultaat {
    /// Aantal gebeurtenissen in het bericht.
    ontvangen: usize,
    /// Nieuw verwerkt.
    verwerkt: usize,
    /// Al eerder ontvangen met dezelfde inhoud; niets veranderd.
    al_eerder_verwerkt: usize,
}

impl From<BatchSummary> for Verwerkingsresultaat {
    fn from(s: BatchSummary) -> Verwerkingsresultaat {
        Verwerkingsresultaat {
            ontvangen: s.received,
            verwerkt: s.processed,
            al_eerder_verwerkt: s.already_processed,
        }
    }
}

/// Gebeurtenissen van vorderingen aanleveren
///
/// Een bericht met gebeurtenissen over uw eigen vorderingen. Alles of niets: bij één foute
/// gebeurtenis wordt niets opgeslagen en staat elke fout van elke gebeurtenis in de melding.
/// Dezelfde gebeurtenis met hetzelfde `gebeurteniskenmerk` en dezelfde inhoud opnieuw sturen doet
/// niets; hetzelfde kenmerk met andere inhoud geeft een 409.
#[utoipa::path(operation_id = "gebeurtenissenVerwerken", tag = "Vorderingen",
    request_body = Gebeurtenissen,
    security(("bearer" = [])),
    responses(
        (status = 200, body = Verwerkingsresultaat),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 413, body = Problem, content_type = "application/problem+json"),
    ))]
#[post("/gebeurtenissen")]
pub async fn post(
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Json<Value>,
) -> Result<HttpResponse, ApiError> {
    may(&caller, Operation::PostClaimEvents)?;
    let ctx = ReadContext {
        pseudonymizer: &state.pseudonymizer,
        today: state.services.now().today,
    };
    let events = parse_batch(body.into_inner(), &ctx)?;
    let summary = state
        .services
        .run(move |uow| ingest::ingest(uow, &caller, &events))
        .await?;
    Ok(HttpResponse::Ok().json(Verwerkingsresultaat::from(summary)))
}

/// What reading an event needs besides the event.
struct ReadContext<'a> {
    pseudonymizer: &'a Pseudonymizer,
    today: NaiveDate,
}

/// Reads the batch; each event on its own, so that the service can report every problem of
/// every event together with the ones its rules find.
fn parse_batch(body: Value, ctx: &ReadContext<'_>) -> Result<Vec<ReadEvent>, ApiError> {
    input::parse::<Gebeurtenissen, _>(body, |request, c| {
        let items = c.required("gebeurtenissen", request.gebeurtenissen)?;
        if items.is_empty() || items.len() > MAX_BATCH_SIZE {
            c.push(FieldIssue::new(
                "gebeurtenissen",
                "aantal",
                format!("moet 1 tot en met {MAX_BATCH_SIZE} gebeurtenissen bevatten"),
            ));
            return None;
        }
        let events: Vec<ReadEvent> = items
            .into_iter()
            .map(|item| parse_event(item, ctx))
            .collect();
        if c.has_issues() {
            // The batch fails here, before the service sees the events: report their problems
            // now, so that a wrong top-level field does not hide them.
            for (index, event) in events.iter().enumerate() {
                c.extend_at(&format!("gebeurtenissen[{index}]"), event.issues.clone());
            }
        }
        Some(events)
    })
}

fn parse_event(item: Value, ctx: &ReadContext<'_>) -> ReadEvent {
    let Value::Object(mut fields) = item else {
        return unreadable(FieldIssue::new(
            "",
            "geen_object",
            "moet een JSON-object zijn",
        ));
    };
    let Some(event_type) = fields
        .remove("type")
        .as_ref()
        .and_then(Value::as_str)
        .and_then(EventType::from_code)
    else {
        let allowed: Vec<&str> = EventType::ALL.iter().map(|t| t.code()).collect();
        return unreadable(FieldIssue::new(
            "type",
            "onbekend_type",
            format!("moet een van deze waarden zijn: {}", allowed.join(", ")),
        ));
    };
    let fields = Value::Object(fields);
    let mut c = Checker::new();
    let event = match event_type {
        EventType::VorderingOpgelegd => c.given_object(fields).map(Gebeurtenis::VorderingOpgelegd),
        EventType::OphogingOpgelegd => c.given_object(fields).map(Gebeurtenis::OphogingOpgelegd),
        EventType::BetalingVerwerkt => c.given_object(fields).map(Gebeurtenis::BetalingVerwerkt),
        EventType::VorderingKwijtgescholden => c
            .given_object(fields)
            .map(Gebeurtenis::VorderingKwijtgescholden),
        EventType::VorderingIngetrokken => c
            .given_object(fields)
            .map(Gebeurtenis::VorderingIngetrokken),
        EventType::FaseGewijzigd => c.given_object(fields).map(Gebeurtenis::FaseGewijzigd),
    };
    let event = event.and_then(|e| e.into_event(&mut c, ctx));
    ReadEvent {
        event,
        issues: c.into_issues(),
    }
}

fn unreadable(issue: FieldIssue) -> ReadEvent {
    ReadEvent {
        event: None,
        issues: vec![issue],
    }
}

impl Gebeurtenis {
    fn into_event(self, c: &mut Checker, ctx: &ReadContext<'_>) -> Option<KeyedEvent> {
        match self {
            Gebeurtenis::VorderingOpgelegd(e) => e.into_event(c, ctx),
            Gebeurtenis::OphogingOpgelegd(e) => e.into_event(c, ctx),
            Gebeurtenis::BetalingVerwerkt(e) => e.into_event(c, ctx),
            Gebeurtenis::VorderingKwijtgescholden(e) => e.into_event(c, ctx),
            Gebeurtenis::VorderingIngetrokken(e) => e.into_event(c, ctx),
            Gebeurtenis::FaseGewijzigd(e) => e.into_event(c, ctx),
        }
    }
}

/// An event body that turns into a domain event.
trait EventInput {
    fn into_event(self, c: &mut Checker, ctx: &ReadContext<'_>) -> Option<KeyedEvent>;
}

// Each reader applies the single-field rules of the domain as soon as a field is read, so a
// field breaking a rule is reported even when another field of the event is unreadable.

fn key(c: &mut Checker, field: &str, value: Field<String>) -> Option<String> {
    let key = c.required(field, value);
    c.rule(key.as_deref().and_then(|k| check_key(field, k)));
    key
}

fn text(c: &mut Checker, field: &str, value: Field<String>) -> Option<String> {
    let text = c.required(field, value);
    c.rule(text.as_deref().and_then(|t| check_description(field, t)));
    text
}

fn amount(c: &mut Checker, value: Field<Money>) -> Option<Money> {
    let amount = c.required("bedrag", value);
    c.rule(amount.and_then(|a| check_amount("bedrag", a)));
    amount
}

fn past_date(
    c: &mut Checker,
    field: &str,
    value: Field<NaiveDate>,
    today: NaiveDate,
) -> Option<NaiveDate> {
    let date = c.required(field, value);
    c.rule(date.and_then(|d| check_not_future(field, d, today)));
    date
}

fn keyed(
    event_key: Option<String>,
    claim_key: Option<String>,
    event: Option<ClaimEvent>,
) -> Option<KeyedEvent> {
    Some(KeyedEvent {
        event_key: event_key?,
        claim_key: claim_key?,
        event: event?,
    })
}

impl EventInput for VorderingOpgelegd {
    fn into_event(self, c: &mut Checker, ctx: &ReadContext<'_>) -> Option<KeyedEvent> {
        let event_key = key(c, "gebeurteniskenmerk", self.gebeurteniskenmerk);
        let claim_key = key(c, "vorderingkenmerk", self.vorderingkenmerk);
        let case_key = c.optional("zaakkenmerk", self.zaakkenmerk);
        c.rule(
            case_key
                .as_ref()
                .and_then(|k| k.as_deref())
                .and_then(|k| check_key("zaakkenmerk", k)),
        );
        let bsn = c.required("burgerservicenummer", self.burgerservicenummer);
        let claim_type = c.required("vorderingtype", self.vorderingtype);
        c.rule(claim_type.as_deref().and_then(check_claim_type_format));
        let description = text(c, "omschrijving", self.omschrijving);
        let amount = amount(c, self.bedrag);
        let imposed_on = past_date(c, "opgelegdOp", self.opgelegd_op, ctx.today);
        let due_date = c.required("vervaldatum", self.vervaldatum);
        let event = (|| {
            Some(ClaimEvent::Imposed(ImposedClaim {
                case_key: case_key?,
                person: ctx.pseudonymizer.person_id(&bsn?),
                claim_type: claim_type?,
                description: description?,
                amount: amount?,
                imposed_on: imposed_on?,
                due_date: due_date?,
            }))
        })();
        keyed(event_key, claim_key, event)
    }
}

impl EventInput for OphogingOpgelegd {
    fn into_event(self, c: &mut Checker, ctx: &ReadContext<'_>) -> Option<KeyedEvent> {
        let event_key = key(c, "gebeurteniskenmerk", self.gebeurteniskenmerk);
        let claim_key = key(c, "vorderingkenmerk", self.vorderingkenmerk);
        let category = c.required("categorie", self.categorie);
        let amount = amount(c, self.bedrag);
        let date = past_date(c, "datum", self.datum, ctx.today);
        let description = text(c, "omschrijving", self.omschrijving);
        let event = (|| {
            Some(ClaimEvent::Surcharge {
                category: category?,
                amount: amount?,
                date: date?,
                description: description?,
            })
        })();
        keyed(event_key, claim_key, event)
    }
}

/// Payments and remissions: an amount on a date.
fn amount_on_date(
    c: &mut Checker,
    ctx: &ReadContext<'_>,
    keys: (Field<String>, Field<String>),
    bedrag: Field<Money>,
    datum: Field<NaiveDate>,
    event: fn(Money, NaiveDate) -> ClaimEvent,
) -> Option<KeyedEvent> {
    let event_key = key(c, "gebeurteniskenmerk", keys.0);
    let claim_key = key(c, "vorderingkenmerk", keys.1);
    let amount = amount(c, bedrag);
    let date = past_date(c, "datum", datum, ctx.today);
    keyed(
        event_key,
        claim_key,
        amount.zip(date).map(|(amount, date)| event(amount, date)),
    )
}

impl EventInput for BetalingVerwerkt {
    fn into_event(self, c: &mut Checker, ctx: &ReadContext<'_>) -> Option<KeyedEvent> {
        let keys = (self.gebeurteniskenmerk, self.vorderingkenmerk);
        amount_on_date(c, ctx, keys, self.bedrag, self.datum, |amount, date| {
            ClaimEvent::Payment { amount, date }
        })
    }
}

impl EventInput for VorderingKwijtgescholden {
    fn into_event(self, c: &mut Checker, ctx: &ReadContext<'_>) -> Option<KeyedEvent> {
        let keys = (self.gebeurteniskenmerk, self.vorderingkenmerk);
        amount_on_date(c, ctx, keys, self.bedrag, self.datum, |amount, date| {
            ClaimEvent::Remission { amount, date }
        })
    }
}

impl EventInput for VorderingIngetrokken {
    fn into_event(self, c: &mut Checker, ctx: &ReadContext<'_>) -> Option<KeyedEvent> {
        let event_key = key(c, "gebeurteniskenmerk", self.gebeurteniskenmerk);
        let claim_key = key(c, "vorderingkenmerk", self.vorderingkenmerk);
        let date = past_date(c, "datum", self.datum, ctx.today);
        let reason = text(c, "reden", self.reden);
        let event = date
            .zip(reason)
            .map(|(date, reason)| ClaimEvent::Withdrawal { date, reason });
        keyed(event_key, claim_key, event)
    }
}

impl EventInput for FaseGewijzigd {
    fn into_event(self, c: &mut Checker, _: &ReadContext<'_>) -> Option<KeyedEvent> {
        let event_key = key(c, "gebeurteniskenmerk", self.gebeurteniskenmerk);
        let claim_key = key(c, "vorderingkenmerk", self.vorderingkenmerk);
        let phase = c.required("fase", self.fase);
        let disputed = c.required("betwist", self.betwist);
        let event = phase
            .zip(disputed)
            .map(|(phase, disputed)| ClaimEvent::PhaseChange { phase, disputed });
        keyed(event_key, claim_key, event)
    }
}
