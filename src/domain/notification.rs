//! The notifications creditors and counsellors read from their feed: what they are told, decided
//! here, stored in the outbox and served as is (one format, so its serde and schema derives
//! describe both). Each is cut to what concerns its reader: a participant sees its own share and
//! claims only; the coordinating collector sees every creditor's share (to pay it out), not their
//! claims; a counsellor sees what its mandate lets it see of its client.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use utoipa::ToSchema;

use super::arrangement::{ArrangedIn, Arrangement, ArrangementClaim};
use super::caller::Caller;
use super::claims::{ArrangedClaimChange, Claim};
use super::creditor::Creditor;
use super::digest::lower_hex;
use super::mandate::Mandate;
use super::money::{Bedrag, Money};
use super::overview::Addressee;
use super::person::PersonId;
use super::planner::Schedule;
use super::samenloop::{
    ChangeKind, Coordination, CreditorFlagDetails, CreditorNotification, DataRequest, Deviation,
    Flag, FlagChange, FlagCode, OwnArrangement,
};
use super::schuldhulptraject::Trajectory;
use super::text;
use super::time::format_instant;
use super::validation::FieldIssue;

/// Whose feed: a creditor's or a counsellor organisation's. Each feed is numbered on its own.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Feed {
    /// A creditor, by its registry code.
    Creditor(String),
    /// A counsellor organisation, by its registry id.
    Counsellor(String),
}

impl Feed {
    const CREDITOR: &'static str = "SCHULDEISER";
    const COUNSELLOR: &'static str = "SCHULDHULPVERLENER";

    /// The feed the caller reads, if it has one.
    pub fn of(caller: &Caller) -> Option<Feed> {
        match caller {
            Caller::Agency { creditor } => Some(Feed::Creditor(creditor.clone())),
            Caller::Counsellor { organisation } => Some(Feed::Counsellor(organisation.clone())),
            Caller::Citizen { .. } | Caller::Administrator { .. } => None,
        }
    }

    /// The kind of owner, as stored.
    pub fn kind(&self) -> &'static str {
        match self {
            Feed::Creditor(_) => Feed::CREDITOR,
            Feed::Counsellor(_) => Feed::COUNSELLOR,
        }
    }

    pub fn id(&self) -> &str {
        match self {
            Feed::Creditor(id) | Feed::Counsellor(id) => id,
        }
    }

    /// A reader's cursor, against the position of the feed's newest notification. A position
    /// beyond it was never given out: a reader there would skip the notifications written at
    /// the positions in between, so it is refused rather than answered with an empty page.
    pub fn check_cursor(after: i64, newest: i64) -> Result<(), FieldIssue> {
        if after > newest {
            return Err(FieldIssue::new(
                "na",
                "ongeldige_cursor",
                format!("ligt voorbij de laatste melding in uw feed (positie {newest})"),
            ));
        }
        Ok(())
    }

    /// The feed of a stored kind and id; `None` for a kind this version does not know.
    pub fn from_stored(kind: &str, id: String) -> Option<Feed> {
        match kind {
            Feed::CREDITOR => Some(Feed::Creditor(id)),
            Feed::COUNSELLOR => Some(Feed::Counsellor(id)),
            _ => None,
        }
    }
}

/// Who is told.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Recipient {
    /// A creditor, by its registry code.
    Creditor(String),
    /// A counsellor organisation, about the citizen of one of its mandates.
    Counsellor {
        organisation: String,
        mandate: String,
    },
    /// Every counsellor organisation with a live mandate of the person when the change commits:
    /// [`address`] gives each its own copy, naming its mandate (and a samenloop flag's sleutel of
    /// its own).
    PersonsCounsellors,
}

impl Recipient {
    /// The feed it goes to; `None` until [`address`]ed.
    pub fn feed(&self) -> Option<Feed> {
        match self {
            Recipient::Creditor(code) => Some(Feed::Creditor(code.clone())),
            Recipient::Counsellor { organisation, .. } => {
                Some(Feed::Counsellor(organisation.clone()))
            }
            Recipient::PersonsCounsellors => None,
        }
    }

    /// For a counsellor, the mandate that names the citizen.
    pub fn mandate(&self) -> Option<&str> {
        match self {
            Recipient::Counsellor { mandate, .. } => Some(mandate),
            Recipient::Creditor(_) | Recipient::PersonsCounsellors => None,
        }
    }
}

/// One notification for one feed, about one person.
#[derive(Debug, Clone, PartialEq)]
pub struct Notification {
    pub recipient: Recipient,
    pub person: PersonId,
    /// The arrangement, attachment, flag or trajectory it is about.
    pub subject_id: String,
    pub message: Melding,
}

impl Eq for Notification {}

/// A notification as read back from a feed.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedItem {
    /// Consecutive within the feed, from 1, without gaps.
    pub position: i64,
    /// Unique and stable: the CloudEvents `id` of every delivery of this notification.
    pub event_id: String,
    pub created_at: NaiveDateTime,
    pub person: PersonId,
    /// In a counsellor's feed: the mandate (and so the citizen) it is about.
    pub mandate: Option<String>,
    pub subject_id: String,
    pub message: Melding,
}

/// Een melding in uw feed, met haar plaats: zo in `GET /meldingen` en als `data` van elke
/// afgeleverde CloudEvent.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GenummerdeMelding {
    /// Opeenvolgend per feed, vanaf 1, zonder gaten.
    pub positie: i64,
    /// Wanneer de wijziging begon die deze melding schreef. De volgorde is die van `positie`:
    /// een wijziging die op een andere wachtte kan een vroeger tijdstip en een latere positie
    /// hebben, dus lees verder vanaf een positie, niet vanaf een tijdstip.
    #[schema(format = DateTime)]
    pub aangemaakt_op: String,
    /// Alleen in de feed van een schuldhulpverlener: de machtiging, en daarmee de burger, waarover
    /// de melding gaat.
    pub machtiging: Option<String>,
    pub inhoud: Melding,
}

impl From<&FeedItem> for GenummerdeMelding {
    fn from(item: &FeedItem) -> GenummerdeMelding {
        GenummerdeMelding {
            positie: item.position,
            aangemaakt_op: format_instant(item.created_at),
            machtiging: item.mandate.clone(),
            inhoud: item.message.clone(),
        }
    }
}

/// Gives every notification for "the person's counsellors" to each organisation with a live
/// mandate of that person today (`mandates`: by person), as its own copy naming its mandate; a
/// person without one gets none. Other notifications pass unchanged, in order.
pub fn address(
    notifications: Vec<Notification>,
    mandates: &BTreeMap<PersonId, Vec<Mandate>>,
    today: NaiveDate,
) -> Vec<Notification> {
    let mut addressed = Vec::with_capacity(notifications.len());
    for notification in notifications {
        if notification.recipient != Recipient::PersonsCounsellors {
            addressed.push(notification);
            continue;
        }
        let live = mandates
            .get(&notification.person)
            .into_iter()
            .flatten()
            .filter(|m| m.person == notification.person && m.is_live(today));
        for mandate in live {
            let mut copy = Notification {
                recipient: Recipient::Counsellor {
                    organisation: mandate.counsellor.clone(),
                    mandate: mandate.id.clone(),
                },
                ..notification.clone()
            };
            if let Some(melding) = copy.message.samenloop_mut() {
                // Until addressed, the subject is the flag's key (see `samenloop_for_counsellors`).
                let feed = Feed::Counsellor(mandate.counsellor.clone());
                melding.sleutel =
                    flag_sleutel(&notification.person, &feed, &notification.subject_id);
                copy.subject_id = melding.sleutel.clone();
            }
            addressed.push(copy);
        }
    }
    addressed
}

