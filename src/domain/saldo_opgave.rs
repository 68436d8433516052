//! The saldo-opgave (docs/debt-help-chain.md): every government claim of a person as of a date, per
//! creditor, each surcharge on its own line, with totals that add up to the cent, and the
//! creditors that are not connected. It answers in one request what today takes a *Saldoverzoek*
//! per creditor through the Schuldenknooppunt (Schuldregelen 2.0: the *Saldoverzoek antwoord*),
//! and it is kept with an id so a counsellor can cite it later, unchanged.
//!
//! The figures as of the date are folded from the claims' events dated on or before it (a phase
//! change counts from the day it was received), so a later payment or surcharge does not change
//! an opgave for an earlier date.

use std::collections::{BTreeMap, HashSet};

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::access::{Action, Actor, Role};
use super::authorization::Access;
use super::claims::{
    Claim, ClaimStatus, EventType, Ledger, RecordedEvent, SurchargeCategory, Withdrawal,
};
use super::creditor::Creditor;
use super::decision::{AccessRecord, Decision, Effects, Write};
use super::money::{Bedrag, Money};
use super::overview::SCOPE_NOTE;
use super::person::PersonId;
use super::schuldhulptraject::Trajectory;
use super::time::{Moment, dutch_date, format_instant};
use super::validation::FieldIssue;

/// Een saldo-opgave: alle vorderingen van het Rijk op één burger op een peildatum, per
/// schuldeiser, met totalen die tot op de cent kloppen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SaldoOpgave {
    pub id: String,
    /// De datum waarop de saldi gelden.
    pub peildatum: NaiveDate,
    /// Het moment van opstellen (RFC 3339).
    #[schema(format = DateTime)]
    pub opgesteld_op: String,
    /// Wie de opgave liet opstellen: burger, of de organisatie voor schuldhulpverlening.
    #[schema(example = "schuldhulpverlener GKB-AMSTERDAM")]
    pub opgesteld_door: String,
    /// Het eigen dossierkenmerk van de schuldhulpverlener bij deze burger (KlantnummerSHV in
    /// Schuldregelen 2.0), als die het heeft vastgelegd.
    pub klantnummer_schuldhulpverlener: Option<String>,
    /// Per schuldeiser, op naam.
    pub schuldeisers: Vec<SaldoSchuldeiser>,
    pub aantal_vorderingen: usize,
    /// Alle schuldeisers samen.
    pub totaal: Saldo,
    /// Schuldeisers die hun vorderingen op de peildatum nog niet aan deze dienst leverden: hun
    /// vorderingen kunnen ontbreken.
    pub niet_aangesloten: Vec<NietAangeslotenSchuldeiser>,
    pub toelichting: String,
}

/// De vorderingen van één schuldeiser, met hun totaal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SaldoSchuldeiser {
    #[schema(example = "CJIB")]
    pub code: String,
    pub naam: String,
    pub website: Option<String>,
    pub telefoon: Option<String>,
    /// Leverde deze schuldeiser op de peildatum al zijn vorderingen aan?
    pub aangesloten: bool,
    pub vorderingen: Vec<SaldoVordering>,
    pub totaal: Saldo,
}

/// Eén vordering op de peildatum.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SaldoVordering {
    /// Het eigen kenmerk van de schuldeiser (FactuurnummerSE in Schuldregelen 2.0).
    pub vorderingkenmerk: String,
    pub zaakkenmerk: Option<String>,
    #[schema(example = "cjib_wahv_boete")]
    pub vorderingtype: String,
    pub omschrijving: String,
    /// De datum waarop de vordering is opgelegd.
    pub ontstaansdatum: NaiveDate,
    pub vervaldatum: NaiveDate,
    /// Het oorspronkelijk opgelegde bedrag.
    #[schema(value_type = Bedrag, example = "239.00")]
    pub oorspronkelijk_bedrag: Money,
    /// Elke ophoging op een eigen regel, met haar categorie.
    pub ophogingen: Vec<OphogingsRegel>,
    #[schema(value_type = Bedrag, example = "59.75")]
    pub totaal_ophogingen: Money,
    /// Wat op de peildatum betaald was, voor zover het toen verschuldigd was, min wat er toen
    /// van was teruggeboekt.
    #[schema(value_type = Bedrag, example = "50.00")]
    pub betaald: Money,
    /// Wat op de peildatum méér betaald was dan verschuldigd: een betaling, gedateerd vóór
    /// een ophoging die ermee betaald werd. Het telt mee voor wat daarna werd opgelegd, niet in
    /// `betaald`, zodat geen vordering (en geen totaal) onder nul staat.
    #[serde(default)]
    #[schema(value_type = Bedrag, example = "0.00")]
    pub vooruitbetaald: Money,
    #[schema(value_type = Bedrag, example = "0.00")]
    pub kwijtgescholden: Money,
    /// Wat bij het intrekken van de vordering nog openstond en daarmee verviel.
    #[schema(value_type = Bedrag, example = "0.00")]
    pub ingetrokken: Money,
    /// Oorspronkelijk bedrag + ophogingen − betaald − kwijtgescholden − ingetrokken.
    #[schema(value_type = Bedrag, example = "248.75")]
    pub openstaand: Money,
    /// OPENSTAAND, VOLDAAN of INGETROKKEN.
    #[schema(example = "OPENSTAAND")]
    pub status: String,
    /// INNING, AANMANING, DWANGBEVEL of BESLAG.
    #[schema(example = "AANMANING")]
    pub fase: String,
    /// Liep er op de peildatum bezwaar of beroep?
    pub betwist: bool,
    /// Viel de vordering op de peildatum onder een Betalingsregeling Rijk?
    pub in_regeling: bool,
}

