//! The OpenAPI document, generated from the handlers and types; committed as
//! `openapi/openapi.json` and served at `/api/v1/openapi.json`.

use std::sync::OnceLock;

use actix_web::http::header;
use actix_web::{HttpResponse, get};
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::path::{HttpMethod, Operation, PathItem};
use utoipa::openapi::schema::{AdditionalProperties, ArrayItems, Object, Schema, Type};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::server::ServerBuilder;
use utoipa::openapi::{ContentBuilder, Ref, RefOr, Response, ResponseBuilder};
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
    // Relative: a client resolves every path against the host it fetched this document from.
    // `API_BASE`, with the major version in it; the probes name their own server.
    servers((url = "/api/v1", description = "Deze dienst, versie 1")),
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
                         `bsn` (burger), `organisatie` (organisatie, schuldhulpverlener) of `sub` \
                         (beheerder: wie het is, zoals het beheerlog hem noemt).",
                    ))
                    .build(),
            ),
        );
    }
}

/// The server URL every API path of the document is relative to. It carries the major version
/// (API-20; the linter's `nlgov:include-major-version-in-uri` reads it there, not in the paths).
/// The probes under `/health` are outside it and name their own server, `/`.
pub const API_BASE: &str = "/api/v1";

/// Each path of the document as a client calls it (its server's path joined with it), with its
/// operations.
pub fn called_paths(doc: utoipa::openapi::OpenApi) -> impl Iterator<Item = (String, PathItem)> {
    doc.paths.paths.into_iter().map(|(path, item)| {
        if item.servers.is_some() {
            (path, item)
        } else {
            (format!("{API_BASE}{path}"), item)
        }
    })
}

/// What the document says besides its paths: info, tags, security schemes.
pub fn base() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

/// The document with its paths, completed with what every operation shares and no handler
/// repeats: the `API-Version` header on every response (API-57), a 400 on every operation that
/// takes input, a 401 and 403 on every operation that needs a token, a 408, 413 and 415 on every
/// operation with a body, and a 503 on every operation that reaches the database (the server
/// answers them for all); then every API path made relative to `API_BASE`.
pub fn complete(mut doc: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    let version = HeaderBuilder::new()
        .schema(Object::with_type(Type::String))
        .description(Some(
            "De volledige versie van de API die antwoordt, bijvoorbeeld 1.0.0.",
        ))
        .build();
    for (path, item) in doc.paths.paths.iter_mut() {
        let operations = [
            (HttpMethod::Get, &mut item.get),
            (HttpMethod::Post, &mut item.post),
            (HttpMethod::Put, &mut item.put),
            (HttpMethod::Patch, &mut item.patch),
            (HttpMethod::Delete, &mut item.delete),
        ];
        for (method, operation) in operations {
            let Some(operation) = operation else { continue };
            add_shared_problems(method, operation);
            if is_public_api(path, operation) {
                add_rate_limit(operation);
            }
            for response in operation.responses.responses.values_mut() {
                if let RefOr::T(response) = response {
                    response
                        .headers
                        .insert("API-Version".to_owned(), version.clone());
                }
            }
        }
    }
    close_request_schemas(&mut doc);
    doc.paths.paths = std::mem::take(&mut doc.paths.paths)
        .into_iter()
        .map(|(path, mut item)| match path.strip_prefix(API_BASE) {
            Some(relative) => (relative.to_owned(), item),
            None => {
                item.servers = Some(vec![
                    ServerBuilder::new()
                        .url("/")
                        .description(Some("Deze dienst; de proeven staan naast de API"))
                        .build(),
                ]);
                (path, item)
            }
        })
        .collect();
    doc
}

