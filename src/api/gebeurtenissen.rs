//! Agencies posting claim events (FCID style) in batches.

use std::marker::PhantomData;

use actix_web::{HttpResponse, post, web};
use chrono::NaiveDate;
use serde::de::value::MapAccessDeserializer;
use serde::de::{DeserializeOwned, Deserializer, Error as _, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use serde_json::value::RawValue;
use utoipa::ToSchema;

use super::caller::may;
use super::input::{self, Checker, Field};
use super::schemas::{Burgerservicenummer, Fase, Invoerbedrag, Ophogingscategorie};
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
    BetalingTeruggeboekt(BetalingTeruggeboekt),
    VorderingKwijtgescholden(VorderingKwijtgescholden),
    VorderingIngetrokken(VorderingIngetrokken),
    FaseGewijzigd(FaseGewijzigd),
}

/// Een nieuwe vordering op een burger.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct VorderingOpgelegd {
    /// Uniek binnen uw organisatie; hetzelfde kenmerk opnieuw sturen met dezelfde inhoud doet niets.
    #[schema(value_type = String, example = "CJIB-2026-000123-1", max_length = 100, pattern = r"^[^\s](([^\s]| )*[^\s])?$")]
    gebeurteniskenmerk: Field<String>,
    /// Uw eigen sleutel van de vordering, precies zoals u die stuurt: hoofdletters tellen mee, en
    /// spaties aan het begin of eind en andere spaties dan de gewone worden geweigerd.
    #[schema(value_type = String, example = "CJIB-2026-000123", max_length = 100, pattern = r"^[^\s](([^\s]| )*[^\s])?$")]
    vorderingkenmerk: Field<String>,
    /// Optionele groepering van vorderingen (zaak, dossier).
    #[schema(value_type = Option<String>, example = "ZAAK-77", max_length = 100, pattern = r"^[^\s](([^\s]| )*[^\s])?$")]
    zaakkenmerk: Field<String>,
    /// Negen cijfers, voldoet aan de elfproef. Wordt nooit onversleuteld opgeslagen.
    #[schema(value_type = Burgerservicenummer, example = "999996356")]
    burgerservicenummer: Field<Bsn>,
    /// `<organisatie>_<omschrijving>`, met uw eigen voorvoegsel.
    #[schema(value_type = String, example = "cjib_wahv_boete", max_length = 100)]
    vorderingtype: Field<String>,
    #[schema(value_type = String, example = "Verkeersboete A12, 3 maart 2026", max_length = 500)]
    omschrijving: Field<String>,
    #[schema(value_type = Invoerbedrag, example = "239.00")]
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
    #[schema(value_type = String, example = "CJIB-2026-000123-2", max_length = 100, pattern = r"^[^\s](([^\s]| )*[^\s])?$")]
    gebeurteniskenmerk: Field<String>,
    #[schema(value_type = String, example = "CJIB-2026-000123", max_length = 100, pattern = r"^[^\s](([^\s]| )*[^\s])?$")]
    vorderingkenmerk: Field<String>,
    #[schema(value_type = Ophogingscategorie, example = "VERHOGING")]
    categorie: Field<SurchargeCategory>,
    #[schema(value_type = Invoerbedrag, example = "59.75")]
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
    #[schema(value_type = String, example = "CJIB-2026-000123-3", max_length = 100, pattern = r"^[^\s](([^\s]| )*[^\s])?$")]
    gebeurteniskenmerk: Field<String>,
    #[schema(value_type = String, example = "CJIB-2026-000123", max_length = 100, pattern = r"^[^\s](([^\s]| )*[^\s])?$")]
    vorderingkenmerk: Field<String>,
    #[schema(value_type = Invoerbedrag, example = "50.00")]
    bedrag: Field<Money>,
    #[schema(value_type = String, format = Date, example = "2026-05-15")]
    datum: Field<NaiveDate>,
}