/// Eén ophoging.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct OphogingsRegel {
    /// VERHOGING, RENTE, ADMINISTRATIEKOSTEN of INVORDERINGSKOSTEN.
    #[schema(example = "VERHOGING")]
    pub categorie: String,
    #[schema(value_type = Bedrag, example = "59.75")]
    pub bedrag: Money,
    pub datum: NaiveDate,
    pub omschrijving: String,
    /// Opgelegd op een dag waarop een schuldhulptraject van deze burger liep: de schuldeisers
    /// was gevraagd dan geen verhogingen of kosten op te leggen (de schuldenpauze). Ga na of
    /// deze ophoging terecht is.
    #[serde(default, rename = "tijdensSchuldhulp")]
    pub tijdens_schuldhulp: bool,
}

/// Totalen; openstaand = oorspronkelijk + ophogingen − betaald − kwijtgescholden − ingetrokken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Saldo {
    #[schema(value_type = Bedrag, example = "1239.00")]
    pub oorspronkelijk: Money,
    #[schema(value_type = Bedrag, example = "59.75")]
    pub ophogingen: Money,
    /// De ophogingen per categorie, alle vier, in vaste volgorde.
    pub ophogingen_per_categorie: Vec<OphogingsTotaal>,
    /// Waarvan opgelegd op een dag waarop een schuldhulptraject liep (zie
    /// `OphogingsRegel.tijdensSchuldhulp`).
    #[serde(default)]
    #[schema(value_type = Bedrag, example = "0.00")]
    pub ophogingen_tijdens_schuldhulp: Money,
    #[schema(value_type = Bedrag, example = "200.00")]
    pub betaald: Money,
    /// Buiten de som, als `vooruitbetaald` bij een vordering.
    #[serde(default)]
    #[schema(value_type = Bedrag, example = "0.00")]
    pub vooruitbetaald: Money,
    #[schema(value_type = Bedrag, example = "0.00")]
    pub kwijtgescholden: Money,
    #[schema(value_type = Bedrag, example = "0.00")]
    pub ingetrokken: Money,
    #[schema(value_type = Bedrag, example = "1098.75")]
    pub openstaand: Money,
}

/// Het totaal van één categorie ophogingen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct OphogingsTotaal {
    #[schema(example = "RENTE")]
    pub categorie: String,
    #[schema(value_type = Bedrag, example = "12.40")]
    pub bedrag: Money,
}

/// Een schuldeiser die (nog) niet aan deze dienst levert.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct NietAangeslotenSchuldeiser {
    pub code: String,
    pub naam: String,
    pub website: Option<String>,
    pub telefoon: Option<String>,
}

/// A claim with its events, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimHistory {
    pub claim: Claim,
    pub events: Vec<RecordedEvent>,
    /// Whether it was in a running Betalingsregeling Rijk on the reference date.
    pub in_arrangement: bool,
}

/// Een eerder opgestelde saldo-opgave, in de lijst van die van een burger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BewaardeSaldoOpgave {
    /// Het kenmerk: de volledige opgave staat onder `GET /saldo-opgaven/{id}`.
    pub id: String,
    pub peildatum: NaiveDate,
    #[schema(format = DateTime)]
    pub opgesteld_op: String,
    #[schema(example = "schuldhulpverlener GKB-AMSTERDAM")]
    pub opgesteld_door: String,
    pub aantal_vorderingen: usize,
    /// Wat op de peildatum samen openstond.
    #[schema(value_type = Bedrag, example = "1098.75")]
    pub totaal_openstaand: Money,
}