/// Eén melding; `soort` zegt welke.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "soort")]
pub enum Melding {
    #[serde(rename = "REGELING_GESTART")]
    RegelingGestart(RegelingGestart),
    #[serde(rename = "REGELING_BEEINDIGD")]
    RegelingBeeindigd(RegelingBeeindigd),
    /// Voor de coördinerende invorderaar: een vordering in de regeling is verhoogd,
    /// kwijtgescholden of ingetrokken, of een betaling erop is teruggeboekt.
    #[serde(rename = "REGELING_VORDERING_GEWIJZIGD")]
    RegelingVorderingGewijzigd(RegelingVorderingGewijzigd),
    /// Een signalering van samenloop die u aangaat, is ontstaan.
    #[serde(rename = "SAMENLOOP_GESIGNALEERD")]
    SamenloopGesignaleerd(SamenloopMelding),
    /// De bedragen ervan veranderden, voor zover ze u aangaan.
    #[serde(rename = "SAMENLOOP_GEWIJZIGD")]
    SamenloopGewijzigd(SamenloopMelding),
    /// Ze geldt niet meer (of gaat u niet meer aan).
    #[serde(rename = "SAMENLOOP_OPGEHEVEN")]
    SamenloopOpgeheven(SamenloopMelding),
    /// Samenloop is niet te beoordelen zonder gegevens die u misschien kent: vul ze aan bij uw
    /// beslag.
    #[serde(rename = "GEGEVENS_GEVRAAGD")]
    GegevensGevraagd(GegevensVerzoek),
    /// De burger zit in gemeentelijke schuldhulpverlening: invordering en ophogingen pauzeren.
    #[serde(rename = "SCHULDHULPTRAJECT_GESTART")]
    SchuldhulptrajectGestart(SchuldhulptrajectMelding),
    /// Het schuldhulptraject is in een andere fase gekomen.
    #[serde(rename = "SCHULDHULPTRAJECT_GEWIJZIGD")]
    SchuldhulptrajectGewijzigd(SchuldhulptrajectMelding),
    /// Het schuldhulptraject is beëindigd: de pauze is voorbij.
    #[serde(rename = "SCHULDHULPTRAJECT_BEEINDIGD")]
    SchuldhulptrajectBeeindigd(SchuldhulptrajectMelding),
    /// Een ophoging, beslag of fase-escalatie tijdens de schuldenpauze.
    #[serde(rename = "SIGNAAL_TIJDENS_SCHULDENPAUZE")]
    SignaalTijdensSchuldenpauze(PauzeSignaal),
    /// Voor een schuldhulpverlener: de machtiging is geëindigd terwijl het traject nog loopt.
    #[serde(rename = "MACHTIGING_BEEINDIGD")]
    MachtigingBeeindigd(MachtigingBeeindigd),
}

impl Melding {
    pub fn kind(&self) -> &'static str {
        match self {
            Melding::RegelingGestart(_) => "REGELING_GESTART",
            Melding::RegelingBeeindigd(_) => "REGELING_BEEINDIGD",
            Melding::RegelingVorderingGewijzigd(_) => "REGELING_VORDERING_GEWIJZIGD",
            Melding::SamenloopGesignaleerd(_) => "SAMENLOOP_GESIGNALEERD",
            Melding::SamenloopGewijzigd(_) => "SAMENLOOP_GEWIJZIGD",
            Melding::SamenloopOpgeheven(_) => "SAMENLOOP_OPGEHEVEN",
            Melding::GegevensGevraagd(_) => "GEGEVENS_GEVRAAGD",
            Melding::SchuldhulptrajectGestart(_) => "SCHULDHULPTRAJECT_GESTART",
            Melding::SchuldhulptrajectGewijzigd(_) => "SCHULDHULPTRAJECT_GEWIJZIGD",
            Melding::SchuldhulptrajectBeeindigd(_) => "SCHULDHULPTRAJECT_BEEINDIGD",
            Melding::SignaalTijdensSchuldenpauze(_) => "SIGNAAL_TIJDENS_SCHULDENPAUZE",
            Melding::MachtigingBeeindigd(_) => "MACHTIGING_BEEINDIGD",
        }
    }

    /// What its reader is told, in words.
    pub fn toelichting(&self) -> &str {
        match self {
            Melding::RegelingGestart(m) => &m.toelichting,
            Melding::RegelingBeeindigd(m) => &m.toelichting,
            Melding::RegelingVorderingGewijzigd(m) => &m.toelichting,
            Melding::SamenloopGesignaleerd(m)
            | Melding::SamenloopGewijzigd(m)
            | Melding::SamenloopOpgeheven(m) => &m.toelichting,
            Melding::GegevensGevraagd(m) => &m.toelichting,
            Melding::SchuldhulptrajectGestart(m)
            | Melding::SchuldhulptrajectGewijzigd(m)
            | Melding::SchuldhulptrajectBeeindigd(m) => &m.toelichting,
            Melding::SignaalTijdensSchuldenpauze(m) => &m.toelichting,
            Melding::MachtigingBeeindigd(m) => &m.toelichting,
        }
    }

    fn samenloop_mut(&mut self) -> Option<&mut SamenloopMelding> {
        match self {
            Melding::SamenloopGesignaleerd(m)
            | Melding::SamenloopGewijzigd(m)
            | Melding::SamenloopOpgeheven(m) => Some(m),
            _ => None,
        }
    }
}

/// The `sleutel` of a samenloop flag in one feed, also its CloudEvents `subject`: HMAC-SHA256,
/// keyed by the person's pseudonym, of the feed and the flag's key, in hex. The flag's key alone
/// cannot be it: a flag about the person as a whole names no ids, so every person's would be
/// the same in one feed. Keyed by the pseudonym (never given out) it names nobody, and with the
/// feed in it one recipient's sleutel cannot be matched with another's.
fn flag_sleutel(person: &PersonId, feed: &Feed, flag_key: &str) -> String {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(person.as_str().as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
    // Each part after its length, so that no two different feeds and keys read the same.
    for part in [feed.kind(), feed.id(), flag_key] {
        mac.update(&(part.len() as u64).to_be_bytes());
        mac.update(part.as_bytes());
    }
    lower_hex(&mac.finalize().into_bytes().into())
}

/// Een schuldhulptraject zoals een schuldeiser of schuldhulpverlener het te horen krijgt.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SchuldhulptrajectMelding {
    pub traject_id: String,
    /// STABILISATIE, SCHULDREGELING, SANERINGSKREDIET of WSNP.
    #[schema(example = "STABILISATIE")]
    pub fase: String,
    pub startdatum: NaiveDate,
    /// De laatste dag, als het traject is beëindigd.
    pub einddatum: Option<NaiveDate>,
    /// In de fase WSNP: de dag waarop de rechter de schuldsanering uitsprak, als de
    /// schuldhulpverlener die opgaf. Beslagen die toen al gelegd waren, zijn met ingang van die
    /// dag vervallen (art. 301 lid 3 Faillissementswet).
    pub uitspraakdatum: Option<NaiveDate>,
    /// Met wie u contact opneemt over deze burger.
    pub schuldhulpverlener: SchuldhulpverlenerContact,
    /// Zolang het traject loopt: schort invordering en ophogingen op. `false` bij het einde; wat
    /// de wet daarna nog toestaat (na een wettelijke schuldsanering met schone lei niet alles),
    /// zegt de toelichting.
    pub invordering_opschorten: bool,
    /// Voor een schuldeiser: uw vorderingen op deze burger die openstaan.
    pub uw_vorderingen: Vec<VorderingInTraject>,
    /// Voor een schuldhulpverlener: de schuldeisers die deze melding kregen.
    pub geinformeerde_schuldeisers: Vec<String>,
    /// Wat dit voor u betekent. In de fase WSNP wat de Faillissementswet zegt (art. 299, 301,
    /// 306 en bij het einde 358), en voor de coördinerende invorderaar van een lopende
    /// Betalingsregeling Rijk wat dat voor die regeling betekent.
    pub toelichting: String,
}

