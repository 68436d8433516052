//! Attachments (beslagen): laid by agencies, or declared by citizens and counsellors; and the
//! samenloop they cause, as the citizen sees it.

use actix_web::{HttpResponse, get, patch, post, web};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::caller::{may, whom};
use super::input::{self, Checker, Field};
use super::schemas::{Bedrag, Burgerservicenummer, Invoerbedrag, Leefvorm};
use super::{AppState, Problem, error::ApiError};
use crate::domain::attachment::{
    Attachment, AttachmentChange, AttachmentTerms, NewAttachment, check_claim_keys, check_end,
    check_income_source, check_monthly_amount, check_party_name, check_reference,
};
use crate::domain::authorization::Operation;
use crate::domain::bsn::Bsn;
use crate::domain::caller::Caller;
use crate::domain::household::HouseholdType;
use crate::domain::money::Money;
use crate::domain::patch::Patch;
use crate::domain::samenloop::Party;
use crate::domain::validation::check_not_negative;
use crate::service::attachments::{self, AttachmentRead};

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Beslag {
    id: String,
    /// De schuldeiser (code) of de partij die het beslag legde.
    #[schema(example = "CJIB")]
    beslaglegger: String,
    /// Opgegeven door de burger of een schuldhulpverlener, niet door de beslaglegger zelf.
    eigen_opgave: bool,
    beslagkenmerk: Option<String>,
    #[schema(example = "Loon, Bakkerij De Korenschoof")]
    inkomstenbron: String,
    #[schema(value_type = Option<Bedrag>, example = "2100.00")]
    netto_inkomen_bron: Option<Money>,
    #[schema(value_type = Option<Leefvorm>, example = "ALLEENSTAANDE")]
    leefvorm_aangenomen: Option<&'static str>,
    /// Het belastbaar jaarinkomen zoals de beslaglegger het kent.
    #[schema(value_type = Option<Bedrag>, example = "31000.00")]
    belastbaar_jaarinkomen: Option<Money>,
    /// Bij gehuwden: zijn er kinderen, zoals de beslaglegger het kent.
    kinderen: Option<bool>,
    /// Het inkomen van de partner waarop geen beslag ligt, zoals de beslaglegger het kent.
    #[schema(value_type = Option<Bedrag>, example = "0.00")]
    partner_inkomen: Option<Money>,
    #[schema(value_type = Bedrag, example = "350.00")]
    maandbedrag: Money,
    /// De beslagvrije voet die de beslaglegger toepast.
    #[schema(value_type = Option<Bedrag>, example = "1331.43")]
    beslagvrije_voet: Option<Money>,
    startdatum: NaiveDate,
    /// Laatste dag van het beslag.
    einddatum: Option<NaiveDate>,
    executoriaal: bool,
    /// De eigen vorderingkenmerken van de beslaglegger waarvoor het beslag ligt; leeg: niet
    /// opgegeven (geldt dan voor al zijn vorderingen).
    vorderingkenmerken: Vec<String>,
    /// De dag waarop het beslag verviel door de uitspraak van een wettelijke schuldsanering van
    /// de burger: het was toen al gelegd (art. 301 lid 3 Faillissementswet). Het telt dan niet
    /// meer mee voor samenloop, wat de beslaglegger ook opgaf. Alleen als een schuldhulpverlener
    /// de uitspraakdatum vastlegde.
    vervallen_op: Option<NaiveDate>,
}

impl From<&AttachmentRead> for Beslag {
    fn from(read: &AttachmentRead) -> Beslag {
        Beslag::of(&read.attachment, read.lapsed_on)
    }
}

