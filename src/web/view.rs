//! What the templates show, built from what the service functions return: amounts as
//! `€ 1.234,50`, dates written out, codes as words. No rule is decided here.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::domain::access::{RepeatedEntry, Role};
use crate::domain::arrangement::{ArrangementView, DuringDebtHelp};
use crate::domain::attachment::{Attachment, DeclaredArrangement};
use crate::domain::attention::Attention;
use crate::domain::beslagvrije_voet::{NormResult, Unit};
use crate::domain::claims::{ClaimStatus, EventType, Phase, RecordedEvent, SurchargeCategory};
use crate::domain::counsellor::CounsellorOrganisation;
use crate::domain::creditor::{self, Creditor};
use crate::domain::mandate::{Mandate, MandateStatus};
use crate::domain::money::Money;
use crate::domain::notification::{FeedItem, Melding};
use crate::domain::overview::{Addressee, ArrangementSummary, ClaimRecord};
use crate::domain::planner::{Infeasibility, PlanOutcome, Schedule};
use crate::domain::saldo_opgave::{BewaardeSaldoOpgave, Saldo, SaldoOpgave, SaldoVordering};
use crate::domain::samenloop::{Detection, Flag, FlagCode, Party};
use crate::domain::schuldhulptraject::{Trajectory, TrajectoryPhase};
use crate::domain::text::{counted, date};
use crate::domain::time::format_instant;
use crate::service::arrangements::Proposed;
use crate::service::overview::OverviewResult;

pub use crate::domain::overview::SCOPE_NOTE as SCOPE;

/// An amount as `€ 1.234,50`, with a non-breaking space so that it never wraps after the sign.
pub fn euro(amount: Money) -> String {
    prose(&crate::domain::text::euro(amount))
}

/// A text of the domain as a page shows it: no euro sign left at the end of a line.
pub fn prose(text: &str) -> String {
    text.replace("€ ", "€\u{a0}")
}

/// Which creditors the registry names, for the page that says what the service covers.
pub struct CreditorLine {
    pub name: String,
    pub connected: bool,
    pub connected_from: Option<String>,
    pub takes_part: bool,
    pub website: Option<String>,
    pub phone: Option<String>,
}

pub fn creditor_line(c: &Creditor, today: chrono::NaiveDate) -> CreditorLine {
    CreditorLine {
        name: c.name.clone(),
        connected: c.is_connected(today),
        connected_from: c.connected_from.map(date),
        takes_part: c.brr_from.is_some_and(|from| from <= today),
        website: c.contact.website.clone(),
        phone: c.contact.phone.clone(),
    }
}

fn name_of(creditors: &[Creditor], code: &str) -> String {
    creditor::name_of(creditors, code).to_owned()
}

pub fn category(c: SurchargeCategory) -> &'static str {
    match c {
        SurchargeCategory::Verhoging => "Verhoging",
        SurchargeCategory::Rente => "Rente",
        SurchargeCategory::Administratiekosten => "Administratiekosten",
        SurchargeCategory::Invorderingskosten => "Invorderingskosten",
    }
}

pub fn phase(p: Phase) -> &'static str {
    match p {
        Phase::Inning => "Betaling gevraagd",
        Phase::Aanmaning => "Aanmaning",
        Phase::Dwangbevel => "Dwangbevel",
        Phase::Beslag => "Beslag",
    }
}

pub fn status(s: ClaimStatus) -> &'static str {
    match s {
        ClaimStatus::Open => "Openstaand",
        ClaimStatus::Settled => "Niets meer te betalen",
        ClaimStatus::Withdrawn => "Ingetrokken",
    }
}

pub struct SurchargeView {
    pub category: &'static str,
    pub description: String,
    pub date: String,
    pub amount: String,
    /// Dated while a schuldhulptraject ran: marked on the saldo-opgave, which is made with the
    /// person's trajectories (a claim's own page is not).
    pub during_debt_help: bool,
}

pub struct ClaimView {
    pub id: String,
    pub key: String,
    pub description: String,
    pub creditor: String,
    pub original: String,
    pub surcharges: Vec<SurchargeView>,
    pub paid: String,
    pub remitted: String,
    pub has_paid: bool,
    pub has_remitted: bool,
    pub outstanding: String,
    pub open: bool,
    pub status: &'static str,
    pub phase: &'static str,
    pub disputed: bool,
    pub imposed_on: String,
    pub due_date: String,
    pub in_arrangement: bool,
    pub withdrawal: Option<String>,
}

pub fn claim(c: &ClaimRecord, creditors: &[Creditor]) -> ClaimView {
    let l = &c.ledger;
    ClaimView {
        id: c.id.clone(),
        key: c.claim_key.clone(),
        description: c.description.clone(),
        creditor: name_of(creditors, &c.creditor_code),
        original: euro(l.original),
        surcharges: c
            .surcharges
            .iter()
            .map(|s| SurchargeView {
                category: category(s.category),
                description: s.description.clone(),
                date: date(s.date),
                amount: euro(s.amount),
                during_debt_help: false,
            })
            .collect(),
        paid: euro(l.paid),
        remitted: euro(l.remitted),
        has_paid: l.paid > Money::ZERO,
        has_remitted: l.remitted > Money::ZERO,
        outstanding: euro(l.outstanding()),
        open: l.status() == ClaimStatus::Open,
        status: status(l.status()),
        phase: phase(l.phase),
        disputed: l.disputed,
        imposed_on: date(c.imposed_on),
        due_date: date(c.due_date),
        in_arrangement: c.in_arrangement,
        withdrawal: l
            .withdrawal
            .as_ref()
            .map(|w| format!("Ingetrokken op {}: {}", date(w.date), w.reason)),
    }
}

pub struct EventView {
    pub what: &'static str,
    pub date: String,
    pub amount: String,
    pub detail: String,
}

fn event_word(t: EventType) -> &'static str {
    match t {
        EventType::VorderingOpgelegd => "Vordering opgelegd",
        EventType::OphogingOpgelegd => "Verhoging, rente of kosten",
        EventType::BetalingVerwerkt => "Betaling verwerkt",
        EventType::BetalingTeruggeboekt => "Betaling teruggeboekt",
        EventType::VorderingKwijtgescholden => "Kwijtgescholden",
        EventType::VorderingIngetrokken => "Ingetrokken",
        EventType::FaseGewijzigd => "Fase gewijzigd",
    }
}

/// How an event's amount moves what is owed, as the history shows it.
fn event_sign(t: EventType) -> &'static str {
    match t.raises_balance() {
        Some(true) => "+ ",
        Some(false) => "− ",
        None => "",
    }
}

/// A claim's history: each event, a payment booked back with the day and amount of the payment
/// it books back (the person cannot see its key).
pub fn events(events: &[RecordedEvent]) -> Vec<EventView> {
    events
        .iter()
        .map(|e| {
            let reversed = e.reverses.as_ref().and_then(|key| {
                events
                    .iter()
                    .find(|p| p.event_type == EventType::BetalingVerwerkt && &p.event_key == key)
            });
            event(e, reversed)
        })
        .collect()
}

fn event(e: &RecordedEvent, reversed: Option<&RecordedEvent>) -> EventView {
    let mut detail = Vec::new();
    if let Some(payment) = reversed {
        detail.push(format!(
            "Van de betaling van {} op {}",
            payment.amount.map(euro).unwrap_or_default(),
            payment
                .date
                .map_or_else(|| moment(payment.received_at), date)
        ));
    }
    if let Some(c) = e.category {
        detail.push(category(c).to_owned());
    }
    if let Some(d) = &e.description {
        detail.push(d.clone());
    }
    if let Some(p) = e.phase {
        detail.push(format!("Nieuwe fase: {}", phase(p)));
    }
    if e.disputed == Some(true) {
        detail.push("Bezwaar of beroep loopt".into());
    }
    EventView {
        what: event_word(e.event_type),
        date: e.date.map_or_else(|| moment(e.received_at), date),
        amount: e
            .amount
            .map(|a| format!("{}{}", event_sign(e.event_type), euro(a)))
            .unwrap_or_default(),
        detail: detail.join(". "),
    }
}

