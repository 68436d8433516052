//! Schema-only types: how a wire value looks where the Rust field type (a leniently read
//! `Field`, a `Money`, a domain enum) says too little, so that the document states what the
//! server enforces.

use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::{PartialSchema, ToSchema};

use crate::domain::claims::{Phase, SurchargeCategory};
use crate::domain::household::HouseholdType;

fn text(description: &str) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some(description))
}

pub use crate::domain::money::{Bedrag, Invoerbedrag};

/// A parameter of a norm table: an amount in euro or a percentage as the law writes it.
pub struct Getal;

impl PartialSchema for Getal {
    fn schema() -> RefOr<Schema> {
        text(
            "Een exact getal als tekst met een punt als decimaalteken: een bedrag in euro of een \
             percentage zoals de wet het schrijft (\"13.730\" is 13,730%). Hoogstens zes decimalen.",
        )
        .pattern(Some(r"^[0-9]{1,12}(\.[0-9]{1,6})?$"))
        .examples(["13.730"])
        .into()
    }
}

impl ToSchema for Getal {}

/// A BSN as the body carries it; the elfproef is checked too, which a pattern cannot say.
pub struct Burgerservicenummer;

impl PartialSchema for Burgerservicenummer {
    fn schema() -> RefOr<Schema> {
        text("Negen cijfers die voldoen aan de elfproef. Staat nooit in een URL.")
            .pattern(Some("^[0-9]{9}$"))
            .examples(["999996356"])
            .into()
    }
}

impl ToSchema for Burgerservicenummer {}

/// A schema for a domain enum, listing its codes from the domain itself.
macro_rules! code_schema {
    ($name:ident, $domain:ty, $description:literal) => {
        pub struct $name;

        impl PartialSchema for $name {
            fn schema() -> RefOr<Schema> {
                text($description)
                    .enum_values(Some(<$domain>::ALL.iter().map(|v| v.code())))
                    .into()
            }
        }

        impl ToSchema for $name {}
    };
}

code_schema!(Fase, Phase, "De invorderingsfase.");
code_schema!(
    Trajectfase,
    crate::domain::schuldhulptraject::TrajectoryPhase,
    "De fase van de gemeentelijke schuldhulpverlening."
);
code_schema!(Ophogingscategorie, SurchargeCategory, "Het soort ophoging.");
code_schema!(Leefvorm, HouseholdType, "De leefvorm van het huishouden.");