impl Beslag {
    /// The attachment, lapsed on `lapsed_on` when a Wsnp ruling lapsed it.
    pub fn of(a: &Attachment, lapsed_on: Option<NaiveDate>) -> Beslag {
        let t = &a.terms;
        Beslag {
            id: a.id.clone(),
            beslaglegger: match &a.party {
                Party::Creditor(code) => code.clone(),
                Party::Private(name) => name.clone(),
            },
            eigen_opgave: a.self_declared(),
            beslagkenmerk: a.reference.clone(),
            inkomstenbron: t.income_source.clone(),
            netto_inkomen_bron: t.known_net_income,
            leefvorm_aangenomen: a.assumed_household.map(HouseholdType::code),
            belastbaar_jaarinkomen: t.taxable_yearly_income,
            kinderen: t.children,
            partner_inkomen: t.partner_income,
            maandbedrag: t.monthly_amount,
            beslagvrije_voet: t.applied_bvv,
            startdatum: t.start,
            einddatum: t.end,
            executoriaal: t.executorial,
            vorderingkenmerken: t.claim_keys.clone(),
            vervallen_op: lapsed_on,
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({
    "burgerservicenummer": "999990007",
    "beslagkenmerk": "CJIB-BESLAG-2026-0042",
    "inkomstenbron": "Loon, Bakkerij De Korenschoof",
    "nettoInkomenBron": "2100.00",
    "leefvormAangenomen": "ALLEENSTAANDE",
    "belastbaarJaarinkomen": "31000.00",
    "maandbedrag": "350.00",
    "beslagvrijeVoet": "1331.43",
    "startdatum": "2026-03-01",
    "executoriaal": true,
    "vorderingkenmerken": ["CJIB-2026-000123"]
}))]
pub struct BeslagInvoer {
    /// Verplicht voor een organisatie en een schuldhulpverlener; een burger mag het weglaten.
    #[schema(value_type = Option<Burgerservicenummer>)]
    burgerservicenummer: Field<Bsn>,
    /// Alleen voor een schuldhulpverlener: de burger van een van uw machtigingen, in plaats van
    /// een burgerservicenummer.
    #[schema(value_type = Option<Uuid>)]
    machtiging: Field<Uuid>,
    /// Alleen bij een eigen opgave door burger of schuldhulpverlener: wie legde het beslag? De
    /// schuldeisers die ook beslag leggen op dit inkomen krijgen deze naam te zien (wie de beslagen
    /// coördineert, art. 478 Rv): alleen de naam, niet waarvoor de schuld is.
    #[schema(value_type = Option<String>, example = "Gerechtsdeurwaarder Jansen namens Woonstad", max_length = 200)]
    beslaglegger: Field<String>,
    /// Uw eigen kenmerk van het beslag.
    #[schema(value_type = Option<String>)]
    beslagkenmerk: Field<String>,
    #[schema(value_type = String, max_length = 200)]
    inkomstenbron: Field<String>,
    /// Het netto-inkomen uit deze bron per maand, zoals u het kent.
    #[schema(value_type = Option<Invoerbedrag>)]
    netto_inkomen_bron: Field<Money>,
    /// De leefvorm waarvan u bij de beslagvrije voet uitgaat.
    #[schema(value_type = Option<Leefvorm>)]
    leefvorm_aangenomen: Field<HouseholdType>,
    /// Het belastbaar jaarinkomen (van de persoon en partner) zoals u het kent: de wettelijke
    /// beslagvrije voet hangt ervan af.
    #[schema(value_type = Option<Invoerbedrag>)]
    belastbaar_jaarinkomen: Field<Money>,
    /// Bij gehuwden of samenwonenden: zijn er kinderen, zoals u het kent.
    #[schema(value_type = Option<bool>)]
    kinderen: Field<bool>,
    /// Het inkomen van de partner waarop geen beslag ligt, per maand, zoals u het kent.
    #[schema(value_type = Option<Invoerbedrag>)]
    partner_inkomen: Field<Money>,
    #[schema(value_type = Invoerbedrag)]
    maandbedrag: Field<Money>,
    /// De beslagvrije voet die u toepast.
    #[schema(value_type = Option<Invoerbedrag>)]
    beslagvrije_voet: Field<Money>,
    #[schema(value_type = String, format = Date)]
    startdatum: Field<NaiveDate>,
    #[schema(value_type = Option<String>, format = Date)]
    einddatum: Field<NaiveDate>,
    #[schema(value_type = bool)]
    executoriaal: Field<bool>,
    #[schema(value_type = Option<Vec<String>>)]
    vorderingkenmerken: Field<Vec<String>>,
}

/// Een beslag registreren
///
/// Een organisatie registreert haar eigen beslag (zij is dan de beslaglegger); een burger of
/// schuldhulpverlener meldt een beslag van een andere partij (gemarkeerd als eigen melding).
/// Samenloop wordt opnieuw beoordeeld en elke betrokken schuldeiser hoort wat er veranderde.
#[utoipa::path(operation_id = "beslagRegistreren", tag = "Samenloop",
    request_body = BeslagInvoer,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Het beslag is geregistreerd en telt mee in de samenloop", body = Beslag),
        (status = 200, description = "Hetzelfde beslag was al geregistreerd (een herhaald verzoek): het bestaande, ongewijzigd; er is niets dubbel vastgelegd", body = Beslag),
        (status = 404, description = "U heeft geen machtiging met het id in `machtiging`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Het `beslagkenmerk` hoort al bij een beslag van deze partij met andere gegevens: wijzig dat beslag", body = Problem, content_type = "application/problem+json"),
    ))]