/// De organisatie voor schuldhulpverlening van het traject, en hoe u haar bereikt.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SchuldhulpverlenerContact {
    #[schema(example = "GKB-AMSTERDAM")]
    pub id: String,
    #[schema(example = "Gemeentelijke Kredietbank Amsterdam")]
    pub naam: String,
    pub website: Option<String>,
    pub telefoon: Option<String>,
}

/// Een van uw openstaande vorderingen op een burger in schuldhulpverlening.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct VorderingInTraject {
    pub vorderingkenmerk: String,
    #[schema(value_type = Bedrag, example = "248.75")]
    pub openstaand: Money,
}

/// Iets dat tijdens de schuldenpauze van een lopend traject gebeurde: vastgelegd zoals altijd, en
/// gesignaleerd aan de schuldhulpverlener en aan de schuldeiser die het betreft.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PauzeSignaal {
    /// OPHOGING (een ophoging gedateerd tijdens het traject), BESLAG (een beslag dat tijdens het
    /// traject begon) of FASE_ESCALATIE (een vordering ging tijdens het traject naar AANMANING,
    /// DWANGBEVEL of BESLAG).
    #[schema(example = "OPHOGING")]
    pub signaal: String,
    pub traject_id: String,
    /// De schuldeiser (code), of bij een zelf opgegeven beslag de beslaglegger.
    #[schema(example = "CJIB")]
    pub schuldeiser: String,
    pub vorderingkenmerk: Option<String>,
    pub beslag_id: Option<String>,
    /// Het bedrag van de ophoging, of het maandbedrag van het beslag.
    #[schema(value_type = Option<Bedrag>, example = "59.75")]
    pub bedrag: Option<Money>,
    /// Bij een ophoging: VERHOGING, RENTE, ADMINISTRATIEKOSTEN of INVORDERINGSKOSTEN.
    pub categorie: Option<String>,
    /// Bij een fase-escalatie: de nieuwe en de vorige fase.
    pub fase: Option<String>,
    pub vorige_fase: Option<String>,
    /// De datum van de ophoging of de startdatum van het beslag.
    pub datum: Option<NaiveDate>,
    pub toelichting: String,
}

/// De machtiging van een schuldhulpverlener is geëindigd (ingetrokken of verlopen) terwijl het
/// traject dat zij registreerde doorloopt.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MachtigingBeeindigd {
    pub machtiging_id: String,
    pub traject_id: String,
    /// INGETROKKEN of VERLOPEN.
    #[schema(example = "VERLOPEN")]
    pub reden: String,
    pub toelichting: String,
}

/// Een signalering van samenloop voor zover die u aangaat: uw eigen beslagen en vorderingen en de
/// bedragen van de burger; nooit vorderingen, bedragen of beslagen van een andere schuldeiser.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SamenloopMelding {
    /// BESTAANSMINIMUM_ONDERSCHREDEN, MEERDERE_BESLAGLEGGERS, AFWIJKENDE_BESLAGVRIJE_VOET,
    /// VORDERING_IN_REGELING_EN_BESLAG of SAMENLOOP_REGELINGEN.
    #[schema(example = "BESTAANSMINIMUM_ONDERSCHREDEN")]
    pub signalering: String,
    /// Dezelfde sleutel in opeenvolgende meldingen betreft dezelfde signalering bij dezelfde
    /// persoon. De sleutel is per ontvanger verschillend en zegt niet over wie het gaat.
    pub sleutel: String,
    pub toelichting: String,
    /// Wat de persoon per maand nog boven de beslagvrije voet heeft, als die bekend is.
    #[schema(value_type = Option<Bedrag>, example = "0.00")]
    pub restcapaciteit: Option<Money>,
    /// Bij BESTAANSMINIMUM_ONDERSCHREDEN: hoeveel per maand te veel wordt ingehouden. Niet bij
    /// SAMENLOOP_OPGEHEVEN.
    #[schema(value_type = Option<Bedrag>, example = "214.19")]
    pub tekort: Option<Money>,
    /// Bij BESTAANSMINIMUM_ONDERSCHREDEN en AFWIJKENDE_BESLAGVRIJE_VOET, zolang gegevens voor de
    /// norm ontbreken en die een bandbreedte is: TEN_MINSTE (de norm is ten minste het genoemde
    /// bedrag, het tekort ten minste `tekort`) of TEN_HOOGSTE (de norm is ten hoogste het
    /// genoemde bedrag). Leeg als de norm vaststaat.
    #[serde(default)]
    #[schema(example = "TEN_MINSTE")]
    pub norm_grens: Option<String>,
    /// Uw beslagen waar de signalering over gaat. Bij SAMENLOOP_OPGEHEVEN zonder maandbedrag, en
    /// staat hier ook het beslag van een opgeheven AFWIJKENDE_BESLAGVRIJE_VOET.
    pub uw_beslagen: Vec<UwBeslag>,
    /// Uw regelingen waar de signalering over gaat; bij SAMENLOOP_OPGEHEVEN zonder maandbedrag.
    pub uw_regelingen: Vec<UwRegeling>,
    /// Bij MEERDERE_BESLAGLEGGERS, voor de beslagen op hetzelfde inkomen als het uwe (dezelfde
    /// derde-beslagene): U (u coördineert, art. 478 Rv), ANDERE_PARTIJ of NOG_GEEN. Alleen als
    /// u met een andere partij op één inkomen beslag legt (het gewone geval); bij meer inkomens
    /// leeg, en staat het per inkomen in `beslagenPerInkomen`. Niet bij SAMENLOOP_OPGEHEVEN, net
    /// als `coordinerendePartij`.
    pub coordinatie: Option<String>,
    /// Bij MEERDERE_BESLAGLEGGERS: wie de beslagen coördineert (art. 478 Rv: zij int voor alle
    /// beslagleggers, die haar hun beslag en het beloop van hun vordering melden), met de code
    /// van de schuldeiser of de naam van een andere partij zoals die is opgegeven, gevolgd door
    /// "(opgegeven door de burger of diens schuldhulpverlener)"; nooit haar vorderingen of
    /// bedragen. Alleen bij één inkomen, zoals `coordinatie`.
    #[schema(example = "CJIB")]
    pub coordinerende_partij: Option<String>,
    /// Bij MEERDERE_BESLAGLEGGERS: elk inkomen waarop u en een andere partij beslag leggen, met
    /// uw beslagen daarop en wie daar coördineert (art. 478 Rv geldt per derde-beslagene). Niet
    /// bij SAMENLOOP_OPGEHEVEN.
    #[serde(default)]
    pub beslagen_per_inkomen: Vec<BeslagenOpInkomen>,
    /// Bij AFWIJKENDE_BESLAGVRIJE_VOET: de beslagvrije voet van uw beslag tegenover de
    /// gemeenschappelijke norm. Niet bij SAMENLOOP_OPGEHEVEN.
    pub afwijking: Option<Afwijking>,
    pub beslag_en_regeling: Option<BeslagEnRegeling>,
}