/// Request bodies are read strictly: a field their schema does not name is reported as
/// `onbekend_veld` (`api::input`). So each schema a request body uses, and each inside it, is
/// closed: an object by `additionalProperties: false`, an `allOf` as a whole (below, [`close`]).
fn close_request_schemas(doc: &mut utoipa::openapi::OpenApi) {
    let mut pending: Vec<(String, Closing)> = Vec::new();
    for item in doc.paths.paths.values_mut() {
        let operations = [
            &mut item.post,
            &mut item.put,
            &mut item.patch,
            &mut item.get,
            &mut item.delete,
        ];
        for body in operations
            .into_iter()
            .flatten()
            .filter_map(|o| o.request_body.as_mut())
        {
            for content in body.content.values_mut() {
                if let Some(schema) = content.schema.as_mut() {
                    close(schema, Closing::Itself, &mut pending);
                }
            }
        }
    }
    let Some(components) = doc.components.as_mut() else {
        return;
    };
    let mut closed = std::collections::HashMap::new();
    while let Some((name, closing)) = pending.pop() {
        match closed.get(&name) {
            Some(done) if *done == closing => {}
            // One schema cannot say both; the component would have to be split in two.
            Some(_) => panic!(
                "component schema {name} is both closed on its own and a part of an allOf closed \
                 as a whole: give the part a component of its own"
            ),
            None => {
                closed.insert(name.clone(), closing);
                if let Some(schema) = components.schemas.get_mut(&name) {
                    close(schema, closing, &mut pending);
                }
            }
        }
    }
}

/// How a schema of a request body is closed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Closing {
    /// By itself: `additionalProperties: false` on an object, `unevaluatedProperties: false` on
    /// an `allOf`.
    Itself,
    /// Not at its top level, as a part of an `allOf` that is closed as a whole: JSON Schema
    /// applies `additionalProperties` of a part to that part alone, so a closed part would refuse
    /// every field its sibling parts declare.
    AsPartOfAllOf,
}

/// Closes `schema` as `closing` says, and everything inline in it by itself; the component
/// schemas it refers to are added to `refs`, with how each must be closed.
fn close(schema: &mut RefOr<Schema>, closing: Closing, refs: &mut Vec<(String, Closing)>) {
    let schema = match schema {
        RefOr::Ref(reference) => {
            if let Some(name) = reference.ref_location.rsplit('/').next() {
                refs.push((name.to_owned(), closing));
            }
            return;
        }
        RefOr::T(schema) => schema,
    };
    match schema {
        Schema::Object(object) => {
            if closing == Closing::Itself && !object.properties.is_empty() {
                object.additional_properties =
                    Some(Box::new(AdditionalProperties::FreeForm(false)));
            }
            for property in object.properties.values_mut() {
                close(property, Closing::Itself, refs);
            }
        }
        Schema::Array(array) => {
            if let ArrayItems::RefOrSchema(items) = &mut array.items {
                close(items, Closing::Itself, refs);
            }
        }
        // A branch's fields count for an allOf around it, so a branch is closed as its parent.
        Schema::OneOf(one) => one.items.iter_mut().for_each(|s| close(s, closing, refs)),
        Schema::AnyOf(any) => any.items.iter_mut().for_each(|s| close(s, closing, refs)),
        Schema::AllOf(all) => {
            if closing == Closing::Itself {
                // `unevaluatedProperties` (JSON Schema 2020-12, so OpenAPI 3.1) sees the fields
                // every part declares. utoipa 5 has no field for it; `extensions` is a flattened
                // map that serialises any key as it is.
                all.extensions
                    .get_or_insert_with(Default::default)
                    .insert("unevaluatedProperties".to_owned(), false.into());
            }
            for part in &mut all.items {
                close(part, Closing::AsPartOfAllOf, refs);
            }
        }
        _ => {}
    }
}

/// The operations answered without the database; every other one reaches it (through
/// `Services::run` or `read`, or the readiness check) and answers 503 while it is unavailable.
const WITHOUT_DATABASE: [&str; 2] = ["gezondheidLevend", "openapiDocument"];