/// (Een deel van) een verwerkte betaling teruggeboekt: het geld ging terug naar de betaler (een
/// gestorneerde incasso, een geweigerde overboeking) of de betaling hoorde bij een andere
/// vordering. Wat ermee betaald was, staat weer open; de betaling zelf blijft staan. Het noemt
/// de betaling (`betalingskenmerk`), op dezelfde vordering, is niet eerder gedateerd dan die, en
/// boekt niet meer terug dan er van die betaling nog niet is teruggeboekt.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BetalingTeruggeboekt {
    #[schema(value_type = String, example = "CJIB-2026-000123-7", max_length = 100, pattern = r"^[^\s](([^\s]| )*[^\s])?$")]
    gebeurteniskenmerk: Field<String>,
    #[schema(value_type = String, example = "CJIB-2026-000123", max_length = 100, pattern = r"^[^\s](([^\s]| )*[^\s])?$")]
    vorderingkenmerk: Field<String>,
    /// Het `gebeurteniskenmerk` van de `BetalingVerwerkt` die wordt teruggeboekt.
    #[schema(value_type = String, example = "CJIB-2026-000123-3", max_length = 100, pattern = r"^[^\s](([^\s]| )*[^\s])?$")]
    betalingskenmerk: Field<String>,
    #[schema(value_type = Invoerbedrag, example = "50.00")]
    bedrag: Field<Money>,
    /// De dag waarop de betaling werd teruggeboekt.
    #[schema(value_type = String, format = Date, example = "2026-05-22")]
    datum: Field<NaiveDate>,
    /// Waarom, in woorden die de burger leest.
    #[schema(value_type = String, example = "Incasso gestorneerd door de bank", max_length = 500)]
    reden: Field<String>,
}

/// (Een deel van) een vordering kwijtgescholden.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct VorderingKwijtgescholden {
    #[schema(value_type = String, example = "CJIB-2026-000123-4", max_length = 100, pattern = r"^[^\s](([^\s]| )*[^\s])?$")]
    gebeurteniskenmerk: Field<String>,
    #[schema(value_type = String, example = "CJIB-2026-000123", max_length = 100, pattern = r"^[^\s](([^\s]| )*[^\s])?$")]
    vorderingkenmerk: Field<String>,
    #[schema(value_type = Invoerbedrag, example = "20.00")]
    bedrag: Field<Money>,
    #[schema(value_type = String, format = Date, example = "2026-06-01")]
    datum: Field<NaiveDate>,
}

/// Een vordering ingetrokken: er is niets meer op verschuldigd.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct VorderingIngetrokken {
    #[schema(value_type = String, example = "CJIB-2026-000123-5", max_length = 100, pattern = r"^[^\s](([^\s]| )*[^\s])?$")]
    gebeurteniskenmerk: Field<String>,
    #[schema(value_type = String, example = "CJIB-2026-000123", max_length = 100, pattern = r"^[^\s](([^\s]| )*[^\s])?$")]
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
    #[schema(value_type = String, example = "CJIB-2026-000123-6", max_length = 100, pattern = r"^[^\s](([^\s]| )*[^\s])?$")]
    gebeurteniskenmerk: Field<String>,
    #[schema(value_type = String, example = "CJIB-2026-000123", max_length = 100, pattern = r"^[^\s](([^\s]| )*[^\s])?$")]
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
/// gebeurtenis wordt niets opgeslagen. De melding noemt eerst elke fout die aan de gebeurtenissen
/// zelf te zien is (velden, datums, voorvoegsel), van elke gebeurtenis; pas als die er niet zijn,
/// elke fout tegen wat er al is opgeslagen (een onbekende vordering, meer betaald dan openstaat).
/// Dezelfde gebeurtenis met hetzelfde `gebeurteniskenmerk` en dezelfde inhoud opnieuw sturen doet
/// niets; hetzelfde kenmerk met andere inhoud geeft een 409.
#[utoipa::path(operation_id = "gebeurtenissenVerwerken", tag = "Vorderingen",
    request_body = Gebeurtenissen,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Alle gebeurtenissen zijn verwerkt, of waren al eerder verwerkt", body = Verwerkingsresultaat),
        (status = 409, description = "Een of meer gebeurteniskenmerken zijn al gebruikt voor een andere gebeurtenis; er is niets opgeslagen", body = Problem, content_type = "application/problem+json"),
    ))]