/// Uw beslagen op één inkomen waarop ook een andere partij beslag legt.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BeslagenOpInkomen {
    /// Zoals uw (eerste) beslag erop het noemt.
    #[schema(example = "Loon bij Bouwbedrijf De Vries B.V.")]
    pub inkomstenbron: String,
    pub beslag_ids: Vec<String>,
    /// U, ANDERE_PARTIJ of NOG_GEEN, als `coordinatie`.
    #[schema(example = "ANDERE_PARTIJ")]
    pub coordinatie: String,
    /// Als `coordinerendePartij`; leeg bij NOG_GEEN.
    #[schema(example = "CJIB")]
    pub coordinerende_partij: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UwBeslag {
    pub beslag_id: String,
    /// Bij BESTAANSMINIMUM_ONDERSCHREDEN: wat u per maand inhoudt, zoals de signalering het
    /// meetelt. Bij MEERDERE_BESLAGLEGGERS en bij SAMENLOOP_OPGEHEVEN leeg.
    #[schema(value_type = Option<Bedrag>, example = "350.00")]
    pub maandbedrag: Option<Money>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UwRegeling {
    pub regeling_id: String,
    pub vorderingkenmerken: Vec<String>,
    /// Bij een regeling met u alleen, en bij een Betalingsregeling Rijk die u coördineert; het
    /// maandbedrag van een andere Betalingsregeling Rijk wordt met andere schuldeisers gedeeld en
    /// daarom niet genoemd.
    #[schema(value_type = Option<Bedrag>)]
    pub maandbedrag: Option<Money>,
    /// U coördineert deze Betalingsregeling Rijk: u int de termijn en betaalt de schuldeisers
    /// uit. U hoort daarom van samenloop die de regeling raakt, ook zonder eigen vorderingen erin.
    pub coordinerend: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Afwijking {
    pub beslag_id: String,
    #[schema(value_type = Bedrag, example = "1200.00")]
    pub uw_beslagvrije_voet: Money,
    #[schema(value_type = Bedrag, example = "1331.43")]
    pub gemeenschappelijke_beslagvrije_voet: Money,
    #[schema(value_type = Bedrag, example = "131.43")]
    pub verschil: Money,
    /// LAGER (u laat de persoon minder over dan de gemeenschappelijke norm) of HOGER.
    pub richting: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BeslagEnRegeling {
    pub beslag_id: String,
    pub regeling_id: String,
    pub vorderingkenmerken: Vec<String>,
    /// Noemt uw beslag deze vorderingen (of noemt het er geen, en geldt het voor alle)?
    pub beslag_noemt_vorderingen: bool,
}

/// Een verzoek om gegevens die de gemeenschappelijke norm nodig heeft en die uw beslag mist.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GegevensVerzoek {
    pub beslag_id: String,
    /// De velden die ontbreken, zoals `PATCH /beslagen/{id}` ze noemt, bijvoorbeeld
    /// belastbaarJaarinkomen.
    pub ontbrekend: Vec<String>,
    pub toelichting: String,
}

/// Een Betalingsregeling Rijk die u aangaat, is gestart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RegelingGestart {
    pub regeling_id: String,
    /// DEELNEMER: uw vorderingen vallen eronder; COORDINATOR: u int de termijnen en betaalt de
    /// aandelen uit (een coördinator kan ook deelnemer zijn).
    #[schema(example = json!(["DEELNEMER"]))]
    pub rollen: Vec<String>,
    pub eerste_vervaldatum: NaiveDate,
    pub laatste_vervaldatum: NaiveDate,
    pub looptijd_maanden: u32,
    /// Uw eigen invordering op de vorderingen in de regeling moet zolang worden opgeschort.
    pub eigen_invordering_opschorten: bool,
    pub toelichting: String,
    /// Uw aandeel, als uw vorderingen eronder vallen.
    pub uw_aandeel: Option<Aandeel>,
    /// Voor de coördinerende invorderaar: de termijn en de aandelen van alle schuldeisers.
    pub coordinatie: Option<Coordinatie>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Aandeel {
    #[schema(value_type = Bedrag, example = "1250.00")]
    pub totaal: Money,
    /// Uw vorderingen in de regeling, met het openstaande bedrag bij de start.
    pub vorderingen: Vec<VorderingInAandeel>,
    /// Wat u per maand ontvangt.
    pub termijnen: Vec<Termijn>,
}

/// Een van uw vorderingen in uw aandeel van een regeling.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct VorderingInAandeel {
    pub vorderingkenmerk: String,
    #[schema(value_type = Bedrag, example = "248.75")]
    pub bedrag: Money,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Termijn {
    pub maand: u32,
    pub vervaldatum: NaiveDate,
    #[schema(value_type = Bedrag, example = "34.72")]
    pub bedrag: Money,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Coordinatie {
    /// Wat de burger per maand aan u betaalt.
    #[schema(value_type = Bedrag, example = "150.00")]
    pub maandbedrag: Money,
    #[schema(value_type = Bedrag, example = "5400.00")]
    pub totaal: Money,
    pub schuldeisers: Vec<AandeelSchuldeiser>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AandeelSchuldeiser {
    pub code: String,
    #[schema(value_type = Bedrag, example = "1250.00")]
    pub totaal: Money,
    pub termijnen: Vec<Termijn>,
}

/// Een Betalingsregeling Rijk die u aanging, is beëindigd.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RegelingBeeindigd {
    pub regeling_id: String,
    pub rollen: Vec<String>,
    /// Het moment van beëindigen (RFC 3339).
    #[schema(format = DateTime)]
    pub beeindigd_op: String,
    pub reden: String,
    /// Uw vorderingen die eronder vielen; uw eigen invordering daarop kan worden hervat.
    pub uw_vorderingen: Vec<String>,
    pub toelichting: String,
}

/// Een vordering van een andere schuldeiser in een Betalingsregeling Rijk die u coördineert, is
/// verhoogd, kwijtgescholden of ingetrokken, of een betaling erop is teruggeboekt. Het schema
/// waarmee u int en uitbetaalt, ging uit van wat er bij de start openstond en verandert niet
/// vanzelf: de burger of diens schuldhulpverlener kan de regeling beëindigen en een nieuw
/// voorstel laten maken. Een teruggeboekte betaling die de regeling als betaald telde
/// (`TERUGBOEKING`), telt niet meer als betaald: wat zij van een termijn betaalde, staat weer
/// open (achterstand zodra die termijn vervallen is); het schema past nog.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RegelingVorderingGewijzigd {
    pub regeling_id: String,
    /// De schuldeiser van de vordering (code), zoals in `coordinatie.schuldeisers` bij de start.
    #[schema(example = "DUO")]
    pub schuldeiser: String,
    /// Wat er in één aanlevering met de vordering gebeurde, per soort, in de volgorde waarin het
    /// voor het eerst voorkwam.
    pub wijzigingen: Vec<VorderingWijziging>,
    pub toelichting: String,
}

/// Eén soort wijziging van een vordering in een regeling.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct VorderingWijziging {
    /// OPHOGING, TERUGBOEKING (van een betaling die de regeling als betaald telde),
    /// TERUGBOEKING_VOOR_START (van een betaling van vóór de start, die het schema al als
    /// betaald nam), KWIJTSCHELDING of INTREKKING.
    #[schema(example = "INTREKKING")]
    pub soort: String,
    /// Samen: de ophogingen, terugboekingen of kwijtscheldingen, of bij een intrekking wat er nog
    /// openstond.
    #[schema(value_type = Bedrag, example = "850.00")]
    pub bedrag: Money,
    /// Hoe vaak.
    pub aantal: u32,
    /// De datum van de laatste.
    pub datum: NaiveDate,
}

/// A claim of a running Betalingsregeling Rijk raised, remitted or withdrawn by its creditor
/// (`changes`, in the order received), told to the arrangement's coordinator: per kind, so that
/// a batch of a thousand surcharges is one line. Not the claim's key or balance: the coordinator
/// knows the other creditors' shares, not their claims.
pub fn arranged_claim_changed(
    arranged: &ArrangedIn,
    claim: &Claim,
    changes: &[ArrangedClaimChange],
) -> Notification {
    let mut wijzigingen: Vec<VorderingWijziging> = Vec::new();
    for change in changes {
        let (soort, amount, date) = match *change {
            ArrangedClaimChange::Raised { amount, date } => ("OPHOGING", amount, date),
            ArrangedClaimChange::PaymentReversed { amount, date } => ("TERUGBOEKING", amount, date),
            ArrangedClaimChange::PaymentBeforeStartReversed { amount, date } => {
                ("TERUGBOEKING_VOOR_START", amount, date)
            }
            ArrangedClaimChange::Remitted { amount, date } => ("KWIJTSCHELDING", amount, date),
            ArrangedClaimChange::Withdrawn { open, date } => ("INTREKKING", open, date),
        };
        match wijzigingen.iter_mut().find(|w| w.soort == soort) {
            Some(w) => {
                w.bedrag += amount;
                w.aantal += 1;
                w.datum = w.datum.max(date);
            }
            None => wijzigingen.push(VorderingWijziging {
                soort: soort.to_owned(),
                bedrag: amount,
                aantal: 1,
                datum: date,
            }),
        }
    }
    let described: Vec<String> = wijzigingen.iter().map(described).collect();
    let creditor = &claim.creditor_code;
    let mut toelichting = format!(
        "{creditor} heeft een vordering in de Betalingsregeling Rijk die u coördineert \
         gewijzigd: {}.",
        text::list(&described),
    );
    // A payment the arrangement counted, booked back, is a missed instalment again; every
    // other change leaves the claim other than its schedule counts on (docs/choices.md).
    if wijzigingen.iter().any(|w| w.soort == "TERUGBOEKING") {
        toelichting.push_str(
            " Een teruggeboekte betaling die de regeling al als betaald telde, telt niet meer als \
             betaald: wat zij van een termijn betaalde, staat weer open, en is achterstand zodra \
             die termijn vervallen is. Het schema blijft daarvoor gelden.",
        );
    }
    if wijzigingen.iter().any(|w| w.soort != "TERUGBOEKING") {
        toelichting.push_str(&format!(
            " Het schema van de regeling, en daarmee het aandeel van {creditor}, verandert \
             daardoor niet vanzelf: de burger of diens schuldhulpverlener kan de regeling \
             beëindigen en een nieuw voorstel laten maken."
        ));
    }
    let message = Melding::RegelingVorderingGewijzigd(RegelingVorderingGewijzigd {
        regeling_id: arranged.arrangement_id.clone(),
        schuldeiser: creditor.clone(),
        toelichting,
        wijzigingen,
    });
    message.to(
        arranged.coordinator.clone(),
        &claim.person,
        &arranged.arrangement_id,
    )
}

fn described(w: &VorderingWijziging) -> String {
    let (amount, on) = (text::euro(w.bedrag), text::date(w.datum));
    match (w.soort.as_str(), w.aantal) {
        ("OPHOGING", 1) => format!("een ophoging van {amount} op {on}"),
        ("OPHOGING", n) => format!("{n} ophogingen van samen {amount}, de laatste op {on}"),
        ("TERUGBOEKING", 1) => format!("een terugboeking van een betaling, {amount} op {on}"),
        ("TERUGBOEKING", n) => {
            format!("{n} terugboekingen van betalingen van samen {amount}, de laatste op {on}")
        }
        ("TERUGBOEKING_VOOR_START", 1) => format!(
            "een terugboeking van een betaling van vóór de start van de regeling, {amount} op {on}"
        ),
        ("TERUGBOEKING_VOOR_START", n) => format!(
            "{n} terugboekingen van betalingen van vóór de start van de regeling, samen {amount}, \
             de laatste op {on}"
        ),
        ("KWIJTSCHELDING", 1) => format!("een kwijtschelding van {amount} op {on}"),
        ("KWIJTSCHELDING", n) => {
            format!("{n} kwijtscheldingen van samen {amount}, de laatste op {on}")
        }
        _ => format!("intrekking op {on}, terwijl er nog {amount} openstond"),
    }
}

const PARTICIPANT: &str = "DEELNEMER";
const COORDINATOR: &str = "COORDINATOR";
/// A counsellor organisation acting for the citizen under a mandate.
const MANDATED: &str = "GEMACHTIGDE";

impl Melding {
    fn to(self, creditor: String, person: &PersonId, subject_id: &str) -> Notification {
        Notification {
            recipient: Recipient::Creditor(creditor),
            person: person.clone(),
            subject_id: subject_id.to_owned(),
            message: self,
        }
    }
}

fn instalments(schedule: &Schedule, creditor: &str) -> Vec<Termijn> {
    schedule
        .shares_of(creditor)
        .into_iter()
        .map(|(maand, vervaldatum, bedrag)| Termijn {
            maand,
            vervaldatum,
            bedrag,
        })
        .collect()
}

/// Participants and the coordinator, each with its roles, in code order.
fn recipients(arrangement: &Arrangement) -> BTreeMap<String, Vec<String>> {
    let mut roles: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for claim in &arrangement.claims {
        let entry = roles.entry(claim.claim.creditor.clone()).or_default();
        if entry.is_empty() {
            entry.push(PARTICIPANT.to_owned());
        }
    }
    roles
        .entry(arrangement.coordinator.clone())
        .or_default()
        .push(COORDINATOR.to_owned());
    roles
}

fn own_claims<'a>(
    arrangement: &'a Arrangement,
    creditor: &'a str,
) -> impl Iterator<Item = &'a ArrangementClaim> {
    arrangement
        .claims
        .iter()
        .filter(move |c| c.claim.creditor == creditor)
}