pub struct SectionView {
    pub creditor: String,
    pub website: Option<String>,
    pub phone: Option<String>,
    pub connected: bool,
    pub total: String,
    pub claims: Vec<ClaimView>,
}

pub struct ArrangementLine {
    pub id: String,
    pub instalment: String,
    /// `7 maanden`.
    pub term: String,
    pub first_due: String,
    pub last_due: String,
    pub coordinator: String,
    pub creditors: String,
}

pub fn arrangement_line(a: &ArrangementSummary, creditors: &[Creditor]) -> ArrangementLine {
    let names: Vec<String> = a.creditors.iter().map(|c| name_of(creditors, c)).collect();
    ArrangementLine {
        id: a.id.clone(),
        instalment: euro(a.instalment),
        term: counted(a.term_months, "maand", "maanden"),
        first_due: date(a.first_due),
        last_due: date(a.last_due),
        coordinator: name_of(creditors, &a.coordinator),
        creditors: crate::domain::text::list(&names),
    }
}

pub struct AttachmentView {
    pub id: String,
    /// Declared by the person or their counsellor (an agency's only the agency changes) and not
    /// ended before today, so they may end it.
    pub changeable: bool,
    pub party: String,
    /// Who declared it, when not the attaching party itself: "zelf opgegeven", ….
    pub declared: Option<String>,
    pub income_source: String,
    pub monthly: String,
    pub applied_bvv: Option<String>,
    pub period: String,
    pub standing: Standing,
    pub executorial: bool,
    /// Why this declaration may duplicate a creditor's own registration, when it may.
    pub possible_duplicate: Option<String>,
    /// That a Wsnp ruling lapsed it, and when, when one did.
    pub lapsed: Option<String>,
}

/// Where a declaration stands by its last day, for the words that fit it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// No last day recorded.
    Open,
    /// Its last day is today or later.
    Ends,
    /// Its last day lies before today.
    Ended,
}

impl Standing {
    /// From its last day, if any, and whether the domain finds it standing today.
    fn of(end: Option<chrono::NaiveDate>, stands: bool) -> Standing {
        match (end, stands) {
            (None, _) => Standing::Open,
            (Some(_), false) => Standing::Ended,
            (Some(_), true) => Standing::Ends,
        }
    }
}

fn period(start: chrono::NaiveDate, end: Option<chrono::NaiveDate>) -> String {
    match end {
        Some(end) => format!("van {} tot en met {}", date(start), date(end)),
        None => format!("vanaf {}", date(start)),
    }
}

/// An attachment as the page shows it; `own` when the person reads it, not their counsellor.
pub fn attachment(
    a: &Attachment,
    creditors: &[Creditor],
    counsellors: &[CounsellorOrganisation],
    own: bool,
    today: chrono::NaiveDate,
) -> AttachmentView {
    AttachmentView {
        id: a.id.clone(),
        changeable: a.endable_by_person(today),
        party: match &a.party {
            Party::Creditor(code) => name_of(creditors, code),
            Party::Private(name) => name.clone(),
        },
        declared: a.self_declared().then(|| match (a.declared_by.role, own) {
            (Role::Burger, true) => "zelf opgegeven".to_owned(),
            (Role::Burger, false) => "opgegeven door uw cliënt".to_owned(),
            (_, true) => "opgegeven door uw schuldhulpverlener".to_owned(),
            (_, false) => format!(
                "opgegeven door schuldhulpverlener {}",
                counsellor_named(
                    counsellors,
                    a.declared_by.organisation.as_deref().unwrap_or_default()
                )
            ),
        }),
        income_source: a.terms.income_source.clone(),
        monthly: euro(a.terms.monthly_amount),
        applied_bvv: a.terms.applied_bvv.map(euro),
        period: period(a.terms.start, a.terms.end),
        standing: Standing::of(a.terms.end, a.stands(today)),
        executorial: a.terms.executorial,
        possible_duplicate: None,
        lapsed: None,
    }
}

pub struct DeclaredView {
    pub id: String,
    /// Not ended before today, so it may be ended.
    pub changeable: bool,
    pub party: String,
    pub monthly: String,
    pub period: String,
    pub standing: Standing,
}

pub fn declared(d: &DeclaredArrangement, today: chrono::NaiveDate) -> DeclaredView {
    DeclaredView {
        id: d.id.clone(),
        changeable: d.endable(today),
        party: d.party.clone(),
        monthly: euro(d.monthly_amount),
        period: period(d.start, d.end),
        standing: Standing::of(d.end, d.endable(today)),
    }
}