/// A person's kept saldo-opgaven as a list, newest first (as `kept` comes); reading the list is
/// logged once.
pub fn list(
    kept: Vec<StoredStatement>,
    person: &PersonId,
    access: &Access,
) -> Decision<Vec<BewaardeSaldoOpgave>> {
    let record = AccessRecord::new(person, access, Action::BalanceStatementsListed, None);
    let listed = kept
        .into_iter()
        .map(|kept| BewaardeSaldoOpgave {
            id: kept.statement.id,
            peildatum: kept.statement.peildatum,
            opgesteld_op: kept.statement.opgesteld_op,
            opgesteld_door: kept.statement.opgesteld_door,
            aantal_vorderingen: kept.statement.aantal_vorderingen,
            totaal_openstaand: kept.statement.totaal.openstaand,
        })
        .collect();
    Decision::read(listed, record)
}

/// A saldo-opgave as kept: whose it is and what it said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredStatement {
    pub person: PersonId,
    pub made_by: Actor,
    pub made_at: NaiveDateTime,
    pub statement: SaldoOpgave,
}

/// Checks the reference date: it cannot lie after today.
pub fn check_reference_date(reference_date: NaiveDate, today: NaiveDate) -> Option<FieldIssue> {
    (reference_date > today).then(|| {
        FieldIssue::new(
            "peildatum",
            "in_toekomst",
            "mag niet na vandaag liggen: een saldo-opgave geeft wat er op een dag openstond",
        )
    })
}

/// A payment or remission as of a date: what it settles is decided in [`claim_line`].
struct Settlement {
    date: NaiveDate,
    payment: bool,
    amount: Money,
    /// The event key, by which a payment booked back names it.
    key: String,
}

/// One claim's ledger, surcharge lines (marked when dated within one of `trajectories`) and
/// payments and remissions as of `date`: its events dated on or before it, in the order they
/// were received. A payment counts less what of it was booked back by then (a payment is
/// booked back on or after its own date, so its booking back is never counted without it).
/// Amounts are summed as recorded: a retroactive event (dated before an event received earlier)
/// may leave an earlier date with more paid or remitted than owed, which [`claim_line`] settles
/// in date order.
fn as_of(
    claim: &Claim,
    events: &[RecordedEvent],
    date: NaiveDate,
    trajectories: &[Trajectory],
) -> (Ledger, Vec<OphogingsRegel>, Vec<Settlement>) {
    let mut ledger = Ledger::open(claim.ledger.original);
    let mut lines = Vec::new();
    let mut settlements = Vec::new();
    for event in events {
        let on = event.date.unwrap_or_else(|| dutch_date(event.received_at));
        if on > date {
            continue;
        }
        let amount = event.amount.unwrap_or(Money::ZERO);
        match event.event_type {
            EventType::VorderingOpgelegd => {}
            EventType::OphogingOpgelegd => {
                ledger.surcharges += amount;
                lines.push(OphogingsRegel {
                    categorie: event
                        .category
                        .map(SurchargeCategory::code)
                        .unwrap_or_default()
                        .to_owned(),
                    bedrag: amount,
                    datum: on,
                    omschrijving: event.description.clone().unwrap_or_default(),
                    tijdens_schuldhulp: trajectories.iter().any(|t| t.covers(on)),
                });
            }
            EventType::BetalingVerwerkt | EventType::VorderingKwijtgescholden => {
                settlements.push(Settlement {
                    date: on,
                    payment: event.event_type == EventType::BetalingVerwerkt,
                    amount,
                    key: event.event_key.clone(),
                });
            }
            EventType::BetalingTeruggeboekt => {
                let reversed = settlements
                    .iter_mut()
                    .find(|s| s.payment && Some(&s.key) == event.reverses.as_ref());
                if let Some(payment) = reversed {
                    payment.amount -= amount.min(payment.amount);
                }
            }
            EventType::VorderingIngetrokken => {
                ledger.withdrawal = Some(Withdrawal {
                    date: on,
                    reason: event.description.clone().unwrap_or_default(),
                });
            }
            EventType::FaseGewijzigd => {
                ledger.phase = event.phase.unwrap_or(ledger.phase);
                ledger.disputed = event.disputed.unwrap_or(ledger.disputed);
            }
        }
    }
    (ledger, lines, settlements)
}