/// An arrangement started: the coordinating collector learns the whole split (to pay out the
/// shares), every participant only its own share and claims, and that its own collection on
/// them pauses.
pub fn arrangement_started(arrangement: &Arrangement, schedule: &Schedule) -> Vec<Notification> {
    let totals = schedule.creditor_totals();
    let coordination = Coordinatie {
        maandbedrag: schedule.instalment,
        totaal: schedule.total,
        schuldeisers: totals
            .iter()
            .map(|(code, totaal)| AandeelSchuldeiser {
                code: (*code).to_owned(),
                totaal: *totaal,
                termijnen: instalments(schedule, code),
            })
            .collect(),
    };
    let mut notifications: Vec<Notification> = recipients(arrangement)
        .into_iter()
        .map(|(creditor, rollen)| {
            let participant = rollen.iter().any(|r| r == PARTICIPANT);
            let coordinator = rollen.iter().any(|r| r == COORDINATOR);
            let message = Melding::RegelingGestart(RegelingGestart {
                regeling_id: arrangement.id.clone(),
                eerste_vervaldatum: schedule.first_due,
                laatste_vervaldatum: schedule.last_due().unwrap_or(schedule.first_due),
                looptijd_maanden: schedule.term_months,
                eigen_invordering_opschorten: participant,
                toelichting: match (participant, coordinator) {
                    (true, false) => format!(
                        "Deze vorderingen vallen onder een Betalingsregeling Rijk. Schort uw eigen invordering erop op \
                         zolang de regeling loopt; u ontvangt uw aandeel via {}.",
                        arrangement.coordinator
                    ),
                    (true, true) => "Deze vorderingen vallen onder een Betalingsregeling Rijk die u coördineert: u int \
                         de termijn en betaalt de aandelen uit, ook uw eigen aandeel. Schort uw eigen invordering \
                         erop op zolang de regeling loopt."
                        .to_owned(),
                    (false, _) => "U coördineert deze Betalingsregeling Rijk: u int de termijn en betaalt de aandelen uit.".to_owned(),
                },
                uw_aandeel: participant.then(|| Aandeel {
                    totaal: totals.get(creditor.as_str()).copied().unwrap_or(Money::ZERO),
                    vorderingen: own_claims(arrangement, &creditor)
                        .map(|c| VorderingInAandeel {
                            vorderingkenmerk: c.claim.claim_key.clone(),
                            bedrag: c.claim.outstanding,
                        })
                        .collect(),
                    termijnen: instalments(schedule, &creditor),
                }),
                coordinatie: coordinator.then(|| coordination.clone()),
                rollen,
            });
            message.to(creditor, &arrangement.person, &arrangement.id)
        })
        .collect();
    // The citizen sees the whole arrangement, so their counsellor may too.
    notifications.push(Notification {
        recipient: Recipient::PersonsCounsellors,
        person: arrangement.person.clone(),
        subject_id: arrangement.id.clone(),
        message: Melding::RegelingGestart(RegelingGestart {
            regeling_id: arrangement.id.clone(),
            rollen: vec![MANDATED.to_owned()],
            eerste_vervaldatum: schedule.first_due,
            laatste_vervaldatum: schedule.last_due().unwrap_or(schedule.first_due),
            looptijd_maanden: schedule.term_months,
            eigen_invordering_opschorten: false,
            toelichting: format!(
                "Voor uw cliënt is een Betalingsregeling Rijk gestart; de termijn wordt betaald aan {}.",
                arrangement.coordinator
            ),
            uw_aandeel: None,
            coordinatie: Some(coordination),
        }),
    });
    notifications
}