pub struct FlagView {
    pub title: &'static str,
    pub explanation: String,
    pub figures: Vec<(&'static str, String)>,
    /// The government creditors it concerns, whom the person can ask about it, when the
    /// registry says how to reach them.
    pub contacts: Vec<ContactLine>,
}

/// How to reach a creditor, as the registry has it.
pub struct ContactLine {
    pub name: String,
    pub phone: Option<String>,
    pub website: Option<String>,
}

/// The creditors `codes` names, each with a way to reach it; the others are left out.
fn contacts(codes: &[String], creditors: &[Creditor]) -> Vec<ContactLine> {
    codes
        .iter()
        .filter_map(|code| creditors.iter().find(|c| &c.code == code))
        .filter(|c| c.contact.phone.is_some() || c.contact.website.is_some())
        .map(|c| ContactLine {
            name: c.name.clone(),
            phone: c.contact.phone.clone(),
            website: c.contact.website.clone(),
        })
        .collect()
}

pub struct SamenloopView {
    pub flags: Vec<FlagView>,
    pub uncertain: Vec<(String, String)>,
    pub not_evaluated: Vec<String>,
    pub norm: Option<String>,
    pub basis: Option<String>,
    pub remaining: Option<String>,
    /// The warning of a shortfall that deductions known now will cause later.
    pub coming: Option<String>,
}

impl SamenloopView {
    pub fn is_quiet(&self) -> bool {
        self.flags.is_empty()
            && self.uncertain.is_empty()
            && self.not_evaluated.is_empty()
            && self.coming.is_none()
    }
}

fn party_name(p: &Party, creditors: &[Creditor]) -> String {
    match p {
        Party::Creditor(code) => name_of(creditors, code),
        Party::Private(name) => name.clone(),
    }
}

/// Whom a page speaks to: the person when `own`, else their counsellor about the client.
fn addressee(own: bool) -> Addressee {
    if own {
        Addressee::Person
    } else {
        Addressee::Counsellor
    }
}

/// A notification as a counsellor's pages show it.
pub struct NotificationView {
    pub when: String,
    /// The client as the client list names it.
    pub client: String,
    /// The mandate, when it is still live: its client's page is then a link.
    pub live_mandate: Option<String>,
    pub title: &'static str,
    /// What the text leaves to the notification's fields: whose, how much, which day.
    pub facts: Vec<(&'static str, String)>,
    pub text: String,
}

pub fn notification(
    item: &FeedItem,
    mandate: Option<&Mandate>,
    creditors: &[Creditor],
    today: chrono::NaiveDate,
) -> NotificationView {
    NotificationView {
        facts: notification_facts(&item.message, creditors),
        when: moment(item.created_at),
        client: mandate.map_or_else(
            || "Een cliënt van wie de machtiging niet meer bestaat".to_owned(),
            client_label,
        ),
        live_mandate: mandate.filter(|m| m.is_live(today)).map(|m| m.id.clone()),
        title: notification_title(&item.message),
        text: prose(item.message.toelichting()),
    }
}

fn notification_facts(message: &Melding, creditors: &[Creditor]) -> Vec<(&'static str, String)> {
    let phase_name = |code: &str| {
        Phase::from_code(code).map_or_else(|| code.to_owned(), |p| phase(p).to_owned())
    };
    match message {
        Melding::SignaalTijdensSchuldenpauze(s) => {
            let mut facts = vec![("Schuldeiser", name_of(creditors, &s.schuldeiser))];
            facts.extend(s.vorderingkenmerk.clone().map(|key| ("Vordering", key)));
            facts.extend(
                s.categorie
                    .as_deref()
                    .and_then(SurchargeCategory::from_code)
                    .map(|c| ("Soort", category(c).to_owned())),
            );
            facts.extend(s.bedrag.map(|amount| {
                let label = match s.signaal.as_str() {
                    "BESLAG" => "Per maand",
                    "FASE_ESCALATIE" => "Openstaand",
                    _ => "Bedrag",
                };
                (label, euro(amount))
            }));
            facts.extend(s.datum.map(|day| ("Datum", date(day))));
            if let (Some(from), Some(to)) = (&s.vorige_fase, &s.fase) {
                facts.push((
                    "Fase",
                    format!("van {} naar {}", phase_name(from), phase_name(to)),
                ));
            }
            facts
        }
        Melding::SchuldhulptrajectGestart(t)
        | Melding::SchuldhulptrajectGewijzigd(t)
        | Melding::SchuldhulptrajectBeeindigd(t) => {
            let informed: Vec<String> = t
                .geinformeerde_schuldeisers
                .iter()
                .map(|code| name_of(creditors, code))
                .collect();
            let mut facts = vec![
                ("Organisatie", t.schuldhulpverlener.naam.clone()),
                (
                    "Fase",
                    TrajectoryPhase::from_code(&t.fase)
                        .map_or_else(|| t.fase.clone(), |p| trajectory_phase(p).to_owned()),
                ),
                ("Sinds", date(t.startdatum)),
            ];
            facts.extend(
                t.uitspraakdatum
                    .map(|d| ("Uitspraak van de rechter", date(d))),
            );
            facts.extend(t.einddatum.map(|d| ("Laatste dag", date(d))));
            facts.push((
                "Bericht aan",
                if informed.is_empty() {
                    "nog geen schuldeiser: er stond niets open".to_owned()
                } else {
                    crate::domain::text::list(&informed)
                },
            ));
            facts
        }
        Melding::RegelingGestart(r) => {
            let mut facts = Vec::new();
            facts.extend(
                r.coordinatie
                    .as_ref()
                    .map(|c| ("Per maand", euro(c.maandbedrag))),
            );
            facts.push(("Looptijd", counted(r.looptijd_maanden, "maand", "maanden")));
            facts.push(("Eerste termijn", date(r.eerste_vervaldatum)));
            facts.push(("Laatste termijn", date(r.laatste_vervaldatum)));
            facts
        }
        Melding::RegelingBeeindigd(r) => vec![
            ("Beëindigd", written_instant(&r.beeindigd_op)),
            ("Reden", r.reden.clone()),
        ],
        Melding::MachtigingBeeindigd(m) => vec![(
            "Reden",
            if m.reden == "INGETROKKEN" {
                "door de burger ingetrokken".to_owned()
            } else {
                "verlopen".to_owned()
            },
        )],
        _ => Vec::new(),
    }
}

fn notification_title(message: &Melding) -> &'static str {
    match message {
        Melding::RegelingGestart(_) => "Betalingsregeling Rijk gestart",
        Melding::RegelingBeeindigd(_) => "Betalingsregeling Rijk beëindigd",
        Melding::RegelingVorderingGewijzigd(_) => "Vordering in een regeling gewijzigd",
        Melding::SamenloopGesignaleerd(_) => "Samenloop gesignaleerd",
        Melding::SamenloopGewijzigd(_) => "Samenloop gewijzigd",
        Melding::SamenloopOpgeheven(_) => "Samenloop opgeheven",
        Melding::GegevensGevraagd(_) => "Gegevens gevraagd",
        Melding::SchuldhulptrajectGestart(_) => "Schuldhulptraject geregistreerd",
        Melding::SchuldhulptrajectGewijzigd(_) => "Schuldhulptraject gewijzigd",
        Melding::SchuldhulptrajectBeeindigd(_) => "Schuldhulptraject beëindigd",
        Melding::SignaalTijdensSchuldenpauze(_) => "Signaal tijdens de schuldenpauze",
        Melding::MachtigingBeeindigd(_) => "Machtiging geëindigd",
    }
}

/// A flag's heading: to the person when `own`, else to their counsellor about the client.
fn flag_title(code: FlagCode, own: bool) -> &'static str {
    match code {
        FlagCode::SubsistenceMinimumUndercut if own => "U houdt te weinig over om van te leven",
        FlagCode::SubsistenceMinimumUndercut => "Uw cliënt houdt te weinig over om van te leven",
        FlagCode::MultipleAttachingParties => "Meer dan één partij legt beslag",
        FlagCode::DeviatingExemptAmount => {
            "Een beslaglegger rekent met een andere beslagvrije voet"
        }
        FlagCode::ClaimInArrangementAndAttachment => {
            "Een vordering valt onder de Betalingsregeling Rijk én onder een beslag"
        }
        FlagCode::ConcurrentArrangements if own => "U heeft meer dan één betalingsregeling",
        FlagCode::ConcurrentArrangements => "Uw cliënt heeft meer dan één betalingsregeling",
    }
}

/// What asks for attention about a client, in the words of its overview, most pressing first.
pub fn attention(a: &Attention, today: chrono::NaiveDate) -> Vec<String> {
    // What a flag the data cannot decide leaves open.
    let open_question = |code: FlagCode| match code {
        FlagCode::SubsistenceMinimumUndercut => "of uw cliënt genoeg overhoudt om van te leven",
        FlagCode::DeviatingExemptAmount => {
            "of elke beslaglegger de juiste beslagvrije voet toepast"
        }
        _ => "of er samenloop is",
    };
    let mut lines: Vec<String> = a
        .flags
        .iter()
        .map(|code| flag_title(*code, false).to_owned())
        .collect();
    lines.extend(a.shortfall_from.map(|from| {
        format!(
            "Straks houdt uw cliënt te weinig over: vanaf {}",
            date(from)
        )
    }));
    lines.extend(a.uncertain.iter().map(|code| {
        match code {
            FlagCode::SubsistenceMinimumUndercut => {
                "Misschien houdt uw cliënt te weinig over om van te leven: gegevens ontbreken"
                    .to_owned()
            }
            other => format!(
                "Nog niet na te gaan {}: gegevens ontbreken",
                open_question(*other)
            ),
        }
    }));
    lines.extend(a.not_evaluated.iter().map(|code| {
        format!(
            "Niet na te gaan {}: gegevens ontbreken",
            open_question(*code)
        )
    }));
    lines.extend(a.mandate_ends.map(|end| {
        let when = if end == today {
            "vandaag".to_owned()
        } else {
            format!("op {}", date(end))
        };
        format!(
            "De machtiging loopt {when} af. Daarna kunt u niets meer voor deze cliënt doen, tot \
             die u opnieuw machtigt; dat kan vanaf de dag erna"
        )
    }));
    lines
}