#[post("/beslagen")]
pub async fn register(
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Json<input::Unique>,
) -> Result<HttpResponse, ApiError> {
    may(&caller, Operation::RegisterAttachment)?;
    let (bsn, mandate, new) = input::parse::<BeslagInvoer, _>(&body, |req, c| {
        let bsn = c.optional("burgerservicenummer", req.burgerservicenummer);
        let mandate = c.optional("machtiging", req.machtiging);
        let party_name = c.optional("beslaglegger", req.beslaglegger);
        let reference = c.optional("beslagkenmerk", req.beslagkenmerk);
        let assumed_household = c.optional("leefvormAangenomen", req.leefvorm_aangenomen);
        let income_source = c.required("inkomstenbron", req.inkomstenbron);
        let known_net_income = c.optional("nettoInkomenBron", req.netto_inkomen_bron);
        let taxable = c.optional("belastbaarJaarinkomen", req.belastbaar_jaarinkomen);
        let children = c.optional("kinderen", req.kinderen);
        let partner_income = c.optional("partnerInkomen", req.partner_inkomen);
        let monthly_amount = c.required("maandbedrag", req.maandbedrag);
        let applied_bvv = c.optional("beslagvrijeVoet", req.beslagvrije_voet);
        let start = c.required("startdatum", req.startdatum);
        let end = c.optional("einddatum", req.einddatum);
        let executorial = c.required("executoriaal", req.executoriaal);
        let claim_keys = c.optional("vorderingkenmerken", req.vorderingkenmerken);
        // The domain's rules on what could be read, so they show beside unreadable fields.
        c.check(&party_name, |name| {
            name.as_deref()
                .and_then(|n| check_party_name("beslaglegger", n))
        });
        c.check(&reference, |reference| {
            check_reference(reference.as_deref())
        });
        c.check(&income_source, |source| check_income_source(source));
        c.check(&monthly_amount, |amount| check_monthly_amount(*amount));
        for (field, amount) in [
            ("beslagvrijeVoet", applied_bvv),
            ("nettoInkomenBron", known_net_income),
            ("belastbaarJaarinkomen", taxable),
            ("partnerInkomen", partner_income),
        ] {
            c.check(&amount.flatten(), |a| check_not_negative(field, *a));
        }
        if let (Some(start), Some(end)) = (start, end) {
            c.rule(check_end(start, end));
        }
        for issue in claim_keys
            .iter()
            .flatten()
            .flat_map(|keys| check_claim_keys(keys))
        {
            c.push(issue);
        }
        Some((
            bsn?,
            mandate?,
            NewAttachment {
                party_name: party_name?,
                reference: reference?,
                assumed_household: assumed_household?,
                terms: AttachmentTerms {
                    income_source: income_source?,
                    known_net_income: known_net_income?,
                    taxable_yearly_income: taxable?,
                    children: children?,
                    partner_income: partner_income?,
                    monthly_amount: monthly_amount?,
                    applied_bvv: applied_bvv?,
                    start: start?,
                    end: end?,
                    executorial: executorial?,
                    claim_keys: claim_keys?.unwrap_or_default(),
                },
            },
        ))
    })?;
    let whom = whom(&caller, bsn, mandate, &state.pseudonymizer)?;
    let (attachment, new) = state
        .services
        .run(move |uow| attachments::register(uow, &caller, &whom, &new))
        .await?;
    Ok(super::created_or_found(new).json(Beslag::from(&attachment)))
}

/// Elk veld is optioneel (JSON merge patch): een ontbrekend veld blijft, `null` maakt een
/// optioneel veld leeg.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"einddatum": "2026-06-14"}))]
pub struct BeslagWijziging {
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    beslagkenmerk: Field<String>,
    #[serde(default)]
    #[schema(value_type = String, max_length = 200)]
    inkomstenbron: Field<String>,
    #[serde(default)]
    #[schema(value_type = Option<Invoerbedrag>)]
    netto_inkomen_bron: Field<Money>,
    #[serde(default)]
    #[schema(value_type = Option<Leefvorm>)]
    leefvorm_aangenomen: Field<HouseholdType>,
    #[serde(default)]
    #[schema(value_type = Option<Invoerbedrag>)]
    belastbaar_jaarinkomen: Field<Money>,
    #[serde(default)]
    #[schema(value_type = Option<bool>)]
    kinderen: Field<bool>,
    #[serde(default)]
    #[schema(value_type = Option<Invoerbedrag>)]
    partner_inkomen: Field<Money>,
    #[serde(default)]
    #[schema(value_type = Invoerbedrag)]
    maandbedrag: Field<Money>,
    #[serde(default)]
    #[schema(value_type = Option<Invoerbedrag>)]
    beslagvrije_voet: Field<Money>,
    #[serde(default)]
    #[schema(value_type = String, format = Date)]
    startdatum: Field<NaiveDate>,
    /// Zet de laatste dag van het beslag om het te beëindigen.
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date)]
    einddatum: Field<NaiveDate>,
    #[serde(default)]
    #[schema(value_type = bool)]
    executoriaal: Field<bool>,
    #[serde(default)]
    #[schema(value_type = Option<Vec<String>>)]
    vorderingkenmerken: Field<Vec<String>>,
}