/// An arrangement ended: every creditor in it may resume its own collection, unless the
/// person's running debt-help `trajectory` still holds it back (its pause; in the Wsnp, the
/// Faillissementswet). `outstanding` is what each of its claims still owes, by claim id: only
/// what is still owed has collection to resume.
pub fn arrangement_ended(
    arrangement: &Arrangement,
    outstanding: &BTreeMap<String, Money>,
    trajectory: Option<&Trajectory>,
) -> Vec<Notification> {
    let trajectory = trajectory.filter(|t| t.is_running());
    let held_back = trajectory.map(|t| {
        if t.is_schuldsanering() {
            "Voor deze burger loopt de wettelijke schuldsanering: uw vorderingen waarvoor die werkt, \
             worden alleen via de bewindvoerder voldaan (art. 299 lid 2 Faillissementswet)."
        } else {
            "Voor deze burger loopt een schuldhulptraject: schort uw invordering en ophogingen op \
             zolang het loopt."
        }
    });
    let ending = arrangement.ending.as_ref();
    let ended_at = ending.map(|e| format_instant(e.at)).unwrap_or_default();
    let reason = ending.map(|e| e.reason.clone()).unwrap_or_default();
    let mut notifications: Vec<Notification> = recipients(arrangement)
        .into_iter()
        .map(|(creditor, rollen)| {
            let keys: Vec<String> = own_claims(arrangement, &creditor)
                .map(|c| c.claim.claim_key.clone())
                .collect();
            let open: Vec<String> = own_claims(arrangement, &creditor)
                .filter(|c| {
                    outstanding
                        .get(&c.claim.claim_id)
                        .is_some_and(|owed| owed.is_positive())
                })
                .map(|c| c.claim.claim_key.clone())
                .collect();
            let message = Melding::RegelingBeeindigd(RegelingBeeindigd {
                regeling_id: arrangement.id.clone(),
                beeindigd_op: ended_at.clone(),
                reden: reason.clone(),
                toelichting: if keys.is_empty() {
                    "De Betalingsregeling Rijk die u coördineerde is beëindigd.".to_owned()
                } else if let (Some(held_back), false) = (held_back, open.is_empty()) {
                    format!(
                        "De Betalingsregeling Rijk is beëindigd. Nog open staan: {}. {held_back}",
                        text::list(&open)
                    )
                } else if open.is_empty() {
                    "De Betalingsregeling Rijk is beëindigd. Op uw vorderingen erin staat niets meer open: er \
                     is geen invordering te hervatten."
                        .to_owned()
                } else if open.len() == keys.len() {
                    "De Betalingsregeling Rijk is beëindigd. U kunt uw eigen invordering op deze vorderingen hervatten, \
                     met inachtneming van de beslagvrije voet."
                        .to_owned()
                } else {
                    format!(
                        "De Betalingsregeling Rijk is beëindigd. U kunt uw eigen invordering hervatten op wat nog \
                         openstaat ({}), met inachtneming van de beslagvrije voet; op de andere vorderingen \
                         erin staat niets meer open.",
                        crate::domain::text::list(&open)
                    )
                },
                uw_vorderingen: keys,
                rollen,
            });
            message.to(creditor, &arrangement.person, &arrangement.id)
        })
        .collect();
    notifications.push(Notification {
        recipient: Recipient::PersonsCounsellors,
        person: arrangement.person.clone(),
        subject_id: arrangement.id.clone(),
        message: Melding::RegelingBeeindigd(RegelingBeeindigd {
            regeling_id: arrangement.id.clone(),
            rollen: vec![MANDATED.to_owned()],
            beeindigd_op: ended_at,
            reden: reason,
            uw_vorderingen: arrangement
                .claims
                .iter()
                .map(|c| c.claim.claim_key.clone())
                .collect(),
            toelichting: match trajectory {
                Some(t) if t.is_schuldsanering() => {
                    "De Betalingsregeling Rijk van uw cliënt is beëindigd. De schuldeisers is gezegd \
                     dat hun vorderingen waarvoor de wettelijke schuldsanering werkt, alleen via de \
                     bewindvoerder worden voldaan."
                }
                Some(_) => {
                    "De Betalingsregeling Rijk van uw cliënt is beëindigd. De schuldeisers is gezegd \
                     dat de pauze van het schuldhulptraject voor hun vorderingen blijft gelden."
                }
                None => {
                    "De Betalingsregeling Rijk van uw cliënt is beëindigd; de schuldeisers kunnen \
                     hun eigen invordering hervatten."
                }
            }
            .to_owned(),
        }),
    });
    notifications
}

