//! The notifications creditors read from their feed, as stored in the outbox and served as is.
//! Each is cut to what concerns its reader: a participant sees its own share and claims only; the
//! coordinating collector sees every creditor's share (to pay it out), not their claims.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::money::Money;

/// One notification; `soort` says which.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "soort")]
pub enum Melding {
    #[serde(rename = "REGELING_GESTART")]
    RegelingGestart(RegelingGestart),
    #[serde(rename = "REGELING_BEEINDIGD")]
    RegelingBeeindigd(RegelingBeeindigd),
    /// A samenloop flag that concerns you is raised.
    #[serde(rename = "SAMENLOOP_GESIGNALEERD")]
    SamenloopGesignaleerd(SamenloopMelding),
    /// Its figures changed as far as they concern you.
    #[serde(rename = "SAMENLOOP_GEWIJZIGD")]
    SamenloopGewijzigd(SamenloopMelding),
    /// It no longer applies (or no longer concerns you).
    #[serde(rename = "SAMENLOOP_OPGEHEVEN")]
    SamenloopOpgeheven(SamenloopMelding),
}

impl Melding {
    pub fn kind(&self) -> &'static str {
        match self {
            Melding::RegelingGestart(_) => "REGELING_GESTART",
            Melding::RegelingBeeindigd(_) => "REGELING_BEEINDIGD",
            Melding::SamenloopGesignaleerd(_) => "SAMENLOOP_GESIGNALEERD",
            Melding::SamenloopGewijzigd(_) => "SAMENLOOP_GEWIJZIGD",
            Melding::SamenloopOpgeheven(_) => "SAMENLOOP_OPGEHEVEN",
        }
    }
}

/// A samenloop flag as far as it concerns you: your own attachments and claims and the
/// person's figures; never another creditor's claims, amounts or attachments.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SamenloopMelding {
    /// BESTAANSMINIMUM_ONDERSCHREDEN, MEERDERE_BESLAGLEGGERS, AFWIJKENDE_BESLAGVRIJE_VOET,
    /// VORDERING_IN_REGELING_EN_BESLAG of SAMENLOOP_REGELINGEN.
    #[schema(example = "BESTAANSMINIMUM_ONDERSCHREDEN")]
    pub signalering: String,
    /// Dezelfde sleutel in opeenvolgende meldingen betreft dezelfde signalering.
    pub sleutel: String,
    pub toelichting: String,
    /// Wat de persoon per maand nog boven de beslagvrije voet heeft, als die bekend is.
    #[schema(value_type = Option<String>, example = "0.00")]
    pub restcapaciteit: Option<Money>,
    /// Bij BESTAANSMINIMUM_ONDERSCHREDEN: hoeveel per maand te veel wordt ingehouden.
    #[schema(value_type = Option<String>, example = "214.19")]
    pub tekort: Option<Money>,
    pub uw_beslagen: Vec<UwBeslag>,
    pub uw_regelingen: Vec<UwRegeling>,
    /// Bij MEERDERE_BESLAGLEGGERS: U (u coördineert, art. 478 Rv), ANDERE_PARTIJ of NOG_GEEN.
    pub coordinatie: Option<String>,
    pub afwijking: Option<Afwijking>,
    pub beslag_en_regeling: Option<BeslagEnRegeling>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UwBeslag {
    pub beslag_id: String,
    #[schema(value_type = Option<String>, example = "350.00")]
    pub maandbedrag: Option<Money>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UwRegeling {
    pub regeling_id: String,
    pub vorderingkenmerken: Vec<String>,
    /// Alleen bij een regeling met u alleen; het maandbedrag van een Betalingsregeling Rijk wordt
    /// met andere schuldeisers gedeeld en daarom niet genoemd.
    #[schema(value_type = Option<String>)]
    pub maandbedrag: Option<Money>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Afwijking {
    pub beslag_id: String,
    #[schema(value_type = String, example = "1200.00")]
    pub uw_beslagvrije_voet: Money,
    #[schema(value_type = String, example = "1331.43")]
    pub gemeenschappelijke_beslagvrije_voet: Money,
    #[schema(value_type = String, example = "131.43")]
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

/// A Betalingsregeling Rijk started that concerns you.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RegelingGestart {
    pub regeling_id: String,
    /// DEELNEMER: uw vorderingen vallen eronder; COORDINATOR: u int de termijnen en betaalt de
    /// aandelen uit (een coördinator kan ook deelnemer zijn).
    #[schema(example = "DEELNEMER")]
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
    #[schema(value_type = String, example = "1250.00")]
    pub totaal: Money,
    /// Uw vorderingen in de regeling, met het openstaande bedrag bij de start.
    pub vorderingen: Vec<VorderingInRegeling>,
    /// Wat u per maand ontvangt.
    pub termijnen: Vec<Termijn>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct VorderingInRegeling {
    pub vorderingkenmerk: String,
    #[schema(value_type = String, example = "248.75")]
    pub bedrag: Money,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Termijn {
    pub maand: u32,
    pub vervaldatum: NaiveDate,
    #[schema(value_type = String, example = "34.72")]
    pub bedrag: Money,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Coordinatie {
    /// Wat de burger per maand aan u betaalt.
    #[schema(value_type = String, example = "150.00")]
    pub maandbedrag: Money,
    #[schema(value_type = String, example = "5400.00")]
    pub totaal: Money,
    pub schuldeisers: Vec<AandeelSchuldeiser>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AandeelSchuldeiser {
    pub code: String,
    #[schema(value_type = String, example = "1250.00")]
    pub totaal: Money,
    pub termijnen: Vec<Termijn>,
}

/// A Betalingsregeling Rijk that concerned you has ended.
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