fn read_change(req: BeslagWijziging, c: &mut Checker) -> Option<AttachmentChange> {
    let reference = c.patch("beslagkenmerk", req.beslagkenmerk);
    let income_source = c.patch_required("inkomstenbron", req.inkomstenbron);
    let known_net_income = c.patch("nettoInkomenBron", req.netto_inkomen_bron);
    let assumed_household = c.patch("leefvormAangenomen", req.leefvorm_aangenomen);
    let taxable = c.patch("belastbaarJaarinkomen", req.belastbaar_jaarinkomen);
    let children = c.patch("kinderen", req.kinderen);
    let partner_income = c.patch("partnerInkomen", req.partner_inkomen);
    let monthly_amount = c.patch_required("maandbedrag", req.maandbedrag);
    let applied_bvv = c.patch("beslagvrijeVoet", req.beslagvrije_voet);
    let start = c.patch_required("startdatum", req.startdatum);
    let end = c.patch("einddatum", req.einddatum);
    let executorial = c.patch_required("executoriaal", req.executoriaal);
    let claim_keys = c.patch("vorderingkenmerken", req.vorderingkenmerken);
    // Single-field rules now; the rules between fields need the stored attachment.
    c.check_patch(&reference, |reference| check_reference(Some(reference)));
    c.check_patch(&income_source, |source| check_income_source(source));
    c.check_patch(&monthly_amount, |amount| check_monthly_amount(*amount));
    for (field, amount) in [
        ("beslagvrijeVoet", &applied_bvv),
        ("nettoInkomenBron", &known_net_income),
        ("belastbaarJaarinkomen", &taxable),
        ("partnerInkomen", &partner_income),
    ] {
        c.check_patch(amount, |a| check_not_negative(field, *a));
    }
    if let Some(Patch::Set(keys)) = &claim_keys {
        for issue in check_claim_keys(keys) {
            c.push(issue);
        }
    }
    Some(AttachmentChange {
        reference: reference?,
        income_source: income_source?,
        known_net_income: known_net_income?,
        assumed_household: assumed_household?,
        taxable_yearly_income: taxable?,
        children: children?,
        partner_income: partner_income?,
        monthly_amount: monthly_amount?,
        applied_bvv: applied_bvv?,
        start: start?,
        end: end?,
        executorial: executorial?,
        claim_keys: claim_keys?,
    })
}

/// Een beslag wijzigen of beëindigen
///
/// Een organisatie haar eigen beslag, een burger of schuldhulpverlener een beslag dat die zelf
/// meldde. Samenloop wordt opnieuw beoordeeld en betrokken schuldeisers horen het. Wat de
/// wijziging nieuw noemt, volgt de regels van het registreren: een aangesloten organisatie noemt
/// alleen haar eigen vorderingen op deze burger, een kenmerk hoort bij één beslag. Een wijziging
/// die niets verandert, slaat niets op en meldt niets; de burger ziet in het inzagelog dat het
/// beslag is ingezien.
#[utoipa::path(operation_id = "beslagWijzigen", tag = "Samenloop",
    params(("id" = Uuid, Path, description = "Id van het beslag")),
    request_body(content = BeslagWijziging, content_type = "application/merge-patch+json"),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Het beslag, gewijzigd", body = Beslag),
        (status = 404, description = "Dit beslag bestaat niet, of u mag het niet wijzigen", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Het nieuwe `beslagkenmerk` hoort al bij een ander beslag van deze partij", body = Problem, content_type = "application/problem+json"),
    ))]
#[patch("/beslagen/{id}")]
pub async fn change(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    body: web::Json<input::Unique>,
) -> Result<HttpResponse, ApiError> {
    may(&caller, Operation::ChangeAttachment)?;
    let change = input::parse::<BeslagWijziging, _>(&body, read_change)?;
    let id = id.into_inner().to_string();
    let attachment = state
        .services
        .run(move |uow| attachments::change(uow, &caller, &id, &change))
        .await?;
    Ok(HttpResponse::Ok().json(Beslag::from(&attachment)))
}

/// Eén beslag
///
/// Voor de organisatie die het legde, of voor de burger (of diens gemachtigde).
#[utoipa::path(operation_id = "beslagOphalen", tag = "Samenloop",
    params(("id" = Uuid, Path, description = "Id van het beslag")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Het beslag", body = Beslag),
        (status = 404, description = "Dit beslag bestaat niet, of u mag het niet inzien", body = Problem, content_type = "application/problem+json"),
    ))]
#[get("/beslagen/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner().to_string();
    let attachment = state
        .services
        .read(move |uow| attachments::get(uow, &caller, &id))
        .await?;
    Ok(HttpResponse::Ok().json(Beslag::from(&attachment)))
}