/// A flag as the page shows it: it speaks to the person when `own`, else to their counsellor
/// about the client.
fn flag(flag: &Flag, d: &Detection, creditors: &[Creditor], own: bool) -> FlagView {
    let addressee = addressee(own);
    let figures = match flag {
        Flag::SubsistenceMinimumUndercut(f) => vec![
            ("Netto-inkomen per maand", euro(f.net_income)),
            (
                "Beslagen en regelingen samen per maand",
                euro(f.deductions()),
            ),
            (
                "Beslagvrije voet (wat minstens moet overblijven)",
                format!("{}{}", f.norm_certainty.qualifier(), euro(f.norm)),
            ),
            (
                "Te veel ingehouden per maand",
                format!("{}{}", f.norm_certainty.at_least(), euro(f.shortfall())),
            ),
        ],
        Flag::MultipleAttachingParties(f) => {
            let parties: Vec<String> = f
                .parties()
                .into_iter()
                .map(|p| party_name(p, creditors))
                .collect();
            let mut figures = vec![("Beslagleggers", crate::domain::text::list(&parties))];
            let concurrences = f.concurrences();
            for c in &concurrences {
                if let Some(coordinator) = c.coordinator() {
                    let name = party_name(&coordinator.party, creditors);
                    let value = if concurrences.len() == 1 {
                        name
                    } else {
                        format!("{name}, op {}", c.income_source)
                    };
                    figures.push(("Coördineert de beslagen", value));
                }
            }
            figures
        }
        Flag::DeviatingExemptAmount(f) => vec![
            ("Beslaglegger", party_name(&f.party, creditors)),
            ("Beslagvrije voet van de beslaglegger", euro(f.applied)),
            (
                "Beslagvrije voet volgens de wet",
                format!("{}{}", f.norm_certainty.qualifier(), euro(f.common_norm)),
            ),
            (
                "Verschil",
                format!("{}{}", f.norm_certainty.at_least(), euro(f.difference())),
            ),
        ],
        Flag::ClaimInArrangementAndAttachment(f) => vec![
            ("Schuldeiser", name_of(creditors, &f.creditor)),
            ("Vorderingen", f.claim_keys.join(", ")),
        ],
        Flag::ConcurrentArrangements(f) => vec![("Samen per maand", euro(f.total()))],
    };
    FlagView {
        title: flag_title(flag.code(), own),
        explanation: prose(&flag.explanation_in(d, creditors, addressee)),
        figures,
        // A proposal's flags are what would hold: nothing to ask anyone about yet.
        contacts: if d.hypothetical {
            Vec::new()
        } else {
            contacts(&flag.affected_creditors(), creditors)
        },
    }
}

pub fn samenloop(d: &Detection, creditors: &[Creditor], own: bool) -> SamenloopView {
    SamenloopView {
        flags: d.flags.iter().map(|f| flag(f, d, creditors, own)).collect(),
        uncertain: d
            .uncertain
            .iter()
            .map(|u| (prose(&u.explanation), u.missing.join(", ")))
            .collect(),
        not_evaluated: d
            .not_evaluated
            .iter()
            .map(|n| n.explanation.clone())
            .collect(),
        norm: d.norm.as_ref().map(|n| match n.upper() {
            _ if n.is_exact() => euro(n.lowest),
            Some(highest) => format!("tussen {} en {}", euro(n.lowest), euro(highest)),
            None => format!("ten minste {}", euro(n.lowest)),
        }),
        basis: d
            .basis
            .as_ref()
            .map(|b| b.explanation(creditors, addressee(own))),
        remaining: d.remaining_capacity.map(euro),
        coming: d
            .coming_shortfall
            .map(|c| prose(&c.explanation(addressee(own)))),
    }
}

pub struct OverviewView {
    pub summary: String,
    pub prepared_on: String,
    pub total: String,
    pub open_claims: usize,
    pub sections: Vec<SectionView>,
    pub arrangements: Vec<ArrangementLine>,
    pub attachments: Vec<AttachmentView>,
    pub declared: Vec<DeclaredView>,
    pub samenloop: SamenloopView,
    /// Some claim could go into a new Betalingsregeling Rijk.
    pub can_propose: bool,
    pub complete: bool,
    pub connected: Vec<CreditorLine>,
    pub not_connected: Vec<CreditorLine>,
    /// Says also what the overview never covers (the scope note).
    pub completeness: String,
}

/// The overview page's figures; `own` when the person reads it, not their counsellor.
pub fn overview(
    r: &OverviewResult,
    creditors: &[Creditor],
    counsellors: &[CounsellorOrganisation],
    own: bool,
) -> OverviewView {
    let o = &r.overview;
    let today = o.prepared_on;
    OverviewView {
        summary: o.summary.clone(),
        prepared_on: date(o.prepared_on),
        total: euro(o.total_outstanding),
        open_claims: o.open_claims,
        sections: o
            .sections
            .iter()
            .map(|s| SectionView {
                creditor: s.creditor.name.clone(),
                website: s.creditor.contact.website.clone(),
                phone: s.creditor.contact.phone.clone(),
                connected: s.connected,
                total: euro(s.total_outstanding),
                claims: s.claims.iter().map(|c| claim(c, creditors)).collect(),
            })
            .collect(),
        arrangements: o
            .arrangements
            .iter()
            .map(|a| arrangement_line(a, creditors))
            .collect(),
        attachments: r
            .attachments
            .iter()
            .map(|a| AttachmentView {
                possible_duplicate: r
                    .possible_duplicates
                    .iter()
                    .find(|d| d.declared_id == a.id)
                    .map(|d| d.explanation.clone()),
                lapsed: a.lapsed_on(r.schuldsanering_ruling).map(|ruling| {
                    format!(
                        "Vervallen op {} door de wettelijke schuldsanering (art. 301 lid 3 \
                         Faillissementswet): telt niet meer mee.",
                        date(ruling)
                    )
                }),
                ..attachment(a, creditors, counsellors, own, today)
            })
            .collect(),
        declared: r.declared.iter().map(|d| declared(d, today)).collect(),
        samenloop: samenloop(&r.samenloop, creditors, own),
        can_propose: o.invites_arrangement(r.trajectory.as_ref()),
        complete: o.completeness.is_complete(),
        connected: o
            .completeness
            .connected
            .iter()
            .map(|c| creditor_line(c, today))
            .collect(),
        not_connected: o
            .completeness
            .not_connected
            .iter()
            .map(|c| creditor_line(c, today))
            .collect(),
        completeness: o.completeness.explanation.clone(),
    }
}

pub struct ParameterView {
    pub description: &'static str,
    pub value: String,
    pub source: String,
    pub confirmed: bool,
}

pub struct StepView {
    pub description: String,
    pub legal_source: String,
    pub amount: String,
    pub parameters: Vec<ParameterView>,
}

pub struct NormView {
    /// Shown to a counsellor about a client; the engine's texts speak to the person.
    pub about_client: bool,
    pub beslagvrije_voet: String,
    pub capacity: String,
    pub net_income: String,
    pub peildatum: String,
    pub table_from: String,
    pub situation: &'static str,
    pub steps: Vec<StepView>,
    pub warnings: Vec<String>,
    pub assumptions: Vec<String>,
    pub not_computed: Vec<String>,
}