fn add_shared_problems(method: HttpMethod, operation: &mut Operation) {
    let has_body = operation.request_body.is_some();
    let needs_token = operation.security.as_ref().is_some_and(|s| !s.is_empty());
    let takes_input = has_body
        || operation.parameters.as_ref().is_some_and(|p| !p.is_empty())
        || matches!(
            method,
            HttpMethod::Post | HttpMethod::Put | HttpMethod::Patch
        );
    let reaches_database = operation
        .operation_id
        .as_deref()
        .is_none_or(|id| !WITHOUT_DATABASE.contains(&id));
    let responses = &mut operation.responses.responses;
    if takes_input {
        responses
            .entry("400".into())
            .or_insert_with(|| problem("Ongeldige invoer: elke fout staat in `invalidParams`."));
    }
    if needs_token {
        responses.entry("401".into()).or_insert_with(|| {
            problem("Geen token, of een token dat niet geldig is voor deze dienst.")
        });
        responses.entry("403".into()).or_insert_with(|| {
            problem("Uw rol of organisatie mag dit niet, of niet voor deze burger.")
        });
    }
    if has_body {
        // The JSON extractor and `body_deadline` answer these for every body.
        responses.entry("408".into()).or_insert_with(|| {
            problem("De body kwam niet op tijd binnen; stuur het verzoek opnieuw.")
        });
        responses.entry("413".into()).or_insert_with(|| {
            problem(&format!(
                "De body is groter dan {} bytes; stuur het in kleinere delen.",
                super::MAX_BODY_BYTES
            ))
        });
        responses.entry("415".into()).or_insert_with(|| {
            problem(
                "De body is geen JSON: `Content-Type` moet application/json zijn, of een ander \
                 JSON-type zoals application/merge-patch+json.",
            )
        });
    }
    if reaches_database {
        responses.entry("503".into()).or_insert_with(|| {
            retry_after(problem(
                "De database is tijdelijk niet bereikbaar; probeer het na `Retry-After` seconden \
                 opnieuw.",
            ))
        });
    }
}

/// An API operation anyone may call without a token; the document itself is left out, as it is
/// served from memory.
fn is_public_api(path: &str, operation: &Operation) -> bool {
    path.starts_with("/api/")
        && path != "/api/v1/openapi.json"
        && operation.security.as_ref().is_none_or(|s| s.is_empty())
}

/// Public operations are rate-limited per client; the server limits exactly the operations
/// that declare this 429 (`public_limit`).
fn add_rate_limit(operation: &mut Operation) {
    let response = retry_after(problem(
        "Te veel verzoeken van dit adres; probeer het na `Retry-After` seconden opnieuw.",
    ));
    operation.responses.responses.insert("429".into(), response);
}

/// `response` with the `Retry-After` header the server sends with it (`ApiError`).
fn retry_after(mut response: RefOr<Response>) -> RefOr<Response> {
    if let RefOr::T(response) = &mut response {
        response.headers.insert(
            "Retry-After".to_owned(),
            HeaderBuilder::new()
                .schema(Object::with_type(Type::Integer))
                .description(Some("Na hoeveel seconden een nieuw verzoek kan."))
                .build(),
        );
    }
    response
}

fn problem(description: &str) -> RefOr<Response> {
    RefOr::T(
        ResponseBuilder::new()
            .description(description)
            .content(
                super::error::PROBLEM_JSON,
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("Problem")))
                    .build(),
            )
            .build(),
    )
}

/// The document as pretty JSON, with a final newline (the committed file's form).
pub fn to_json() -> String {
    let mut json = super::document()
        .to_pretty_json()
        .unwrap_or_else(|e| unreachable!("the generated document always serializes: {e}"));
    json.push('\n');
    json
}

/// Dit OpenAPI-document
///
/// Openbaar en voor elke herkomst leesbaar (CORS), zodat ontwikkelaars en hulpmiddelen het
/// rechtstreeks kunnen ophalen (API-51).
#[utoipa::path(tag = "Beheer", operation_id = "openapiDocument",
    responses((status = 200, description = "OpenAPI 3.1", content_type = "application/json",
        headers(("Access-Control-Allow-Origin" = String,
            description = "Altijd `*`: het document is openbaar.")))))]