fn claim_line(
    history: &ClaimHistory,
    date: NaiveDate,
    trajectories: &[Trajectory],
) -> SaldoVordering {
    let claim = &history.claim;
    let (mut ledger, ophogingen, mut settlements) =
        as_of(claim, &history.events, date, trajectories);
    // Payments and remissions settle what was owed in the order of their dates (received order
    // within a day). One dated before a surcharge it paid (booked after it) may find nothing
    // left on a day in between: a payment's rest was paid ahead, toward what came after, and is
    // shown apart, so that no claim reads below zero or lowers the totals of the others; a
    // remission's rest remitted nothing yet.
    settlements.sort_by_key(|s| s.date);
    let mut open = ledger.original + ledger.surcharges;
    let mut paid_ahead = Money::ZERO;
    for settlement in settlements {
        let settles = settlement.amount.min(open);
        open -= settles;
        if settlement.payment {
            ledger.paid += settles;
            paid_ahead += settlement.amount - settles;
        } else {
            ledger.remitted += settles;
        }
    }
    let before_withdrawal = ledger.original + ledger.surcharges - ledger.paid - ledger.remitted;
    let ingetrokken = if ledger.withdrawal.is_some() {
        before_withdrawal
    } else {
        Money::ZERO
    };
    SaldoVordering {
        vorderingkenmerk: claim.claim_key.clone(),
        zaakkenmerk: claim.case_key.clone(),
        vorderingtype: claim.claim_type.clone(),
        omschrijving: claim.description.clone(),
        ontstaansdatum: claim.imposed_on,
        vervaldatum: claim.due_date,
        oorspronkelijk_bedrag: ledger.original,
        ophogingen,
        totaal_ophogingen: ledger.surcharges,
        betaald: ledger.paid,
        vooruitbetaald: paid_ahead,
        kwijtgescholden: ledger.remitted,
        ingetrokken,
        openstaand: ledger.outstanding(),
        status: ledger.status().code().to_owned(),
        fase: ledger.phase.code().to_owned(),
        betwist: ledger.disputed,
        in_regeling: history.in_arrangement && ledger.status() == ClaimStatus::Open,
    }
}

fn total<'a>(claims: impl IntoIterator<Item = &'a SaldoVordering> + Clone) -> Saldo {
    let sum = |field: fn(&SaldoVordering) -> Money| claims.clone().into_iter().map(field).sum();
    Saldo {
        oorspronkelijk: sum(|c| c.oorspronkelijk_bedrag),
        ophogingen: sum(|c| c.totaal_ophogingen),
        ophogingen_per_categorie: SurchargeCategory::ALL
            .into_iter()
            .map(|category| OphogingsTotaal {
                categorie: category.code().to_owned(),
                bedrag: claims
                    .clone()
                    .into_iter()
                    .flat_map(|c| &c.ophogingen)
                    .filter(|line| line.categorie == category.code())
                    .map(|line| line.bedrag)
                    .sum(),
            })
            .collect(),
        ophogingen_tijdens_schuldhulp: claims
            .clone()
            .into_iter()
            .flat_map(|c| &c.ophogingen)
            .filter(|line| line.tijdens_schuldhulp)
            .map(|line| line.bedrag)
            .sum(),
        betaald: sum(|c| c.betaald),
        vooruitbetaald: sum(|c| c.vooruitbetaald),
        kwijtgescholden: sum(|c| c.kwijtgescholden),
        ingetrokken: sum(|c| c.ingetrokken),
        openstaand: sum(|c| c.openstaand),
    }
}

/// What the opgave is made of, besides the person's claims.
pub struct Request<'a> {
    pub id: String,
    pub reference_date: NaiveDate,
    /// The counsellor's own dossier reference for the citizen, when a counsellor asks.
    pub counsellor_reference: Option<String>,
    pub creditors: &'a [Creditor],
    /// The person's debt-help trajectories, running or ended: a surcharge dated within one is
    /// marked.
    pub trajectories: &'a [Trajectory],
}