/// An exact figure of a norm table, the Dutch way: `1.419,46` or `13,730`.
pub fn figure(value: Decimal, unit: Unit) -> String {
    let text = value.normalize().to_string();
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let mut grouped = String::new();
    for (i, d) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) && whole.chars().all(|c| c.is_ascii_digit())
        {
            grouped.push('.');
        }
        grouped.push(d);
    }
    let fraction = match unit {
        Unit::EuroPerMonth | Unit::EuroPerYear if fraction.len() < 2 => format!("{fraction:0<2}"),
        _ => fraction.to_owned(),
    };
    let number = if fraction.is_empty() {
        grouped
    } else {
        format!("{grouped},{fraction}")
    };
    match unit {
        Unit::EuroPerMonth => format!("€\u{a0}{number} per maand"),
        Unit::EuroPerYear => format!("€\u{a0}{number} per jaar"),
        Unit::Percentage => format!("{number}%"),
    }
}

pub fn norm(r: &NormResult, addressee: Addressee) -> NormView {
    NormView {
        about_client: addressee == Addressee::Counsellor,
        beslagvrije_voet: euro(r.beslagvrije_voet),
        capacity: euro(r.afloscapaciteit),
        net_income: euro(r.net_income),
        peildatum: date(r.peildatum),
        table_from: date(r.table_valid_from),
        situation: r.situation.label(),
        steps: r
            .steps
            .iter()
            .map(|s| StepView {
                description: prose(&s.description),
                legal_source: s.legal_source.clone(),
                amount: euro(s.amount),
                parameters: s
                    .parameters
                    .iter()
                    .map(|p| ParameterView {
                        description: p.description,
                        value: figure(p.value, p.unit),
                        source: p.source.clone(),
                        confirmed: p.confirmed,
                    })
                    .collect(),
            })
            .collect(),
        warnings: r.warnings.iter().map(|w| prose(&w.message)).collect(),
        assumptions: r.assumptions.iter().map(|a| prose(a)).collect(),
        not_computed: r
            .not_computed
            .iter()
            .map(|n| prose(&n.explanation))
            .collect(),
    }
}

pub struct ShareView {
    pub creditor: String,
    pub amount: String,
    pub claims: String,
}

pub struct MonthView {
    pub number: u32,
    pub due: String,
    pub amount: String,
    pub shares: Vec<ShareView>,
}

pub struct ScheduleView {
    pub instalment: String,
    /// The last month's amount, where smaller.
    pub smaller_last: Option<String>,
    /// `7 maanden`.
    pub term: String,
    pub first_due: String,
    pub last_due: String,
    pub total: String,
    pub months: Vec<MonthView>,
}

pub fn schedule(s: &Schedule, keys: &BTreeMap<&str, &str>, creditors: &[Creditor]) -> ScheduleView {
    ScheduleView {
        instalment: euro(s.instalment),
        smaller_last: s.smaller_last().map(euro),
        term: counted(s.term_months, "maand", "maanden"),
        first_due: date(s.first_due),
        last_due: date(s.last_due().unwrap_or(s.first_due)),
        total: euro(s.total),
        months: s
            .months
            .iter()
            .map(|m| MonthView {
                number: m.number,
                due: date(m.due_date),
                amount: euro(m.amount),
                shares: m
                    .shares
                    .iter()
                    .map(|sh| ShareView {
                        creditor: name_of(creditors, &sh.creditor),
                        amount: euro(sh.amount),
                        claims: sh
                            .claims
                            .iter()
                            .map(|c| {
                                format!(
                                    "{} {}",
                                    keys.get(c.claim_id.as_str()).copied().unwrap_or("?"),
                                    euro(c.amount)
                                )
                            })
                            .collect::<Vec<_>>()
                            .join(", "),
                    })
                    .collect(),
            })
            .collect(),
    }
}

pub struct ClaimLine {
    pub creditor: String,
    pub key: String,
    pub outstanding: String,
    pub reason: Option<String>,
}

pub struct ProposalView {
    pub id: String,
    pub valid_until: String,
    /// From when accepting it starts the arrangement in a later month than its schedule shows.
    pub starts_later_from: Option<String>,
    pub summary: String,
    pub norm: NormView,
    pub attachments: String,
    pub arrangements: Vec<(String, String)>,
    pub capacity: String,
    pub claims: Vec<ClaimLine>,
    pub excluded: Vec<ClaimLine>,
    pub total: String,
    pub schedule: Option<ScheduleView>,
    pub coordinator: String,
    /// Whether claims of other organisations are in it, which the coordinator pays on.
    pub pays_others: bool,
    pub split: &'static str,
    pub advice: Option<String>,
    pub samenloop: SamenloopView,
}

pub fn split_label(code: &str) -> &'static str {
    if code == "PREFERENT" {
        "op volgorde van voorrang van de schuldeisers"
    } else {
        "naar verhouding van wat elke schuldeiser nog krijgt (pondsgewijs)"
    }
}

/// A proposal as the page shows it; `own` when the person reads it, not their counsellor.
pub fn proposal(p: &Proposed, coordinator: &str, split: &str, own: bool) -> ProposalView {
    let addressee = addressee(own);
    let a = &p.assessment;
    let creditors = &p.creditors;
    let keys: BTreeMap<&str, &str> = a
        .candidates
        .iter()
        .map(|c| (c.claim_id.as_str(), c.claim_key.as_str()))
        .collect();
    let (schedule_view, advice, summary) = match &a.outcome {
        PlanOutcome::Feasible(s) => (
            Some(schedule(s, &keys, creditors)),
            None,
            format!(
                "{} {} per maand, {}, aan {}. Daarmee betaalt {} {} van {}{}. {} \
                 altijd ten minste de beslagvrije voet van {} over.",
                if own {
                    "U betaalt"
                } else {
                    "Uw cliënt betaalt"
                },
                euro(s.instalment),
                match s.smaller_last() {
                    Some(last) => format!(
                        "{} lang en de laatste maand {}",
                        counted(s.term_months - 1, "maand", "maanden"),
                        euro(last)
                    ),
                    None => format!("{} lang", counted(s.term_months, "maand", "maanden")),
                },
                name_of(creditors, coordinator),
                if own { "u" } else { "uw cliënt" },
                counted(
                    a.selection.eligible.len() as u64,
                    "vordering",
                    "vorderingen"
                ),
                if a.selection.eligible.len() == 1 {
                    ""
                } else {
                    "samen "
                },
                euro(s.total),
                if own { "U houdt" } else { "Uw cliënt houdt" },
                euro(a.norm.beslagvrije_voet)
            ),
        ),
        PlanOutcome::Infeasible(why) => {
            let nothing = matches!(why, Infeasibility::NothingEligible);
            let summary = if nothing && a.selection.excluded.is_empty() {
                "Er staat geen vordering open die in een Betalingsregeling Rijk kan: er is niets \
                 af te lossen."
                    .to_owned()
            } else {
                // The page's heading says that it is not possible; this says why.
                why.explanation(addressee)
            };
            // Where the why advises debt help it is shown as the advice, not also above it.
            if why.advises_debt_help() {
                (None, Some(summary), String::new())
            } else {
                (None, None, summary)
            }
        }
    };
    let summary = a.summary_with_notes(summary, addressee, p.during);
    ProposalView {
        id: p.proposal.id.clone(),
        valid_until: moment(p.proposal.expires_at),
        starts_later_from: p.proposal.starts_later_if_accepted_from().map(date),
        summary: prose(&summary),
        norm: norm(&a.norm, addressee),
        attachments: euro(a.deductions.attachments),
        arrangements: a
            .deductions
            .arrangements
            .iter()
            .map(|(id, m)| (id.clone(), euro(*m)))
            .collect(),
        capacity: euro(a.capacity),
        pays_others: a
            .selection
            .eligible
            .iter()
            .any(|c| c.creditor != coordinator),
        claims: a
            .selection
            .eligible
            .iter()
            .map(|c| ClaimLine {
                creditor: name_of(creditors, &c.creditor),
                key: c.claim_key.clone(),
                outstanding: euro(c.outstanding),
                reason: None,
            })
            .collect(),
        excluded: a
            .selection
            .excluded
            .iter()
            .map(|e| ClaimLine {
                creditor: name_of(creditors, &e.claim.creditor),
                key: e.claim.claim_key.clone(),
                outstanding: euro(e.claim.outstanding),
                reason: Some(a.exclusion_explanation(e.reason)),
            })
            .collect(),
        total: euro(
            a.selection
                .eligible
                .iter()
                .map(|c| c.outstanding)
                .sum::<Money>(),
        ),
        schedule: schedule_view,
        coordinator: name_of(creditors, coordinator),
        split: split_label(split),
        advice: advice.as_deref().map(prose),
        samenloop: samenloop(&p.samenloop, creditors, own),
    }
}

