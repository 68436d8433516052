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
}

impl Melding {
    pub fn kind(&self) -> &'static str {
        match self {
            Melding::RegelingGestart(_) => "REGELING_GESTART",
            Melding::RegelingBeeindigd(_) => "REGELING_BEEINDIGD",
        }
    }
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