/// An attaching creditor asked for the data that would decide an uncertain flag.
pub fn data_request(person: &PersonId, request: &DataRequest) -> Notification {
    let message = Melding::GegevensGevraagd(GegevensVerzoek {
        beslag_id: request.attachment_id.clone(),
        ontbrekend: request.missing.clone(),
        toelichting: format!(
            "Of deze persoon door beslagen en regelingen onder de beslagvrije voet komt, kan niet worden \
             beoordeeld zonder {}. Vul dit aan bij uw beslag (PATCH /api/v1/beslagen/{}) als u het \
             kent, bijvoorbeeld uit de polisadministratie.",
            crate::domain::text::list(&request.missing),
            request.attachment_id
        ),
    });
    message.to(request.creditor.clone(), person, &request.attachment_id)
}

/// A samenloop flag raised, changed or cleared, as far as it concerns one creditor.
pub fn samenloop(person: &PersonId, notification: CreditorNotification) -> Notification {
    let view = notification.view;
    let sleutel = flag_sleutel(
        person,
        &Feed::Creditor(notification.creditor.clone()),
        view.key.as_str(),
    );
    let mut message = SamenloopMelding {
        signalering: view.code.code().to_owned(),
        sleutel: sleutel.clone(),
        toelichting: view.explanation,
        restcapaciteit: view.remaining_capacity,
        tekort: None,
        norm_grens: None,
        uw_beslagen: Vec::new(),
        uw_regelingen: Vec::new(),
        coordinatie: None,
        coordinerende_partij: None,
        beslagen_per_inkomen: Vec::new(),
        afwijking: None,
        beslag_en_regeling: None,
    };
    let own_arrangement = |a: OwnArrangement| UwRegeling {
        regeling_id: a.arrangement_id,
        vorderingkenmerken: a.claim_keys,
        maandbedrag: a.monthly_amount,
        coordinerend: a.coordinating,
    };
    match view.details {
        CreditorFlagDetails::SubsistenceMinimumUndercut {
            shortfall,
            norm_certainty,
            own_attachments,
            own_arrangements,
        } => {
            message.tekort = Some(shortfall);
            message.norm_grens = norm_certainty.code().map(str::to_owned);
            message.uw_beslagen = own_attachments
                .into_iter()
                .map(|a| UwBeslag {
                    beslag_id: a.attachment_id,
                    maandbedrag: Some(a.monthly_amount),
                })
                .collect();
            message.uw_regelingen = own_arrangements.into_iter().map(own_arrangement).collect();
        }
        CreditorFlagDetails::MultipleAttachingParties { concurrences } => {
            message.uw_beslagen = concurrences
                .iter()
                .flat_map(|c| &c.own_attachment_ids)
                .map(|id| UwBeslag {
                    beslag_id: id.clone(),
                    maandbedrag: None,
                })
                .collect();
            message.beslagen_per_inkomen = concurrences
                .into_iter()
                .map(|c| {
                    let (code, party) = match c.coordination {
                        Coordination::ThisCreditor(code) => ("U", Some(code)),
                        Coordination::AnotherParty(party) => ("ANDERE_PARTIJ", Some(party)),
                        Coordination::NoneYet => ("NOG_GEEN", None),
                    };
                    BeslagenOpInkomen {
                        inkomstenbron: c.income_source,
                        beslag_ids: c.own_attachment_ids,
                        coordinatie: code.to_owned(),
                        coordinerende_partij: party,
                    }
                })
                .collect();
            if let [sole] = message.beslagen_per_inkomen.as_slice() {
                message.coordinatie = Some(sole.coordinatie.clone());
                message.coordinerende_partij = sole.coordinerende_partij.clone();
            }
        }
        CreditorFlagDetails::DeviatingExemptAmount {
            attachment_id,
            applied,
            common_norm,
            norm_certainty,
            difference,
            direction,
        } => {
            message.norm_grens = norm_certainty.code().map(str::to_owned);
            message.afwijking = Some(Afwijking {
                beslag_id: attachment_id,
                uw_beslagvrije_voet: applied,
                gemeenschappelijke_beslagvrije_voet: common_norm,
                verschil: difference,
                richting: match direction {
                    Deviation::Lower => "LAGER",
                    Deviation::Higher => "HOGER",
                }
                .to_owned(),
            });
        }
        CreditorFlagDetails::ClaimInArrangementAndAttachment {
            attachment_id,
            arrangement_id,
            claim_keys,
            attachment_names_claims,
        } => {
            message.beslag_en_regeling = Some(BeslagEnRegeling {
                beslag_id: attachment_id,
                regeling_id: arrangement_id,
                vorderingkenmerken: claim_keys,
                beslag_noemt_vorderingen: attachment_names_claims,
            });
        }
        CreditorFlagDetails::ConcurrentArrangements { own_arrangements } => {
            message.uw_regelingen = own_arrangements.into_iter().map(own_arrangement).collect();
        }
    }
    let melding = match notification.change {
        ChangeKind::Raised => Melding::SamenloopGesignaleerd(message),
        ChangeKind::Changed => Melding::SamenloopGewijzigd(message),
        ChangeKind::Cleared => {
            let text = if notification.flag_stands {
                FlagCode::NO_LONGER_CONCERNS
            } else {
                view.code
                    .cleared_explanation(notification.shortfall_undecided)
            };
            Melding::SamenloopOpgeheven(lifted(message, text))
        }
    };
    melding.to(notification.creditor, person, &sleutel)
}

/// A flag's notification as its lifting: its text says it is over, and the figures the flag
/// was raised or last changed with (the shortfall, who coordinates, the amounts, the deviating
/// BVV) are left out, since they may no longer hold. Which of the reader's attachments and
/// arrangements it was about stays; a deviation's attachment joins `uw_beslagen`.
fn lifted(message: SamenloopMelding, text: &str) -> SamenloopMelding {
    let mut uw_beslagen: Vec<UwBeslag> = message
        .uw_beslagen
        .into_iter()
        .map(|a| UwBeslag {
            maandbedrag: None,
            ..a
        })
        .collect();
    if let Some(afwijking) = message.afwijking {
        uw_beslagen.push(UwBeslag {
            beslag_id: afwijking.beslag_id,
            maandbedrag: None,
        });
    }
    let uw_regelingen = message
        .uw_regelingen
        .into_iter()
        .map(|r| UwRegeling {
            maandbedrag: None,
            ..r
        })
        .collect();
    SamenloopMelding {
        toelichting: text.to_owned(),
        tekort: None,
        norm_grens: None,
        coordinatie: None,
        coordinerende_partij: None,
        beslagen_per_inkomen: Vec::new(),
        afwijking: None,
        uw_beslagen,
        uw_regelingen,
        ..message
    }
}