pub struct ProgressView {
    pub paid: String,
    pub months_due: u32,
    pub months_paid: u32,
    pub months_in_arrears: u32,
    /// `1 maand`, `3 maanden`: the months paid, and those in arrears.
    pub months_paid_counted: String,
    pub months_in_arrears_counted: String,
    pub arrears: String,
    pub remaining: String,
    /// Came off the claims since the start other than by payment: no longer asked.
    pub written_off: Option<String>,
    /// Paid on what came onto the claims since the start, beside the schedule.
    pub beyond_schedule: Option<String>,
    pub next_due: Option<String>,
}

fn progress(v: &ArrangementView) -> ProgressView {
    let p = &v.progress;
    let beyond = v.paid_beyond_schedule;
    ProgressView {
        paid: euro(p.paid + beyond),
        months_due: p.months_due,
        months_paid: p.months_paid,
        months_in_arrears: p.months_in_arrears,
        months_paid_counted: counted(p.months_paid, "maand", "maanden"),
        months_in_arrears_counted: counted(p.months_in_arrears, "maand", "maanden"),
        arrears: euro(p.amount_in_arrears),
        remaining: euro(p.remaining),
        written_off: p.written_off.is_positive().then(|| euro(p.written_off)),
        beyond_schedule: beyond.is_positive().then(|| euro(beyond)),
        next_due: p.next_due.map(date),
    }
}

pub struct RegelingView {
    pub id: String,
    pub running: bool,
    /// Running, but nothing is owed any more on its claims.
    pub paid_off: bool,
    /// Read by the person, not their counsellor.
    pub own: bool,
    pub started_on: String,
    pub coordinator: String,
    /// The creditors whose claims are in it, by name, as one list.
    pub creditors: String,
    pub split: &'static str,
    pub schedule: ScheduleView,
    pub claims: Vec<ClaimLine>,
    /// The claims that changed since the start, each as a sentence.
    pub changed: Vec<String>,
    pub progress: ProgressView,
    pub ending: Option<String>,
    /// Running beside municipal debt help, whose pause outlasts stopping it.
    pub pause: bool,
    /// Running in the wettelijke schuldsanering: nothing is to be paid on it.
    pub schuldsanering: bool,
}

/// An arrangement as the page shows it; `own` when the person reads it, not their counsellor.
pub fn regeling(
    v: &ArrangementView,
    creditors: &[Creditor],
    counsellors: &[CounsellorOrganisation],
    own: bool,
) -> RegelingView {
    let a = &v.arrangement;
    let keys: BTreeMap<&str, &str> = a
        .claims
        .iter()
        .map(|c| (c.claim.claim_id.as_str(), c.claim.claim_key.as_str()))
        .collect();
    RegelingView {
        id: a.id.clone(),
        running: a.is_running(),
        paid_off: v.paid_off(),
        own,
        started_on: date(a.started_on),
        coordinator: name_of(creditors, &a.coordinator),
        creditors: crate::domain::text::list(
            &a.creditors()
                .iter()
                .map(|code| name_of(creditors, code))
                .collect::<Vec<_>>(),
        ),
        split: split_label(a.policy.split.code()),
        schedule: schedule(&v.schedule, &keys, creditors),
        claims: a
            .claims
            .iter()
            .map(|c| ClaimLine {
                creditor: name_of(creditors, &c.claim.creditor),
                key: c.claim.claim_key.clone(),
                outstanding: euro(c.claim.outstanding),
                reason: None,
            })
            .collect(),
        changed: v
            .changed_claims
            .iter()
            .map(|c| {
                format!(
                    "{}, {}: volgens het schema nog {}, nu {} open",
                    name_of(creditors, &c.creditor),
                    c.claim_key,
                    euro(c.planned),
                    euro(c.outstanding)
                )
            })
            .collect(),
        progress: progress(v),
        pause: v.during == Some(DuringDebtHelp::Pause),
        schuldsanering: v.during == Some(DuringDebtHelp::Schuldsanering),
        ending: a.ending.as_ref().map(|e| {
            let by = match (e.by.role, own) {
                (Role::Burger, true) => "uzelf".to_owned(),
                (Role::Burger, false) => "uw cliënt".to_owned(),
                (Role::Schuldhulpverlener, true) => "uw schuldhulpverlener".to_owned(),
                (Role::Schuldhulpverlener, false) => format!(
                    "schuldhulpverlener {}",
                    counsellor_named(
                        counsellors,
                        e.by.organisation.as_deref().unwrap_or_default()
                    )
                ),
                _ => "de beheerder".to_owned(),
            };
            format!(
                "Beëindigd op {} door {by}. Reden: {}",
                moment(e.at),
                e.reason
            )
        }),
    }
}

pub struct MandateView {
    pub id: String,
    pub counsellor: String,
    pub valid_from: String,
    pub valid_until: String,
    pub status: &'static str,
    pub revocable: bool,
    pub revoked: bool,
    /// Not in force yet: the organisation has had no access.
    pub starts_later: bool,
}

/// How a counsellor's pages name a client: its own dossier reference, else the mandate, by the
/// last eight characters of its id. Those stay when other mandates come or go, unlike a place
/// in a list, and differ between mandates given the same minute (the id's start is its time).
pub fn client_label(m: &Mandate) -> String {
    match &m.counsellor_reference {
        Some(reference) => reference.clone(),
        None => {
            let tail: String =
                m.id.chars()
                    .rev()
                    .take(8)
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .collect();
            format!("Cliënt zonder kenmerk (machtiging {})", tail.to_uppercase())
        }
    }
}

pub fn mandate_status(s: MandateStatus) -> &'static str {
    match s {
        MandateStatus::NotYetValid => "Nog niet geldig",
        MandateStatus::Live => "Geldig",
        MandateStatus::Expired => "Verlopen",
        MandateStatus::Revoked => "Ingetrokken",
    }
}

pub fn mandate(
    m: &Mandate,
    counsellors: &[crate::domain::counsellor::CounsellorOrganisation],
    today: chrono::NaiveDate,
) -> MandateView {
    let status = m.status(today);
    MandateView {
        id: m.id.clone(),
        counsellor: counsellors
            .iter()
            .find(|c| c.id == m.counsellor)
            .map_or_else(|| m.counsellor.clone(), |c| c.name.clone()),
        valid_from: date(m.valid_from),
        valid_until: date(m.valid_until),
        status: mandate_status(status),
        revocable: matches!(status, MandateStatus::Live | MandateStatus::NotYetValid),
        revoked: status == MandateStatus::Revoked,
        starts_later: status == MandateStatus::NotYetValid,
    }
}

/// An instant in Dutch local time, written out: `2 december 2026 om 15:47`.
pub fn moment(at: chrono::NaiveDateTime) -> String {
    written_instant(&format_instant(at))
}