#[get("/openapi.json")]
pub async fn serve() -> HttpResponse {
    static JSON: OnceLock<String> = OnceLock::new();
    HttpResponse::Ok()
        .content_type("application/json")
        .insert_header((header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"))
        .body(JSON.get_or_init(to_json).clone())
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};
    use utoipa::openapi::path::OperationBuilder;
    use utoipa::openapi::request_body::RequestBodyBuilder;
    use utoipa::openapi::schema::{AllOfBuilder, ArrayBuilder, ObjectBuilder, OneOfBuilder};
    use utoipa::openapi::{ComponentsBuilder, OpenApiBuilder, PathsBuilder};

    use super::*;

    /// The document with one operation, taking `body`, and these component schemas, closed.
    fn closed(body: RefOr<Schema>, components: Vec<(&str, RefOr<Schema>)>) -> Value {
        let operation = OperationBuilder::new().request_body(Some(
            RequestBodyBuilder::new()
                .content(
                    "application/json",
                    ContentBuilder::new().schema(Some(body)).build(),
                )
                .build(),
        ));
        let mut doc = OpenApiBuilder::new()
            .paths(PathsBuilder::new().path("/x", PathItem::new(HttpMethod::Post, operation)))
            .components(Some(
                ComponentsBuilder::new()
                    .schemas_from_iter(components)
                    .build(),
            ))
            .build();
        close_request_schemas(&mut doc);
        serde_json::to_value(&doc).unwrap()
    }

    fn text() -> ObjectBuilder {
        ObjectBuilder::new().schema_type(Type::String)
    }

    #[test]
    fn an_all_of_is_closed_as_a_whole_and_its_parts_only_inside() {
        let kind = ObjectBuilder::new()
            .property("type", text())
            .required("type");
        let event = OneOfBuilder::new().item(
            AllOfBuilder::new()
                .item(Ref::from_schema_name("Betaling"))
                .item(kind),
        );
        let payment = ObjectBuilder::new()
            .property("bedrag", text())
            .property("rekening", ObjectBuilder::new().property("iban", text()));
        let batch = ObjectBuilder::new().property(
            "gebeurtenissen",
            ArrayBuilder::new().items(Ref::from_schema_name("Gebeurtenis")),
        );
        let doc = closed(
            batch.into(),
            vec![("Gebeurtenis", event.into()), ("Betaling", payment.into())],
        );
        let body = &doc["paths"]["/x"]["post"]["requestBody"]["content"]["application/json"];
        assert_eq!(body["schema"]["additionalProperties"], false);
        let schemas = &doc["components"]["schemas"];
        let all_of = &schemas["Gebeurtenis"]["oneOf"][0];
        assert_eq!(all_of["unevaluatedProperties"], false);
        assert_eq!(all_of["allOf"][1]["additionalProperties"], Value::Null);
        assert_eq!(schemas["Betaling"]["additionalProperties"], Value::Null);
        assert_eq!(
            schemas["Betaling"]["properties"]["rekening"]["additionalProperties"],
            json!(false),
            "inside a part, an object is closed by itself"
        );
    }

    #[test]
    #[should_panic(expected = "both closed on its own and a part of an allOf")]
    fn a_component_needed_both_closed_and_open_is_refused() {
        let body = ObjectBuilder::new()
            .property("betaling", Ref::from_schema_name("Betaling"))
            .property(
                "gebeurtenis",
                AllOfBuilder::new()
                    .item(Ref::from_schema_name("Betaling"))
                    .item(ObjectBuilder::new().property("type", text())),
            );
        let payment = ObjectBuilder::new().property("bedrag", text());
        closed(body.into(), vec![("Betaling", payment.into())]);
    }
}
