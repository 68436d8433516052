//! How one claim is shown, to its creditor and in the citizen's overview.

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

use super::schemas::{Bedrag, Fase, Ophogingscategorie};
use crate::domain::money::Money;
use crate::domain::overview::{ClaimRecord, SurchargeLine};

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Vordering {
    #[schema(example = "01932f6e-7c1a-7d3b-9a52-3f0c2b1e4d5a")]
    id: String,
    #[schema(example = "CJIB-2026-000123")]
    vorderingkenmerk: String,
    zaakkenmerk: Option<String>,
    #[schema(example = "cjib_wahv_boete")]
    vorderingtype: String,
    #[schema(example = "Verkeersboete A12, 3 maart 2026")]
    omschrijving: String,
    /// Het oorspronkelijk opgelegde bedrag.
    #[schema(value_type = Bedrag, example = "239.00")]
    oorspronkelijk_bedrag: Money,
    /// Elke verhoging, rente of kostenpost apart.
    ophogingen: Vec<Ophoging>,
    #[schema(value_type = Bedrag, example = "59.75")]
    totaal_ophogingen: Money,
    /// Wat er is betaald, min wat daarvan is teruggeboekt (`BetalingTeruggeboekt`).
    #[schema(value_type = Bedrag, example = "50.00")]
    betaald: Money,
    #[schema(value_type = Bedrag, example = "0.00")]
    kwijtgescholden: Money,
    /// Oorspronkelijk bedrag + ophogingen − betaald − kwijtgescholden; 0.00 als ingetrokken.
    #[schema(value_type = Bedrag, example = "248.75")]
    openstaand: Money,
    /// OPENSTAAND, VOLDAAN of INGETROKKEN.
    #[schema(example = "OPENSTAAND")]
    status: &'static str,
    #[schema(value_type = Fase, example = "AANMANING")]
    fase: &'static str,
    /// Loopt er bezwaar of beroep?
    betwist: bool,
    #[schema(example = "2026-03-10")]
    opgelegd_op: NaiveDate,
    #[schema(example = "2026-04-21")]
    vervaldatum: NaiveDate,
    /// Valt de vordering onder een lopende Betalingsregeling Rijk?
    in_regeling: bool,
    intrekking: Option<Intrekking>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Ophoging {
    #[schema(value_type = Ophogingscategorie, example = "VERHOGING")]
    categorie: &'static str,
    #[schema(value_type = Bedrag, example = "59.75")]
    bedrag: Money,
    #[schema(example = "2026-05-01")]
    datum: NaiveDate,
    #[schema(example = "Eerste aanmaning: verhoging 25%")]
    omschrijving: String,
}

#[derive(Serialize, ToSchema)]
pub struct Intrekking {
    datum: NaiveDate,
    reden: String,
}

impl From<&SurchargeLine> for Ophoging {
    fn from(line: &SurchargeLine) -> Ophoging {
        Ophoging {
            categorie: line.category.code(),
            bedrag: line.amount,
            datum: line.date,
            omschrijving: line.description.clone(),
        }
    }
}

impl From<&ClaimRecord> for Vordering {
    fn from(c: &ClaimRecord) -> Vordering {
        let ledger = &c.ledger;
        Vordering {
            id: c.id.clone(),
            vorderingkenmerk: c.claim_key.clone(),
            zaakkenmerk: c.case_key.clone(),
            vorderingtype: c.claim_type.clone(),
            omschrijving: c.description.clone(),
            oorspronkelijk_bedrag: ledger.original,
            ophogingen: c.surcharges.iter().map(Ophoging::from).collect(),
            totaal_ophogingen: ledger.surcharges,
            betaald: ledger.paid,
            kwijtgescholden: ledger.remitted,
            openstaand: ledger.outstanding(),
            status: ledger.status().code(),
            fase: ledger.phase.code(),
            betwist: ledger.disputed,
            opgelegd_op: c.imposed_on,
            vervaldatum: c.due_date,
            in_regeling: c.in_arrangement,
            intrekking: ledger.withdrawal.as_ref().map(|w| Intrekking {
                datum: w.date,
                reden: w.reason.clone(),
            }),
        }
    }
}