/// An RFC 3339 instant as the API gives it (Dutch local time), written out; as given when it
/// cannot be read.
fn written_instant(rfc3339: &str) -> String {
    match chrono::DateTime::parse_from_rfc3339(rfc3339) {
        Ok(t) => format!("{} om {}", date(t.date_naive()), t.format("%H:%M")),
        Err(_) => rfc3339.to_owned(),
    }
}

/// The Dutch local time of day of an instant, `13:05`.
fn clock(at: chrono::NaiveDateTime) -> String {
    chrono::DateTime::parse_from_rfc3339(&format_instant(at))
        .map(|t| t.format("%H:%M").to_string())
        .unwrap_or_default()
}

pub struct LogLine {
    pub when: String,
    pub who: String,
    pub what: String,
}

/// A line of the person's access log, each organisation by its name in its registry (by its
/// code when it is no longer there); repeats as one line with how often since when.
pub fn log_line(
    run: &RepeatedEntry<'_>,
    creditors: &[Creditor],
    counsellors: &[CounsellorOrganisation],
) -> LogLine {
    let e = run.newest;
    let who = match (e.actor.role, &e.actor.organisation) {
        (Role::Burger, _) => "Uzelf".to_owned(),
        (Role::Organisatie, Some(org)) => format!("Schuldeiser {}", name_of(creditors, org)),
        (Role::Schuldhulpverlener, Some(org)) => format!(
            "Schuldhulpverlener {}",
            counsellors
                .iter()
                .find(|c| c.id == *org)
                .map_or(org.as_str(), |c| c.name.as_str())
        ),
        (Role::Beheerder, _) => "Beheerder van deze dienst".to_owned(),
        (role, None) => role.code().to_owned(),
    };
    let what = e.action.description();
    LogLine {
        when: moment(e.occurred_at),
        who,
        what: match run.times {
            1 => what.to_owned(),
            times => format!(
                "{} ({times} keer, sinds {}).",
                what.trim_end_matches('.'),
                clock(run.since)
            ),
        },
    }
}

/// The phase of a debt-help trajectory in words.
pub fn trajectory_phase(p: TrajectoryPhase) -> &'static str {
    match p {
        TrajectoryPhase::Stabilisatie => "Stabilisatie",
        TrajectoryPhase::Schuldregeling => "Schuldregeling",
        TrajectoryPhase::Saneringskrediet => "Saneringskrediet",
        TrajectoryPhase::Wsnp => "Wettelijke schuldsanering (Wsnp)",
    }
}

/// What a phase means, for the citizen.
fn trajectory_phase_meaning(p: TrajectoryPhase) -> &'static str {
    match p {
        TrajectoryPhase::Stabilisatie => {
            "Eerst komen inkomen en vaste lasten op orde, zodat er geen nieuwe schulden bij komen."
        }
        TrajectoryPhase::Schuldregeling => {
            "De schuldhulpverlener vraagt alle schuldeisers om samen één regeling af te spreken."
        }
        TrajectoryPhase::Saneringskrediet => {
            "De schulden worden in één keer afgelost met een lening van de gemeente of de kredietbank. Die lening wordt daarna terugbetaald."
        }
        TrajectoryPhase::Wsnp => {
            "De rechter heeft de wettelijke schuldsanering uitgesproken. Een bewindvoerder helpt daarbij."
        }
    }
}

/// The phases as options of a select: code and words.
pub fn trajectory_phase_options() -> Vec<(String, String)> {
    TrajectoryPhase::ALL
        .iter()
        .map(|p| (p.code().to_owned(), trajectory_phase(*p).to_owned()))
        .collect()
}

/// A running debt-help trajectory as a citizen and a counsellor read it.
pub struct TrajectoryView {
    pub id: String,
    pub phase: &'static str,
    pub meaning: &'static str,
    pub since: String,
    pub organisation: String,
    pub phone: Option<String>,
    pub website: Option<String>,
    /// The creditors told of it, by name.
    pub informed: String,
    pub mandate_ended: bool,
    /// The wettelijke schuldsanering: a Betalingsregeling Rijk beside it is to be discussed with
    /// the bewindvoerder.
    pub schuldsanering: bool,
    /// The day of the Wsnp ruling, when recorded.
    pub ruling: Option<String>,
}

pub fn trajectory(
    t: &Trajectory,
    counsellors: &[CounsellorOrganisation],
    creditors: &[Creditor],
) -> TrajectoryView {
    let organisation = counsellors.iter().find(|c| c.id == t.counsellor);
    let informed: Vec<String> = t.informed.iter().map(|c| name_of(creditors, c)).collect();
    TrajectoryView {
        id: t.id.clone(),
        phase: trajectory_phase(t.phase),
        meaning: trajectory_phase_meaning(t.phase),
        since: date(t.start),
        organisation: organisation.map_or_else(|| t.counsellor.clone(), |c| c.name.clone()),
        phone: organisation.and_then(|c| c.contact.phone.clone()),
        website: organisation.and_then(|c| c.contact.website.clone()),
        informed: crate::domain::text::list(&informed),
        mandate_ended: t.mandate_end_told,
        schuldsanering: t.is_schuldsanering(),
        ruling: t.ruling.map(date),
    }
}

/// An ended debt-help trajectory, as the overview lists it.
pub struct EndedTrajectoryView {
    pub organisation: String,
    /// `van 1 juni 2026 tot en met 10 juni 2026`.
    pub period: String,
    /// The phase it was in when it ended.
    pub phase: &'static str,
}

pub fn ended_trajectory(
    t: &Trajectory,
    counsellors: &[CounsellorOrganisation],
) -> EndedTrajectoryView {
    EndedTrajectoryView {
        organisation: counsellors
            .iter()
            .find(|c| c.id == t.counsellor)
            .map_or_else(|| t.counsellor.clone(), |c| c.name.clone()),
        period: period(t.start, t.end),
        phase: trajectory_phase(t.phase),
    }
}

/// The totals of a saldo-opgave, of one creditor or of all.
pub struct StatementTotalsView {
    pub original: String,
    /// Every category, in the opgave's fixed order.
    pub surcharges: Vec<(&'static str, String)>,
    /// Of the surcharges, those dated while a schuldhulptraject ran, when any were.
    pub during_debt_help: Option<String>,
    pub paid: String,
    /// Paid ahead of what was owed on the date, when anything was.
    pub paid_ahead: Option<String>,
    pub remitted: String,
    pub withdrawn: Option<String>,
    pub outstanding: String,
}

fn category_word(code: &str) -> &'static str {
    SurchargeCategory::from_code(code).map_or("Ophoging", category)
}

fn statement_totals(s: &Saldo) -> StatementTotalsView {
    StatementTotalsView {
        original: euro(s.oorspronkelijk),
        surcharges: s
            .ophogingen_per_categorie
            .iter()
            .map(|t| (category_word(&t.categorie), euro(t.bedrag)))
            .collect(),
        during_debt_help: (!s.ophogingen_tijdens_schuldhulp.is_zero())
            .then(|| euro(s.ophogingen_tijdens_schuldhulp)),
        paid: euro(s.betaald),
        paid_ahead: (!s.vooruitbetaald.is_zero()).then(|| euro(s.vooruitbetaald)),
        remitted: euro(s.kwijtgescholden),
        withdrawn: (!s.ingetrokken.is_zero()).then(|| euro(s.ingetrokken)),
        outstanding: euro(s.openstaand),
    }
}

pub struct StatementClaimView {
    pub key: String,
    pub description: String,
    pub imposed_on: String,
    pub due_date: String,
    pub original: String,
    pub surcharges: Vec<SurchargeView>,
    pub paid: String,
    pub paid_ahead: Option<String>,
    pub remitted: String,
    pub withdrawn: Option<String>,
    pub outstanding: String,
    pub status: &'static str,
    pub phase: &'static str,
    pub disputed: bool,
    pub in_arrangement: bool,
}

