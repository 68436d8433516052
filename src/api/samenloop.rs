//! Samenloop as the person (or their counsellor) sees it: every flag with its figures as fields,
//! what could not be judged and why, and the data the norm was computed from.

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

use super::schemas::Bedrag;
use crate::domain::creditor::Creditor;
use crate::domain::money::Money;
use crate::domain::overview::Addressee;
use crate::domain::samenloop::{Detection, Flag, Party};

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Samenloop {
    /// Wat er nu speelt.
    signaleringen: Vec<Signalering>,
    /// Wat niet beoordeeld kon worden, en waarom.
    niet_beoordeeld: Vec<NietBeoordeeld>,
    /// Wat met de bekende gegevens misschien speelt en misschien niet: bij een deel van de
    /// beslagvrije voeten die de wet dan toelaat wel, bij een ander deel niet.
    onzeker: Vec<Onzeker>,
    /// De beslagvrije voet waarmee is beoordeeld, of de laagste en hoogste die de bekende gegevens
    /// toelaten.
    beslagvrije_voet: Option<Bandbreedte>,
    /// Van welke gegevens de beslagvrije voet is berekend; `null` als die ontbreken.
    grondslag: Option<String>,
    /// Wat er per maand boven de beslagvrije voet overblijft na alle inhoudingen; `null` als dat
    /// niet vaststaat (geen gegevens, of de normtabel van het halfjaar van vandaag ontbreekt).
    #[schema(value_type = Option<Bedrag>, example = "120.00")]
    restcapaciteit: Option<Money>,
    /// Zonder tekort vandaag: het eerste tekort dat beslagen of regelingen die nu al bekend zijn
    /// later veroorzaken, vanaf de dag waarop zij gaan meetellen. De signalering zelf volgt pas
    /// op die dag; dit is de waarschuwing vooraf. Leeg (null) als er geen komt.
    komend_tekort: Option<KomendTekort>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct KomendTekort {
    #[schema(example = "2027-01-01")]
    vanaf: NaiveDate,
    /// Hoeveel er per maand te veel zal worden ingehouden of afgelost.
    #[schema(value_type = Bedrag, example = "148.49")]
    tekort: Money,
    /// `TEN_MINSTE` als de beslagvrije voet van die dag nog niet vaststaat (zoals bij
    /// `Signalering.normGrens`): het tekort is dan minstens dit bedrag.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "TEN_MINSTE")]
    norm_grens: Option<&'static str>,
    /// Tot de burger, of tot diens schuldhulpverlener over de cliënt.
    toelichting: String,
}

/// Eén signalering met de bedragen waarop die rust; alleen de velden die bij haar code horen
/// zijn aanwezig.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Signalering {
    #[schema(example = "BESTAANSMINIMUM_ONDERSCHREDEN")]
    code: &'static str,
    /// Wat er speelt, met de bedragen: tot de burger, of tot diens schuldhulpverlener over de
    /// cliënt.
    toelichting: String,
    /// BESTAANSMINIMUM_ONDERSCHREDEN: het netto-inkomen per maand waarmee is gerekend.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Bedrag>, example = "2100.00")]
    netto_inkomen: Option<Money>,
    /// BESTAANSMINIMUM_ONDERSCHREDEN: alle beslagen en regelingen samen per maand.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Bedrag>, example = "850.00")]
    inhoudingen: Option<Money>,
    /// BESTAANSMINIMUM_ONDERSCHREDEN: hoeveel per maand te veel wordt ingehouden.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Bedrag>, example = "81.43")]
    tekort: Option<Money>,
    /// BESTAANSMINIMUM_ONDERSCHREDEN en AFWIJKENDE_BESLAGVRIJE_VOET: de gemeenschappelijke norm,
    /// of zolang gegevens ontbreken de grens ervan die de signalering besliste (zie `normGrens`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Bedrag>, example = "1331.43")]
    gemeenschappelijke_beslagvrije_voet: Option<Money>,
    /// Zolang gegevens voor de norm ontbreken: TEN_MINSTE (de norm is ten minste
    /// `gemeenschappelijkeBeslagvrijeVoet`, het tekort ten minste `tekort`) of TEN_HOOGSTE (de norm
    /// is ten hoogste dat bedrag). Ontbreekt als de norm vaststaat.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "TEN_MINSTE")]
    norm_grens: Option<&'static str>,
    /// AFWIJKENDE_BESLAGVRIJE_VOET: de beslagvrije voet die de beslaglegger toepast.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Bedrag>, example = "1200.00")]
    beslagvrije_voet_partij: Option<Money>,
    /// AFWIJKENDE_BESLAGVRIJE_VOET: de beslaglegger; MEERDERE_BESLAGLEGGERS: wie de beslagen
    /// coördineert (art. 478 Rv: het oudste executoriale beslag op hetzelfde inkomen), als er
    /// één zo'n inkomen is; per inkomen staat het in de toelichting.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "CJIB")]
    partij: Option<String>,
    /// MEERDERE_BESLAGLEGGERS: alle beslagleggers.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    beslagleggers: Vec<String>,
    /// AFWIJKENDE_BESLAGVRIJE_VOET en VORDERING_IN_REGELING_EN_BESLAG: het beslag.
    #[serde(skip_serializing_if = "Option::is_none")]
    beslag_id: Option<String>,
    /// VORDERING_IN_REGELING_EN_BESLAG: de regeling; SAMENLOOP_REGELINGEN: alle lopende.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    regelingen: Vec<String>,
    /// VORDERING_IN_REGELING_EN_BESLAG: de vorderingen die in beide vallen.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    vorderingkenmerken: Vec<String>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Onzeker {
    #[schema(example = "BESTAANSMINIMUM_ONDERSCHREDEN")]
    code: &'static str,
    toelichting: String,
    /// De gegevens die het zouden beslissen, bijvoorbeeld belastbaarJaarinkomen, of `normtabel`
    /// zolang de normtabel van het halfjaar van vandaag ontbreekt.
    ontbrekend: Vec<String>,
    /// Bij AFWIJKENDE_BESLAGVRIJE_VOET: het beslag.
    #[serde(skip_serializing_if = "Option::is_none")]
    beslag_id: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct Bandbreedte {
    #[schema(value_type = Bedrag, example = "1348.49")]
    laagste: Money,
    /// Leeg (null) zolang de normtabel van het halfjaar van vandaag ontbreekt: dan is de norm ten
    /// minste `laagste`, zonder bekende bovengrens.
    #[schema(value_type = Option<Bedrag>, example = "2208.48")]
    hoogste: Option<Money>,
    /// Wat de norm zou beslissen: velden zoals belastbaarJaarinkomen, of `normtabel`.
    ontbrekend: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct NietBeoordeeld {
    #[schema(example = "BESTAANSMINIMUM_ONDERSCHREDEN")]
    code: &'static str,
    toelichting: String,
}

fn party(party: &Party) -> String {
    match party {
        Party::Creditor(code) | Party::Private(code) => code.clone(),
    }
}

impl Signalering {
    fn of(
        flag: &Flag,
        detection: &Detection,
        creditors: &[Creditor],
        addressee: Addressee,
    ) -> Signalering {
        let mut s = Signalering {
            code: flag.code().code(),
            toelichting: flag.explanation_in(detection, creditors, addressee),
            netto_inkomen: None,
            inhoudingen: None,
            tekort: None,
            gemeenschappelijke_beslagvrije_voet: None,
            norm_grens: None,
            beslagvrije_voet_partij: None,
            partij: None,
            beslagleggers: Vec::new(),
            beslag_id: None,
            regelingen: Vec::new(),
            vorderingkenmerken: Vec::new(),
        };
        match flag {
            Flag::SubsistenceMinimumUndercut(f) => {
                s.netto_inkomen = Some(f.net_income);
                s.inhoudingen = Some(f.deductions());
                s.tekort = Some(f.shortfall());
                s.gemeenschappelijke_beslagvrije_voet = Some(f.norm);
                s.norm_grens = f.norm_certainty.code();
            }
            Flag::MultipleAttachingParties(f) => {
                s.partij = f.sole_coordinator().map(|c| party(&c.party));
                s.beslagleggers = f.parties().into_iter().map(party).collect();
            }
            Flag::DeviatingExemptAmount(f) => {
                s.gemeenschappelijke_beslagvrije_voet = Some(f.common_norm);
                s.norm_grens = f.norm_certainty.code();
                s.beslagvrije_voet_partij = Some(f.applied);
                s.partij = Some(party(&f.party));
                s.beslag_id = Some(f.attachment_id.clone());
            }
            Flag::ClaimInArrangementAndAttachment(f) => {
                s.partij = Some(f.creditor.clone());
                s.beslag_id = Some(f.attachment_id.clone());
                s.regelingen = vec![f.arrangement_id.clone()];
                s.vorderingkenmerken = f.claim_keys.clone();
            }
            Flag::ConcurrentArrangements(f) => {
                s.inhoudingen = Some(f.total());
                s.regelingen = f
                    .arrangements
                    .iter()
                    .map(|a| a.arrangement_id.clone())
                    .collect();
            }
        }
        s
    }
}

impl Samenloop {
    /// A detection's flags, naming government creditors in the texts as the registry
    /// `creditors` does (their fields keep the code); the texts speak to `addressee`.
    pub fn of(d: &Detection, creditors: &[Creditor], addressee: Addressee) -> Samenloop {
        Samenloop {
            signaleringen: d
                .flags
                .iter()
                .map(|f| Signalering::of(f, d, creditors, addressee))
                .collect(),
            niet_beoordeeld: d
                .not_evaluated
                .iter()
                .map(|n| NietBeoordeeld {
                    code: n.code.code(),
                    toelichting: n.explanation.clone(),
                })
                .collect(),
            onzeker: d
                .uncertain
                .iter()
                .map(|u| Onzeker {
                    code: u.code.code(),
                    toelichting: u.explanation.clone(),
                    ontbrekend: u.missing.clone(),
                    beslag_id: u.attachment_id.clone(),
                })
                .collect(),
            beslagvrije_voet: d.norm.as_ref().map(|n| Bandbreedte {
                laagste: n.lowest,
                hoogste: n.upper(),
                ontbrekend: n.undecided_by(),
            }),
            grondslag: d
                .basis
                .as_ref()
                .map(|b| b.explanation(creditors, addressee)),
            restcapaciteit: d.remaining_capacity,
            komend_tekort: d.coming_shortfall.map(|c| KomendTekort {
                vanaf: c.from,
                tekort: c.shortfall,
                norm_grens: c.certainty.code(),
                toelichting: c.explanation(addressee),
            }),
        }
    }
}