/// Builds the saldo-opgave of `person` from their claims (with their events) as of the request's
/// date, and keeps it.
pub fn make(
    access: &Access,
    person: &PersonId,
    request: Request<'_>,
    claims: Vec<ClaimHistory>,
    now: Moment,
) -> Result<Decision<SaldoOpgave>, Vec<FieldIssue>> {
    let date = request.reference_date;
    if let Some(issue) = check_reference_date(date, now.today) {
        return Err(vec![issue]);
    }
    let mut by_creditor: BTreeMap<String, Vec<SaldoVordering>> = BTreeMap::new();
    for history in claims.iter().filter(|h| h.claim.imposed_on <= date) {
        by_creditor
            .entry(history.claim.creditor_code.clone())
            .or_default()
            .push(claim_line(history, date, request.trajectories));
    }
    let registered = |code: &str| request.creditors.iter().find(|c| c.code == code);
    let mut schuldeisers: Vec<SaldoSchuldeiser> = by_creditor
        .into_iter()
        .map(|(code, mut vorderingen)| {
            vorderingen.sort_by(|a, b| {
                (a.ontstaansdatum, &a.vorderingkenmerk)
                    .cmp(&(b.ontstaansdatum, &b.vorderingkenmerk))
            });
            let creditor = registered(&code);
            SaldoSchuldeiser {
                naam: creditor.map_or_else(|| code.clone(), |c| c.name.clone()),
                website: creditor.and_then(|c| c.contact.website.clone()),
                telefoon: creditor.and_then(|c| c.contact.phone.clone()),
                aangesloten: creditor.is_some_and(|c| c.is_connected(date)),
                totaal: total(&vorderingen),
                vorderingen,
                code,
            }
        })
        .collect();
    schuldeisers.sort_by(|a, b| a.naam.cmp(&b.naam).then_with(|| a.code.cmp(&b.code)));
    let niet_aangesloten: Vec<NietAangeslotenSchuldeiser> = request
        .creditors
        .iter()
        .filter(|c| !c.is_connected(date))
        .map(|c| NietAangeslotenSchuldeiser {
            code: c.code.clone(),
            naam: c.name.clone(),
            website: c.contact.website.clone(),
            telefoon: c.contact.phone.clone(),
        })
        .collect();
    let all: Vec<&SaldoVordering> = schuldeisers.iter().flat_map(|s| &s.vorderingen).collect();
    let totaal = total(all.iter().copied());
    let toelichting = if niet_aangesloten.is_empty() {
        format!(
            "Alle schuldeisers in het register leverden op de peildatum hun vorderingen aan. {SCOPE_NOTE}"
        )
    } else {
        format!(
            "Van de schuldeisers die nog niet waren aangesloten kunnen vorderingen ontbreken; vraag hun saldo \
             zo nodig bij hen op. {SCOPE_NOTE}"
        )
    };
    let statement = SaldoOpgave {
        id: request.id,
        peildatum: date,
        opgesteld_op: format_instant(now.utc),
        opgesteld_door: match &access.actor.organisation {
            Some(organisation) => format!("{} {organisation}", access.actor.role.code()),
            None => access.actor.role.code().to_owned(),
        },
        klantnummer_schuldhulpverlener: request.counsellor_reference,
        aantal_vorderingen: all.len(),
        schuldeisers,
        totaal,
        niet_aangesloten,
        toelichting,
    };
    let record = AccessRecord::new(
        person,
        access,
        Action::BalanceStatementMade,
        Some(&statement.id),
    );
    Ok(Decision {
        writes: vec![Write::BalanceStatement(StoredStatement {
            person: person.clone(),
            made_by: access.actor.clone(),
            made_at: now.utc,
            statement: statement.clone(),
        })],
        value: statement,
        effects: Effects::read(record),
    })
}

/// A kept saldo-opgave as `access` reads it, which only the access log records. The dossier
/// reference is the organisation's own note of its client: another organisation the person also
/// mandated reads the opgave without it (the person reads it, being whom it is about).
pub fn read(stored: StoredStatement, access: &Access) -> Decision<SaldoOpgave> {
    let record = AccessRecord::new(
        &stored.person,
        access,
        Action::BalanceStatementRead,
        Some(&stored.statement.id),
    );
    let mut statement = stored.statement;
    if access.actor.role != Role::Burger && access.actor.organisation != stored.made_by.organisation
    {
        statement.klantnummer_schuldhulpverlener = None;
    }
    Decision::read(statement, record)
}

/// The ids of the claims a Betalingsregeling Rijk covered on `date`.
pub fn arranged_on(
    arrangements: &[super::arrangement::Arrangement],
    date: NaiveDate,
) -> HashSet<String> {
    arrangements
        .iter()
        .filter(|a| {
            a.started_on <= date && a.ending.as_ref().is_none_or(|e| dutch_date(e.at) > date)
        })
        .flat_map(|a| a.claim_ids().map(str::to_owned))
        .collect()
}

#[cfg(test)]
mod tests;