fn statement_claim(v: &SaldoVordering) -> StatementClaimView {
    StatementClaimView {
        key: v.vorderingkenmerk.clone(),
        description: v.omschrijving.clone(),
        imposed_on: date(v.ontstaansdatum),
        due_date: date(v.vervaldatum),
        original: euro(v.oorspronkelijk_bedrag),
        surcharges: v
            .ophogingen
            .iter()
            .map(|o| SurchargeView {
                category: category_word(&o.categorie),
                description: o.omschrijving.clone(),
                date: date(o.datum),
                amount: euro(o.bedrag),
                during_debt_help: o.tijdens_schuldhulp,
            })
            .collect(),
        paid: euro(v.betaald),
        paid_ahead: (!v.vooruitbetaald.is_zero()).then(|| euro(v.vooruitbetaald)),
        remitted: euro(v.kwijtgescholden),
        withdrawn: (!v.ingetrokken.is_zero()).then(|| euro(v.ingetrokken)),
        outstanding: euro(v.openstaand),
        status: [
            ClaimStatus::Open,
            ClaimStatus::Settled,
            ClaimStatus::Withdrawn,
        ]
        .into_iter()
        .find(|s| s.code() == v.status)
        .map_or("Onbekend", status),
        phase: Phase::from_code(&v.fase).map_or("Onbekend", phase),
        disputed: v.betwist,
        in_arrangement: v.in_regeling,
    }
}

pub struct StatementCreditorView {
    pub name: String,
    pub connected: bool,
    pub phone: Option<String>,
    pub website: Option<String>,
    pub claims: Vec<StatementClaimView>,
    pub total: StatementTotalsView,
}

pub struct StatementView {
    pub id: String,
    pub reference_date: String,
    pub made_at: String,
    pub made_by: String,
    pub client_reference: Option<String>,
    pub claim_count: usize,
    pub creditors: Vec<StatementCreditorView>,
    pub total: StatementTotalsView,
    pub not_connected: Vec<CreditorLine>,
    pub note: String,
}

/// A counsellor organisation by its registered name; by its id once it is no longer registered.
fn counsellor_named<'a>(counsellors: &'a [CounsellorOrganisation], id: &'a str) -> &'a str {
    counsellors
        .iter()
        .find(|c| c.id == id)
        .map_or(id, |c| c.name.as_str())
}

/// Who had the opgave made, in words: a counsellor by its registered name, the citizen as the
/// reader (`own`) or as the counsellor's client.
fn made_by(code: &str, counsellors: &[CounsellorOrganisation], own: bool) -> String {
    match code.split_once(' ') {
        Some(("schuldhulpverlener", organisation)) => format!(
            "Schuldhulpverlener {}",
            counsellor_named(counsellors, organisation)
        ),
        _ if code == "burger" && own => "Uzelf".to_owned(),
        _ if code == "burger" => "Uw cliënt zelf".to_owned(),
        _ => code.to_owned(),
    }
}

/// A kept saldo-opgave, as it was made; `own` when the person reads it, not their counsellor.
pub fn statement(
    o: &SaldoOpgave,
    counsellors: &[CounsellorOrganisation],
    own: bool,
) -> StatementView {
    StatementView {
        id: o.id.clone(),
        reference_date: date(o.peildatum),
        made_at: written_instant(&o.opgesteld_op),
        made_by: made_by(&o.opgesteld_door, counsellors, own),
        client_reference: o.klantnummer_schuldhulpverlener.clone(),
        claim_count: o.aantal_vorderingen,
        creditors: o
            .schuldeisers
            .iter()
            .map(|s| StatementCreditorView {
                name: s.naam.clone(),
                connected: s.aangesloten,
                phone: s.telefoon.clone(),
                website: s.website.clone(),
                claims: s.vorderingen.iter().map(statement_claim).collect(),
                total: statement_totals(&s.totaal),
            })
            .collect(),
        total: statement_totals(&o.totaal),
        not_connected: o
            .niet_aangesloten
            .iter()
            .map(|c| CreditorLine {
                name: c.naam.clone(),
                connected: false,
                connected_from: None,
                takes_part: false,
                website: c.website.clone(),
                phone: c.telefoon.clone(),
            })
            .collect(),
        note: o.toelichting.clone(),
    }
}

/// A kept saldo-opgave in the list of a person's.
pub struct KeptStatementView {
    pub id: String,
    pub reference_date: String,
    pub made_at: String,
    pub made_by: String,
    pub claim_count: usize,
    pub outstanding: String,
}

pub fn kept_statement(
    o: &BewaardeSaldoOpgave,
    counsellors: &[CounsellorOrganisation],
    own: bool,
) -> KeptStatementView {
    KeptStatementView {
        id: o.id.clone(),
        reference_date: date(o.peildatum),
        made_at: written_instant(&o.opgesteld_op),
        made_by: made_by(&o.opgesteld_door, counsellors, own),
        claim_count: o.aantal_vorderingen,
        outstanding: euro(o.totaal_openstaand),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_keep_their_sign_with_them() {
        assert_eq!(euro(Money::from_cents(123_450)), "€\u{a0}1.234,50");
        assert_eq!(euro(Money::from_cents(-5)), "€\u{a0}-0,05");
        assert_eq!(
            prose("0,95 × € 1.419,46 = € 1.348,487; en € 5"),
            "0,95 × €\u{a0}1.419,46 = €\u{a0}1.348,487; en €\u{a0}5",
            "every euro sign in a domain text"
        );
    }

    #[test]
    fn a_saldo_opgave_says_in_words_who_made_it_and_when() {
        let registered = [CounsellorOrganisation {
            id: "GKB-AMSTERDAM".into(),
            name: "Gemeentelijke Kredietbank Amsterdam".into(),
            contact: Default::default(),
        }];
        assert_eq!(
            made_by("schuldhulpverlener GKB-AMSTERDAM", &registered, true),
            "Schuldhulpverlener Gemeentelijke Kredietbank Amsterdam"
        );
        assert_eq!(
            made_by("schuldhulpverlener GKB-ELDERS", &registered, true),
            "Schuldhulpverlener GKB-ELDERS",
            "one no longer registered by the name it had in the opgave"
        );
        assert_eq!(
            made_by("burger", &registered, true),
            "Uzelf",
            "as the access log writes it"
        );
        assert_eq!(made_by("burger", &registered, false), "Uw cliënt zelf");
        assert_eq!(
            written_instant("2026-06-15T12:00:00+02:00"),
            "15 juni 2026 om 12:00"
        );
        assert_eq!(written_instant("gisteren"), "gisteren");
    }

    #[test]
    fn every_trajectory_phase_is_offered_with_its_words() {
        let options = trajectory_phase_options();
        let codes: Vec<&str> = options.iter().map(|(code, _)| code.as_str()).collect();
        assert_eq!(
            codes,
            ["STABILISATIE", "SCHULDREGELING", "SANERINGSKREDIET", "WSNP"]
        );
        assert!(options.iter().all(|(code, words)| code != words));
    }

    #[test]
    fn table_figures_are_written_the_dutch_way_with_their_unit() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(
            figure(d("1419.46"), Unit::EuroPerMonth),
            "€\u{a0}1.419,46 per maand"
        );
        assert_eq!(
            figure(d("24000"), Unit::EuroPerYear),
            "€\u{a0}24.000,00 per jaar"
        );
        assert_eq!(figure(d("13.730"), Unit::Percentage), "13,73%");
        assert_eq!(figure(d("95"), Unit::Percentage), "95%");
    }
}
