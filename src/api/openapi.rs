//! The OpenAPI document, generated from the handlers and types; committed as
//! `openapi/openapi.json` and served at `/api/v1/openapi.json`.

use std::sync::OnceLock;

use actix_web::{HttpResponse, get};
use utoipa::openapi::RefOr;
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::schema::{Object, Type};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Rijksincasso",
        version = "1.0.0",
        description = "Eén Vorderingenoverzicht Rijk per burger, één gemeenschappelijke beslagvrije voet, \
één Betalingsregeling Rijk over alle schuldeisers van het Rijk, en signalering van samenloop.\n\n\
Bedragen zijn teksten in euro met precies twee decimalen (\"1234.50\"); datums zijn ISO 8601 \
(\"2026-03-01\"); tijdstippen RFC 3339 met tijdzone. Fouten komen als application/problem+json \
(RFC 9457), bij ongeldige invoer met alle fouten in `invalidParams`. Een burgerservicenummer staat \
nooit in een URL.",
        contact(name = "Rijksincasso (open source)", url = "https://github.com/rijksincasso/rijksincasso", email = "api@rijksincasso.nl"),
        license(name = "EUPL-1.2", identifier = "EUPL-1.2"),
    ),
    modifiers(&BearerAuth),
    tags(
        (name = "Schuldeisers", description = "Het register van schuldeisers"),
        (name = "Vorderingen", description = "Vorderingen die schuldeisers aanleveren en inzien"),
        (name = "Vorderingenoverzicht", description = "Alle vorderingen van het Rijk op één burger"),
        (name = "Machtigingen", description = "Een schuldhulpverlener laten meekijken en handelen"),
        (name = "Inzagelog", description = "Wie heeft mijn gegevens ingezien of gewijzigd"),
        (name = "Normen", description = "De gemeenschappelijke beslagvrije voet: normtabellen en berekeningen"),
        (name = "Betalingsregelingen", description = "Eén Betalingsregeling Rijk voor alle vorderingen van het Rijk"),
        (name = "Samenloop", description = "Beslagen, andere regelingen en samenloop"),
        (name = "Meldingen", description = "Wat een schuldeiser moet weten: regelingen en samenloop"),
        (name = "Schuldhulp", description = "Schuldhulptrajecten (de schuldenpauze) en saldo-opgaven voor schuldhulpverleners en burgers"),
        (name = "Beheer", description = "Gezondheid en documentatie van de dienst"),
    ),
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some(
                        "JWT met claim `rol` (burger, organisatie, schuldhulpverlener, beheerder) en \
                         `bsn` (burger) of `organisatie` (organisatie, schuldhulpverlener).",
                    ))
                    .build(),
            ),
        );
    }
}

/// What the document says besides its paths: info, tags, security schemes.
pub fn base() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

/// The document with its paths, completed with what every operation shares and no handler
/// repeats: the `API-Version` header on every response (API Design Rules, API-57).
pub fn complete(mut doc: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    let version = HeaderBuilder::new()
        .schema(Object::with_type(Type::String))
        .description(Some(
            "De volledige versie van de API die antwoordt, bijvoorbeeld 1.0.0.",
        ))
        .build();
    for item in doc.paths.paths.values_mut() {
        let operations = [
            &mut item.get,
            &mut item.post,
            &mut item.put,
            &mut item.patch,
            &mut item.delete,
        ];
        for operation in operations.into_iter().flatten() {
            for response in operation.responses.responses.values_mut() {
                if let RefOr::T(response) = response {
                    response
                        .headers
                        .insert("API-Version".to_owned(), version.clone());
                }
            }
        }
    }
    doc
}

/// The document as pretty JSON, with a final newline (the committed file's form).
pub fn to_json() -> String {
    let mut json = super::document()
        .to_pretty_json()
        .unwrap_or_else(|e| unreachable!("the generated document always serializes: {e}"));
    json.push('\n');
    json
}

/// This OpenAPI document.
#[utoipa::path(tag = "Beheer",
    responses((status = 200, description = "OpenAPI 3.1", content_type = "application/json")))]
#[get("/openapi.json")]
pub async fn serve() -> HttpResponse {
    static JSON: OnceLock<String> = OnceLock::new();
    HttpResponse::Ok()
        .content_type("application/json")
        .body(JSON.get_or_init(to_json).clone())
}