/// Samenloop flags raised, changed or cleared, for the person's counsellors: the person's own
/// view of each (as the citizen sees it in the overview), one notification per change. The
/// subject is the flag's key until [`address`] gives each organisation the sleutel of its feed.
pub fn samenloop_for_counsellors(
    person: &PersonId,
    changes: &[FlagChange],
    creditors: &[Creditor],
    remaining_capacity: Option<Money>,
    shortfall_undecided: bool,
) -> Vec<Notification> {
    changes
        .iter()
        // A change the person's own view does not show (a detail only creditors are told of)
        // is not told again.
        .filter(|change| match change {
            FlagChange::Changed { previous, current } => {
                previous.explanation(creditors, Addressee::Counsellor)
                    != current.explanation(creditors, Addressee::Counsellor)
            }
            _ => true,
        })
        .map(|change| {
            let flag = match change {
                FlagChange::Raised(flag) | FlagChange::Cleared(flag) => flag,
                FlagChange::Changed { current, .. } => current,
            };
            let message = SamenloopMelding {
                signalering: flag.code().code().to_owned(),
                sleutel: String::new(),
                toelichting: flag.explanation(creditors, Addressee::Counsellor),
                restcapaciteit: remaining_capacity,
                tekort: match flag {
                    Flag::SubsistenceMinimumUndercut(undercut) => Some(undercut.shortfall()),
                    _ => None,
                },
                norm_grens: match flag {
                    Flag::SubsistenceMinimumUndercut(undercut) => undercut.norm_certainty.code(),
                    Flag::DeviatingExemptAmount(deviation) => deviation.norm_certainty.code(),
                    _ => None,
                }
                .map(str::to_owned),
                uw_beslagen: Vec::new(),
                uw_regelingen: Vec::new(),
                coordinatie: None,
                coordinerende_partij: None,
                beslagen_per_inkomen: Vec::new(),
                afwijking: None,
                beslag_en_regeling: None,
            };
            Notification {
                recipient: Recipient::PersonsCounsellors,
                person: person.clone(),
                subject_id: flag.key().as_str().to_owned(),
                message: match change.kind() {
                    ChangeKind::Raised => Melding::SamenloopGesignaleerd(message),
                    ChangeKind::Changed => Melding::SamenloopGewijzigd(message),
                    ChangeKind::Cleared => Melding::SamenloopOpgeheven(lifted(
                        message,
                        flag.code().cleared_explanation(shortfall_undecided),
                    )),
                },
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::samenloop::{
        MultipleAttachingParties, Party, PartyAttachment, notifications_for,
    };
    use crate::domain::testing::d;
    use crate::domain::webhook::cloud_event;

    #[test]
    fn a_cursor_up_to_the_newest_notification_is_read_one_beyond_it_refused() {
        assert!(Feed::check_cursor(0, 0).is_ok());
        assert!(Feed::check_cursor(7, 7).is_ok());
        let refused = Feed::check_cursor(8, 7).unwrap_err();
        assert_eq!(
            (refused.field.as_str(), refused.code),
            ("na", "ongeldige_cursor")
        );
    }

    fn person(digit: char) -> PersonId {
        PersonId::from_stored(digit.to_string().repeat(64))
    }

    /// CJIB and DUO attach the person's income: a flag about the person as a whole.
    fn multiple_parties() -> Flag {
        let attachment = |id: &str, code: &str| PartyAttachment {
            attachment_id: id.to_owned(),
            party: Party::Creditor(code.to_owned()),
            start: d(2025, 1, 1),
            executorial: true,
            income_source: "Loon".to_owned(),
        };
        Flag::MultipleAttachingParties(MultipleAttachingParties {
            attachments: vec![attachment("B1", "CJIB"), attachment("B2", "DUO")],
        })
    }

    /// What `creditor` is told of `change` about `person`.
    fn told(person: &PersonId, change: FlagChange, creditor: &str) -> Notification {
        notifications_for(&[change], None, false)
            .into_iter()
            .find(|n| n.creditor == creditor)
            .map(|n| samenloop(person, n))
            .expect("the flag concerns the creditor")
    }

    fn sleutel(notification: &Notification) -> String {
        notification
            .message
            .clone()
            .samenloop_mut()
            .expect("a samenloop melding")
            .sleutel
            .clone()
    }

    #[test]
    fn two_persons_with_the_same_person_level_flag_get_different_sleutels_in_one_feed() {
        let raised = FlagChange::Raised(multiple_parties());
        let a = told(&person('a'), raised.clone(), "CJIB");
        let b = told(&person('b'), raised, "CJIB");
        assert_ne!(sleutel(&a), sleutel(&b));
        assert_ne!(a.subject_id, b.subject_id);
    }

    #[test]
    fn a_flags_raise_and_clear_for_one_person_share_its_sleutel_and_cloud_event_subject() {
        let raised = told(&person('a'), FlagChange::Raised(multiple_parties()), "CJIB");
        let cleared = told(
            &person('a'),
            FlagChange::Cleared(multiple_parties()),
            "CJIB",
        );
        assert_eq!(
            (raised.message.kind(), cleared.message.kind()),
            ("SAMENLOOP_GESIGNALEERD", "SAMENLOOP_OPGEHEVEN")
        );
        assert_eq!(sleutel(&raised), sleutel(&cleared));
        let item = FeedItem {
            position: 1,
            event_id: "e-1".into(),
            created_at: d(2026, 6, 15).and_hms_opt(12, 0, 0).unwrap(),
            person: cleared.person.clone(),
            mandate: None,
            subject_id: cleared.subject_id.clone(),
            message: cleared.message.clone(),
        };
        let event: serde_json::Value =
            serde_json::from_str(&cloud_event(&item, "urn:test")).unwrap();
        assert_eq!(event["subject"], sleutel(&raised));
        assert_eq!(event["data"]["inhoud"]["sleutel"], sleutel(&raised));
    }

    #[test]
    fn a_sleutel_names_no_person_and_differs_between_recipients() {
        let person = person('a');
        let raised = FlagChange::Raised(multiple_parties());
        let cjib = told(&person, raised.clone(), "CJIB");
        let duo = told(&person, raised.clone(), "DUO");
        let key = sleutel(&cjib);
        assert_eq!(key.len(), 64);
        assert!(key.chars().all(|c| c.is_ascii_hexdigit()));
        assert!(!key.contains(person.as_str()) && !key.contains("MEERDERE"));
        assert_ne!(key, sleutel(&duo));

        let mandate = |id: &str, counsellor: &str| Mandate {
            id: id.to_owned(),
            person: person.clone(),
            counsellor: counsellor.to_owned(),
            valid_from: d(2026, 1, 1),
            valid_until: d(2026, 12, 31),
            granted_at: d(2026, 1, 1).and_hms_opt(9, 0, 0).unwrap(),
            revoked_at: None,
            counsellor_reference: None,
        };
        let mandates = BTreeMap::from([(
            person.clone(),
            vec![mandate("M1", "GKB"), mandate("M2", "PLANGROEP")],
        )]);
        let counsellors = address(
            samenloop_for_counsellors(&person, &[raised], &[], None, false),
            &mandates,
            d(2026, 6, 15),
        );
        let keys: Vec<String> = counsellors.iter().map(sleutel).collect();
        assert_eq!(keys.len(), 2);
        assert_ne!(keys[0], keys[1]);
        assert!(!keys.contains(&key) && !keys.contains(&sleutel(&duo)));
        assert!(counsellors.iter().all(|n| n.subject_id == sleutel(n)));
    }

    #[test]
    fn counsellors_are_not_told_of_a_change_the_persons_own_view_does_not_show() {
        let person = PersonId::from_stored("persoon".to_owned());
        let current = multiple_parties();
        let Flag::MultipleAttachingParties(mut kept) = current.clone() else {
            unreachable!("built as such")
        };
        // As an evaluation kept before the income source was recorded reads back.
        for attachment in &mut kept.attachments {
            attachment.income_source = String::new();
        }
        let unchanged_for_the_person = FlagChange::Changed {
            previous: Flag::MultipleAttachingParties(kept),
            current: current.clone(),
        };
        assert!(
            samenloop_for_counsellors(&person, &[unchanged_for_the_person], &[], None, false)
                .is_empty()
        );
        let raised = FlagChange::Raised(current);
        assert_eq!(
            samenloop_for_counsellors(&person, &[raised], &[], None, false).len(),
            1
        );
    }
}