#[post("/gebeurtenissen")]
pub async fn post(
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Json<Box<RawValue>>,
) -> Result<HttpResponse, ApiError> {
    may(&caller, Operation::PostClaimEvents)?;
    let ctx = ReadContext {
        pseudonymizer: &state.pseudonymizer,
        today: state.services.now().today,
    };
    let events = read_batch(body.get(), &ctx)?;
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

/// Reads the batch. The usual batch, well formed, is read straight from its text; any other is
/// read again as a JSON tree by [`parse_batch`], which names every problem. Both give the same
/// events (a test holds them to it), so the problems reported never depend on which ran.
fn read_batch(text: &str, ctx: &ReadContext<'_>) -> Result<Vec<ReadEvent>, ApiError> {
    if let Ok(batch) = serde_json::from_str::<WellFormedBatch>(text)
        && (1..=MAX_BATCH_SIZE).contains(&batch.gebeurtenissen.len())
    {
        return Ok(batch
            .gebeurtenissen
            .into_iter()
            .map(|WellFormed(event)| converted(Some(event), Checker::new(), ctx))
            .collect());
    }
    read_tree(text, ctx)
}

/// Reads the batch as a tree. The extractor checked the syntax; left are a number too large for
/// the tree and a member named twice.
fn read_tree(text: &str, ctx: &ReadContext<'_>) -> Result<Vec<ReadEvent>, ApiError> {
    let input::Unique(body) = serde_json::from_str(text).map_err(|e| ApiError::invalid_json(&e))?;
    parse_batch(body, ctx)
}

/// A batch as agencies send it: only `gebeurtenissen`, each a [`WellFormed`] event.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WellFormedBatch {
    gebeurtenissen: Vec<WellFormed>,
}

/// An event whose first field is its `type`, followed by fields of that type only, each at most
/// once. Reading it builds no tree; anything else is an error, and the batch is read as a tree.
struct WellFormed(Gebeurtenis);

impl<'de> Deserialize<'de> for WellFormed {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<WellFormed, D::Error> {
        deserializer.deserialize_map(WellFormedVisitor)
    }
}

struct WellFormedVisitor;

impl<'de> Visitor<'de> for WellFormedVisitor {
    type Value = WellFormed;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an event with its type first")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<WellFormed, A::Error> {
        if map.next_key::<&str>()? != Some("type") {
            return Err(A::Error::custom("type is not the first field"));
        }
        let event_type = EventType::from_code(map.next_value::<&str>()?)
            .ok_or_else(|| A::Error::custom("unknown type"))?;
        let mut unknown = false;
        let event = Gebeurtenis::read(
            event_type,
            TextFields {
                fields: MapAccessDeserializer::new(map),
                unknown: &mut unknown,
                text: PhantomData,
            },
        )?;
        if unknown {
            return Err(A::Error::custom("unknown field"));
        }
        Ok(WellFormed(event))
    }
}

/// Reads an event body of any type: [`TextFields`] from the text, a [`Checker`] from a tree.
trait BodyReader {
    type Error;
    fn body<T: DeserializeOwned>(self) -> Result<T, Self::Error>;
}

/// The fields after `type`, read from the text; `unknown` is set when one is not of the type.
struct TextFields<'u, 'de, A> {
    fields: MapAccessDeserializer<A>,
    unknown: &'u mut bool,
    text: PhantomData<&'de str>,
}

impl<'de, A: MapAccess<'de>> BodyReader for TextFields<'_, 'de, A> {
    type Error = A::Error;
    fn body<T: DeserializeOwned>(self) -> Result<T, A::Error> {
        serde_ignored::deserialize(self.fields, |_| *self.unknown = true)
    }
}

/// The fields after `type`, read from a tree; the checker names what is wrong with them.
impl BodyReader for (&mut Checker, Value) {
    type Error = ();
    fn body<T: DeserializeOwned>(self) -> Result<T, ()> {
        self.0.given_object(self.1).ok_or(())
    }
}

/// Reads the batch as a tree; each event on its own, so that the service can report every
/// problem of every event together with the ones its rules find.
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
    let mut c = Checker::new();
    let event = Gebeurtenis::read(event_type, (&mut c, Value::Object(fields))).ok();
    converted(event, c, ctx)
}

/// Turns a read event into a domain event, adding the problems of its fields to those `c` found.
fn converted(event: Option<Gebeurtenis>, mut c: Checker, ctx: &ReadContext<'_>) -> ReadEvent {
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
    /// Reads the body of an event of `event_type`: the one place a type names its body.
    fn read<R: BodyReader>(event_type: EventType, reader: R) -> Result<Gebeurtenis, R::Error> {
        Ok(match event_type {
            EventType::VorderingOpgelegd => Gebeurtenis::VorderingOpgelegd(reader.body()?),
            EventType::OphogingOpgelegd => Gebeurtenis::OphogingOpgelegd(reader.body()?),
            EventType::BetalingVerwerkt => Gebeurtenis::BetalingVerwerkt(reader.body()?),
            EventType::BetalingTeruggeboekt => Gebeurtenis::BetalingTeruggeboekt(reader.body()?),
            EventType::VorderingKwijtgescholden => {
                Gebeurtenis::VorderingKwijtgescholden(reader.body()?)
            }
            EventType::VorderingIngetrokken => Gebeurtenis::VorderingIngetrokken(reader.body()?),
            EventType::FaseGewijzigd => Gebeurtenis::FaseGewijzigd(reader.body()?),
        })
    }

    fn into_event(self, c: &mut Checker, ctx: &ReadContext<'_>) -> Option<KeyedEvent> {
        match self {
            Gebeurtenis::VorderingOpgelegd(e) => e.into_event(c, ctx),
            Gebeurtenis::OphogingOpgelegd(e) => e.into_event(c, ctx),
            Gebeurtenis::BetalingVerwerkt(e) => e.into_event(c, ctx),
            Gebeurtenis::BetalingTeruggeboekt(e) => e.into_event(c, ctx),
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

impl EventInput for BetalingTeruggeboekt {
    fn into_event(self, c: &mut Checker, ctx: &ReadContext<'_>) -> Option<KeyedEvent> {
        let event_key = key(c, "gebeurteniskenmerk", self.gebeurteniskenmerk);
        let claim_key = key(c, "vorderingkenmerk", self.vorderingkenmerk);
        let payment_key = key(c, "betalingskenmerk", self.betalingskenmerk);
        let amount = amount(c, self.bedrag);
        let date = past_date(c, "datum", self.datum, ctx.today);
        let reason = text(c, "reden", self.reden);
        let event = (|| {
            Some(ClaimEvent::PaymentReversal {
                payment_key: payment_key?,
                amount: amount?,
                date: date?,
                reason: reason?,
            })
        })();
        keyed(event_key, claim_key, event)
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

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn context(pseudonymizer: &Pseudonymizer) -> ReadContext<'_> {
        ReadContext {
            pseudonymizer,
            today: NaiveDate::from_ymd_opt(2026, 12, 2).unwrap(),
        }
    }

    fn read_both(text: &str) -> (String, String) {
        let pseudonymizer = Pseudonymizer::new(b"test-pseudonym-secret");
        let ctx = context(&pseudonymizer);
        (
            format!("{:?}", read_batch(text, &ctx)),
            format!("{:?}", read_tree(text, &ctx)),
        )
    }

    const EVENTS: &str = r#"
        {"type": "VorderingOpgelegd", "gebeurteniskenmerk": "E1", "vorderingkenmerk": "V1",
         "zaakkenmerk": "Z1", "burgerservicenummer": "999996356", "vorderingtype": "cjib_boete",
         "omschrijving": "Verkeersboete", "bedrag": "239.00", "opgelegdOp": "2026-03-10",
         "vervaldatum": "2026-04-21"},
        {"type": "OphogingOpgelegd", "gebeurteniskenmerk": "E2", "vorderingkenmerk": "V1",
         "categorie": "VERHOGING", "bedrag": "59.75", "datum": "2026-05-01",
         "omschrijving": "Aanmaning"},
        {"type": "BetalingVerwerkt", "gebeurteniskenmerk": "E3", "vorderingkenmerk": "V1",
         "bedrag": "50.00", "datum": "2026-05-15"},
        {"type": "VorderingKwijtgescholden", "gebeurteniskenmerk": "E4", "vorderingkenmerk": "V1",
         "bedrag": "20.00", "datum": "2026-06-01"},
        {"type": "VorderingIngetrokken", "gebeurteniskenmerk": "E5", "vorderingkenmerk": "V2",
         "datum": "2026-06-10", "reden": "Bezwaar gegrond"},
        {"type": "FaseGewijzigd", "gebeurteniskenmerk": "E6", "vorderingkenmerk": "V1",
         "fase": "AANMANING", "betwist": false},
        {"type": "BetalingTeruggeboekt", "gebeurteniskenmerk": "E7", "vorderingkenmerk": "V1",
         "betalingskenmerk": "E3", "bedrag": "10.00", "datum": "2026-06-12",
         "reden": "Incasso gestorneerd"}"#;

    #[test]
    fn a_well_formed_batch_is_read_from_its_text_into_the_events_the_tree_gives() {
        let text = format!(r#"{{"gebeurtenissen": [{EVENTS}]}}"#);
        let batch = serde_json::from_str::<WellFormedBatch>(&text).expect("read from the text");
        assert_eq!(batch.gebeurtenissen.len(), 7);
        let (from_text, from_tree) = read_both(&text);
        assert!(from_text.starts_with("Ok(["), "{from_text}");
        assert_eq!(from_text, from_tree);
    }

    #[test]
    fn a_batch_with_field_problems_is_reported_as_the_tree_reports_it() {
        // Read from the text (the fields are there, their values are wrong): the same problems.
        let text = r#"{"gebeurtenissen": [
            {"type": "BetalingVerwerkt", "gebeurteniskenmerk": " ", "vorderingkenmerk": 7,
             "bedrag": "-1", "datum": "2099-01-01"},
            {"type": "VorderingOpgelegd", "burgerservicenummer": "123456789", "bedrag": null}]}"#;
        assert!(serde_json::from_str::<WellFormedBatch>(text).is_ok());
        let (from_text, from_tree) = read_both(text);
        assert!(from_text.contains("issues: [FieldIssue"), "{from_text}");
        assert_eq!(from_text, from_tree);
    }

    #[test]
    fn a_number_too_large_to_read_is_invalid_json_at_its_position() {
        let pseudonymizer = Pseudonymizer::new(b"test-pseudonym-secret");
        let text = r#"{"gebeurtenissen": [{"type": "BetalingVerwerkt", "bedrag": 1e400}]}"#;
        let error = format!(
            "{:?}",
            read_batch(text, &context(&pseudonymizer)).expect_err("not readable")
        );
        // Where the extractor, reading the body as a tree, found it before.
        let tree = serde_json::from_str::<Value>(text).expect_err("out of range");
        let position = format!("regel {}, kolom {}", tree.line(), tree.column());
        assert!(
            error.contains("ongeldige_json") && error.contains(&position),
            "{error}"
        );
    }

    #[test]
    fn any_other_batch_is_read_as_a_tree_with_every_problem_named() {
        for text in [
            // `type` not first, an unknown field, a field twice, an unknown or escaped type.
            r#"{"gebeurtenissen": [{"gebeurteniskenmerk": "E1", "type": "BetalingVerwerkt"}]}"#,
            r#"{"gebeurtenissen": [{"type": "BetalingVerwerkt", "bedrg": "1.00"}]}"#,
            r#"{"gebeurtenissen": [{"type": "BetalingVerwerkt", "datum": "2026-01-01", "datum": "x"}]}"#,
            r#"{"gebeurtenissen": [{"type": "Betaling"}]}"#,
            r#"{"gebeurtenissen": [{"type": "BetalingVerwerk\u0074", "bedrag": "1.00"}]}"#,
            // Not a list of objects, an empty list, an unknown or missing top-level field.
            r#"{"gebeurtenissen": [1, "x", null]}"#,
            r#"{"gebeurtenissen": []}"#,
            r#"{"gebeurtenissen": {}}"#,
            r#"{"gebeurtenissen": [], "extra": 1}"#,
            r#"{}"#,
            r#"[]"#,
        ] {
            assert!(
                serde_json::from_str::<WellFormedBatch>(text)
                    .map(|b| b.gebeurtenissen.is_empty())
                    .unwrap_or(true),
                "{text}"
            );
            let (from_text, from_tree) = read_both(text);
            assert_eq!(from_text, from_tree, "{text}");
        }
        let many = format!(
            r#"{{"gebeurtenissen": [{}]}}"#,
            vec![r#"{"type": "FaseGewijzigd"}"#; MAX_BATCH_SIZE + 1].join(",")
        );
        let (from_text, from_tree) = read_both(&many);
        assert!(from_text.contains("aantal"), "{from_text}");
        assert_eq!(from_text, from_tree);
    }

    /// Every field any event type has, with values that are valid, invalid or of the wrong JSON
    /// type, and one field no event has.
    const FIELDS: [(&str, &[&str]); 16] = [
        ("gebeurteniskenmerk", &[r#""E1""#, r#""E2""#, r#"" ""#, "7"]),
        ("vorderingkenmerk", &[r#""V1""#, "null"]),
        ("zaakkenmerk", &[r#""Z1""#, "null"]),
        ("burgerservicenummer", &[r#""999996356""#, r#""123456789""#]),
        ("vorderingtype", &[r#""cjib_boete""#, r#""Boete""#]),
        ("omschrijving", &[r#""Verkeersboete""#, r#""\u0001""#]),
        ("bedrag", &[r#""12.50""#, r#""-1""#, "12.5"]),
        ("opgelegdOp", &[r#""2026-03-10""#, r#""2099-01-01""#]),
        ("vervaldatum", &[r#""2026-04-21""#, r#""21-04-2026""#]),
        ("categorie", &[r#""VERHOGING""#, r#""BOETE""#]),
        ("datum", &[r#""2026-05-01""#, r#""2026-02-30""#]),
        ("reden", &[r#""Bezwaar gegrond""#, "[]"]),
        ("fase", &[r#""AANMANING""#, "{}"]),
        ("betwist", &["false", r#""nee""#]),
        ("betalingskenmerk", &[r#""E3""#, r#"" E3""#, "null"]),
        ("onbekend", &["1"]),
    ];

    /// Each type with the fields it has (indices into `FIELDS`); the last is no type at all.
    const TYPES: [(&str, &[usize]); 8] = [
        ("VorderingOpgelegd", &[0, 1, 2, 3, 4, 5, 6, 7, 8]),
        ("OphogingOpgelegd", &[0, 1, 9, 6, 10, 5]),
        ("BetalingVerwerkt", &[0, 1, 6, 10]),
        ("BetalingTeruggeboekt", &[0, 1, 14, 6, 10, 11]),
        ("VorderingKwijtgescholden", &[0, 1, 6, 10]),
        ("VorderingIngetrokken", &[0, 1, 10, 11]),
        ("FaseGewijzigd", &[0, 1, 12, 13]),
        ("Onbekend", &[0, 1, 6]),
    ];

    /// An event as text: its type at `type_at` among the given fields, each with the value
    /// `values[i]` chooses.
    fn event_text(kind: usize, type_at: usize, fields: &[usize], values: &[usize]) -> String {
        let mut members: Vec<String> = fields
            .iter()
            .zip(values)
            .map(|(&field, &value)| {
                let (name, choices) = FIELDS[field];
                format!(r#""{name}": {}"#, choices[value % choices.len()])
            })
            .collect();
        let type_member = format!(r#""type": "{}""#, TYPES[kind].0);
        members.insert(type_at.min(members.len()), type_member);
        format!("{{{}}}", members.join(", "))
    }

    /// Mostly events either reader could take (a known type first, all or some of its fields,
    /// each once, mostly valid), the rest with the type elsewhere or unknown, a field of no or another type, or a
    /// field twice.
    fn any_event() -> impl Strategy<Value = String> {
        let any_field = 0..FIELDS.len();
        prop_oneof![8 => 0..TYPES.len() - 1, 1 => Just(TYPES.len() - 1)]
            .prop_flat_map(move |kind| {
                let own = TYPES[kind].1.to_vec();
                (
                    Just(kind),
                    prop_oneof![4 => Just(0usize), 1 => 1usize..10],
                    prop_oneof![
                        Just(own.clone()),
                        proptest::sample::subsequence(own.clone(), 0..=own.len())
                    ]
                    .prop_shuffle(),
                    prop_oneof![4 => Just(None), 1 => any_field.clone().prop_map(Some)],
                    proptest::collection::vec(
                        prop_oneof![3 => Just(0usize), 1 => 1usize..4],
                        FIELDS.len() + 1,
                    ),
                )
            })
            .prop_map(|(kind, type_at, mut fields, extra, values)| {
                fields.extend(extra);
                event_text(kind, type_at, &fields, &values)
            })
    }

    proptest! {
        #[test]
        fn both_readers_give_the_same_events_and_problems_for_any_batch(
            events in proptest::collection::vec(any_event(), 0..5),
        ) {
            let text = format!(r#"{{"gebeurtenissen": [{}]}}"#, events.join(", "));
            let (from_text, from_tree) = read_both(&text);
            prop_assert_eq!(from_text, from_tree, "{}", text);
        }
    }
}
