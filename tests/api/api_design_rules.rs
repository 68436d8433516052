//! The Dutch government API Design Rules (ADR 2.x, Logius), checked by name over the generated
//! OpenAPI document, the way the Logius linter does it.
//!
//! Sources: the GitHub repository `Logius-standaarden/API-Design-Rules` (as of May 2026): its rules
//! text ("The core set of Design Rules", rule ids such as `/core/version-header`; the older rules
//! also keep their number, here API-57) and the Spectral linter configuration published with it (also served
//! as the ADR linter ruleset by developer.overheid.nl). Each test below is named after one linter
//! rule (`nlgov:missing-header` → `nlgov_missing_header_…`, Spectral's own `oas3-api-servers` →
//! `oas3_api_servers_…`) or, where the linter has no rule, after the ADR rule id. Nothing here is
//! copied from the ruleset; every check is written out in Rust, and where it differs from the
//! linter it says so.
//!
//! | test | ADR rule | what it checks |
//! |---|---|---|
//! | `nlgov_openapi3_…` | API-16 `/core/doc-openapi` | `openapi` is present and 3.x (`nlgov:openapi-root-exists`, `nlgov:openapi3`) |
//! | `api_16_doc_openapi_…` | API-16 | every `$ref` resolves inside the document, and there are paths |
//! | `api_16_doc_openapi_every_response_…` | API-16 | every response says what it means: a `description` that is not empty (OpenAPI requires the member; an empty one documents nothing) |
//! | `nlgov_missing_header_…` | API-57 `/core/version-header` | every response declares the `API-Version` header (`nlgov:missing-header`, `nlgov:missing-version-header`; those only look at 2xx/3xx, this test at every response, as the rule's statement says) |
//! | `nlgov_problem_invalid_input_…` | `/core/error-handling/invalid-input` | an operation with input (parameters or body; every PUT, POST, PATCH) declares 400 with a problem body |
//! | `nlgov_use_problem_schema_…` | `/core/error-handling/problem-details` | 4xx/5xx responses have a body, and only `application/problem+json` or `+xml` (the linter: at least one of them) |
//! | `nlgov_problem_schema_members_…` | same | problem schemas declare and require `status`, `title`, `detail` (the linter) and `type` (this project) |
//! | `operation_operation_id_unique_…` | API-51 `/core/publish-openapi` | every operation has an `operationId`, and no two the same (`operation-operationId-unique`) |
//! | `oas3_api_servers_…` | API-51 | `servers` is present and non-empty, every `url` non-empty |
//! | `oas3_server_variables_…` | API-51 | variables in server URLs are defined, with a default |
//! | `nlgov_servers_use_https_…` | `/core/transport/tls` | no server URL starts with `http://` (relative URLs are allowed) |
//! | `api_20_uri_version_…_repeated_segments` | API-20 `/core/uri-version` | server URL + path never repeats segments (`/api/v1/api/v1`) |
//! | `nlgov_include_major_version_in_uri_…` | API-20 | every server URL + path has exactly one `/v{major}`, matching `info.version`, and every document-level server URL has it (all the linter looks at) |
//! | `info_contact_…` | `/core/doc-openapi-contact` | `info.contact` with `name`, `url` (https), `email` (an address) (`info-contact`, `nlgov:info-contact-fields-exist`) |
//! | `nlgov_semver_…` | API-56 `/core/semver` | `info.version` is a semantic version |
//! | `nlgov_paths_no_trailing_slash_…` | API-48 `/core/no-trailing-slash` | no path but `/` ends in `/` (`path-keys-no-trailing-slash`, `nlgov:paths-no-trailing-slash`) |
//! | `nlgov_paths_kebab_case_…` | `/core/path-segments-kebab-case` | segments of server URL + path are kebab-case, no file extensions but `openapi.json`/`.yaml`, a last segment may be `_operation` |
//! | `nlgov_query_keys_camel_case_…` | `/core/query-keys-camel-case` | query parameter (and API key) names are lowerCamelCase |
//! | `nlgov_property_casing_…` | naming conventions | every property name, in every schema (nested, `items`, `allOf`/`oneOf`/`anyOf`, inline) is lowerCamelCase (the linter's rule of this name only looks at `_links`) |
//! | `nlgov_schema_camel_case_…` | naming conventions | component schema names are UpperCamelCase |
//! | `nlgov_specify_format_for_date_and_time_…` | `/core/date-time/format` | a string field that names a date or an instant has `format: date` or `date-time`; those formats sit on `type: string` |
//! | `nlgov_use_date_instead_of_datetime_…` | `/core/date-time/date-omit-time-portion` | a field named a date (`…datum`, `…Date`) is `date`, not `date-time` |
//! | `nlgov_date_time_ensure_timezone_…` | `/core/date-time/timezone` | no `format: date-time-local` |
//! | `nlgov_time_without_timezone_…` | `/core/date-time/format` | a time of day is `time-local`, not `time` |
//! | `adr_validate_content_types_…` | "Validate content types" (transport security) | an operation with a request body declares 415 |
//! | `api_51_publish_openapi_…` | API-51 `/core/publish-openapi` | `GET <base path>/openapi.json` exists, needs no login, and declares `Access-Control-Allow-Origin` (the linter dropped its rules for this; the ADR text still asks it) |
//! | `nlgov_http_methods_…` | API-03 `/core/http-methods` | only GET, PUT, POST, PATCH, DELETE |
//! | `path_params_…` | API-16 | every `{name}` in a path is a required path parameter and vice versa (`path-params`) |
//! | `openapi_tags_uniqueness_…` | API-16 | tag names are unique (`openapi-tags-uniqueness`) |
//! | `api_05_api_10_…` | API-05 `/core/naming-resources`, API-10 `/core/resource-operations` | heuristic: a path segment that is a verb (`opvragen`, `beeindigen`, …) is only the last one, a dedicated operation reached with GET or POST (API-10, third approach) |
//! | `api_17_doc_language_…` | API-17 `/core/doc-language` (SHOULD) | heuristic: summaries, descriptions and titles contain no English function words |
//!
//! Not checked here (they need a JSON Schema validator or are not visible in the document):
//! `oas3-schema`, `oas3-valid-media-example`, `oas3-valid-schema-example`, API-54 (plural
//! collection names), API-53 (hide implementation), and everything about runtime behaviour.
//!
//! Each rule is a function from a document to its violations; the `#[test]` runs it on the
//! generated document and fails with the rule's name and every violation. The last tests run all
//! of them on a small conforming document (no false positives) and on one that breaks every rule
//! (no check is silent), the way the Logius linter has a baseline and a test case per rule.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use serde_json::{Value, json};

// ---------------------------------------------------------------------------------------------
// The document, its operations, and how a rule reports

/// The generated document, parsed once.
fn doc() -> &'static Value {
    static DOC: OnceLock<Value> = OnceLock::new();
    DOC.get_or_init(|| {
        serde_json::from_str(&rijksincasso::api::openapi::to_json())
            .expect("the generated OpenAPI document is JSON")
    })
}

/// Every violation of one rule, sorted and without duplicates.
type Violations = BTreeSet<String>;

/// Passes when there are no violations; fails with the rule's name and every violation.
fn assert_rule(rule: &str, violations: Violations) {
    if violations.is_empty() {
        return;
    }
    let list: String = violations.iter().map(|v| format!("\n  - {v}")).collect();
    panic!(
        "{rule}: {} violation(s) in the generated OpenAPI document:{list}",
        violations.len()
    );
}

/// What a local `$ref` (`#/components/schemas/Beslag`) points to, if anything.
fn target<'a>(doc: &'a Value, reference: &str) -> Option<&'a Value> {
    doc.pointer(reference.strip_prefix('#')?)
}

/// Follows `$ref`s until a value without one. A `$ref` that does not resolve is returned as is
/// (`api_16_doc_openapi_…` reports it).
fn resolve<'a>(doc: &'a Value, value: &'a Value) -> &'a Value {
    let mut current = value;
    for _ in 0..32 {
        match current
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| target(doc, r))
        {
            Some(next) => current = next,
            None => break,
        }
    }
    current
}

/// The members of a JSON object, or none.
fn entries(value: &Value) -> impl Iterator<Item = (&String, &Value)> {
    value.as_object().into_iter().flatten()
}

/// The elements of a JSON array, or none.
fn elements(value: &Value) -> impl Iterator<Item = &Value> {
    value.as_array().into_iter().flatten()
}

/// The HTTP methods an OpenAPI path item can hold.
const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// One operation: a method on a path.
struct Operation<'a> {
    path: &'a str,
    method: &'static str,
    item: &'a Value,
    op: &'a Value,
}

/// Every operation in the document, in path order.
fn operations(doc: &Value) -> Vec<Operation<'_>> {
    let mut found = Vec::new();
    for (path, item) in entries(&doc["paths"]) {
        let item = resolve(doc, item);
        for method in METHODS {
            if let Some(op) = item.get(method) {
                found.push(Operation {
                    path,
                    method,
                    item,
                    op,
                });
            }
        }
    }
    found
}

impl<'a> Operation<'a> {
    /// `GET /api/v1/vorderingen (list)`: how violations name the operation.
    fn label(&self) -> String {
        let id = self.op["operationId"].as_str().unwrap_or("no operationId");
        format!("{} {} ({id})", self.method.to_uppercase(), self.path)
    }

    /// The parameters that apply: the path item's, overridden by the operation's (same name and
    /// `in`), each resolved.
    fn parameters(&self, doc: &'a Value) -> Vec<&'a Value> {
        let mut by_key: BTreeMap<(String, String), &'a Value> = BTreeMap::new();
        for parameter in elements(&self.item["parameters"]).chain(elements(&self.op["parameters"]))
        {
            let parameter = resolve(doc, parameter);
            let key = (
                parameter["in"].as_str().unwrap_or_default().to_owned(),
                parameter["name"].as_str().unwrap_or_default().to_owned(),
            );
            by_key.insert(key, parameter);
        }
        by_key.into_values().collect()
    }

    fn request_body(&self, doc: &'a Value) -> Option<&'a Value> {
        self.op.get("requestBody").map(|body| resolve(doc, body))
    }

    /// Status code (or `default`) and the resolved response.
    fn responses(&self, doc: &'a Value) -> Vec<(&'a str, &'a Value)> {
        entries(&self.op["responses"])
            .map(|(code, response)| (code.as_str(), resolve(doc, response)))
            .collect()
    }

    /// The server URLs that apply: the operation's, else the path item's, else the document's,
    /// else `/` (the OpenAPI default).
    fn server_urls(&self, doc: &'a Value) -> Vec<&'a str> {
        [&self.op["servers"], &self.item["servers"], &doc["servers"]]
            .into_iter()
            .find(|servers| servers.as_array().is_some_and(|s| !s.is_empty()))
            .map(|servers| {
                elements(servers)
                    .filter_map(|s| s["url"].as_str())
                    .collect()
            })
            .unwrap_or_else(|| vec!["/"])
    }

    /// The URL paths a client calls: each server URL's path joined with the operation's path.
    fn full_paths(&self, doc: &'a Value) -> Vec<String> {
        self.server_urls(doc)
            .into_iter()
            .map(|url| join(url, self.path))
            .collect()
    }
}

/// The path part of a server URL: `https://host/api/v1` → `/api/v1`, `/api/v1` → `/api/v1`.
fn server_path(url: &str) -> String {
    let path = match url.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("", |i| &rest[i..]),
        None => url,
    };
    let path = path.trim_end_matches('/');
    if path.is_empty() || path.starts_with('/') {
        path.to_owned()
    } else {
        format!("/{path}")
    }
}

/// Server URL + path, as a client calls it.
fn join(server_url: &str, path: &str) -> String {
    format!("{}{path}", server_path(server_url))
}

/// The non-empty segments of a URL path.
fn segments(path: &str) -> Vec<&str> {
    path.split('/').filter(|s| !s.is_empty()).collect()
}

fn is_template(segment: &str) -> bool {
    segment.starts_with('{') && segment.ends_with('}')
}

/// `v1` → `Some("1")`: a segment that is `v` and the major version only.
fn version_segment(segment: &str) -> Option<&str> {
    let digits = segment.strip_prefix('v')?;
    (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())).then_some(digits)
}

/// Media types and their entries of a request body or response.
fn media_types(value: &Value) -> Vec<(&str, &Value)> {
    entries(&value["content"])
        .map(|(media, entry)| (media.as_str(), entry))
        .collect()
}

fn is_problem_media(media: &str) -> bool {
    let essence = media.split(';').next().unwrap_or_default().trim();
    essence.eq_ignore_ascii_case("application/problem+json")
        || essence.eq_ignore_ascii_case("application/problem+xml")
}

fn is_error_status(code: &str) -> bool {
    code.starts_with('4') || code.starts_with('5')
}

/// Does this map of headers hold `name` (header names are case-insensitive)?
fn declares_header(response: &Value, name: &str) -> bool {
    entries(&response["headers"]).any(|(header, _)| header.eq_ignore_ascii_case(name))
}

/// Every server object, with where it is: the document's, each path item's, each operation's.
fn all_servers(doc: &Value) -> Vec<(String, &Value)> {
    let mut found: Vec<(String, &Value)> = elements(&doc["servers"])
        .enumerate()
        .map(|(i, s)| (format!("servers[{i}]"), s))
        .collect();
    for (path, item) in entries(&doc["paths"]) {
        for (i, s) in elements(&item["servers"]).enumerate() {
            found.push((format!("paths.{path}.servers[{i}]"), s));
        }
    }
    for operation in operations(doc) {
        for (i, s) in elements(&operation.op["servers"]).enumerate() {
            found.push((format!("{} servers[{i}]", operation.label()), s));
        }
    }
    found
}

// ---------------------------------------------------------------------------------------------
// Schemas

/// Where schemas start: every component schema (named by its name), and every inline schema of
/// an operation's parameters, request body, responses and response headers. The walk below does
/// not follow `$ref`: the schema it points to is a component and walked as a root of its own, so
/// nothing is reported twice and cycles cannot loop.
fn schema_roots(doc: &Value) -> Vec<(String, &Value)> {
    let mut roots: Vec<(String, &Value)> = entries(&doc["components"]["schemas"])
        .map(|(name, schema)| (name.clone(), schema))
        .collect();
    for operation in operations(doc) {
        let label = operation.label();
        for parameter in operation.parameters(doc) {
            let name = parameter["name"].as_str().unwrap_or_default();
            if let Some(schema) = parameter.get("schema") {
                roots.push((format!("{label} parameter `{name}`"), schema));
            }
        }
        if let Some(body) = operation.request_body(doc) {
            for (media, entry) in media_types(body) {
                if let Some(schema) = entry.get("schema") {
                    roots.push((format!("{label} request body {media}"), schema));
                }
            }
        }
        for (code, response) in operation.responses(doc) {
            for (media, entry) in media_types(response) {
                if let Some(schema) = entry.get("schema") {
                    roots.push((format!("{label} response {code} {media}"), schema));
                }
            }
            for (header, definition) in entries(&response["headers"]) {
                if let Some(schema) = resolve(doc, definition).get("schema") {
                    roots.push((format!("{label} response {code} header {header}"), schema));
                }
            }
        }
    }
    roots
}

/// `schema` and every schema nested in it (properties, `items`, `additionalProperties`, `not`,
/// `allOf`/`oneOf`/`anyOf`, `prefixItems`), each with its location.
fn walk_schema<'a>(schema: &'a Value, at: String, found: &mut Vec<(String, &'a Value)>) {
    for (name, property) in entries(&schema["properties"]) {
        walk_schema(property, format!("{at}.{name}"), found);
    }
    for key in ["items", "additionalProperties", "not", "contains"] {
        if schema[key].is_object() {
            walk_schema(&schema[key], format!("{at}/{key}"), found);
        }
    }
    for key in ["allOf", "oneOf", "anyOf", "prefixItems"] {
        for (i, sub) in elements(&schema[key]).enumerate() {
            walk_schema(sub, format!("{at}/{key}[{i}]"), found);
        }
    }
    found.push((at, schema));
}

/// Every schema in the document, nested ones included, each with its location.
fn all_schemas(doc: &Value) -> Vec<(String, &Value)> {
    let mut found = Vec::new();
    for (at, root) in schema_roots(doc) {
        walk_schema(root, at, &mut found);
    }
    found
}

/// Every property of every schema: location (`Beslag.einddatum`), name, and its schema.
fn all_properties(doc: &Value) -> Vec<(String, &str, &Value)> {
    let mut found = Vec::new();
    for (at, schema) in all_schemas(doc) {
        for (name, property) in entries(&schema["properties"]) {
            found.push((format!("{at}.{name}"), name.as_str(), property));
        }
    }
    found
}

/// The `type`s and `format`s a schema admits, looking through `$ref`, `allOf`, `oneOf` and
/// `anyOf`: `oneOf: [{type: null}, {$ref: Beeindiging}]` admits what `Beeindiging` does.
fn types_and_formats(doc: &Value, schema: &Value) -> (BTreeSet<String>, BTreeSet<String>) {
    fn collect(
        doc: &Value,
        schema: &Value,
        depth: usize,
        types: &mut BTreeSet<String>,
        formats: &mut BTreeSet<String>,
    ) {
        if depth > 16 {
            return;
        }
        let schema = resolve(doc, schema);
        match &schema["type"] {
            Value::String(t) => {
                types.insert(t.clone());
            }
            Value::Array(ts) => types.extend(ts.iter().filter_map(Value::as_str).map(Into::into)),
            _ => {}
        }
        if let Some(format) = schema["format"].as_str() {
            formats.insert(format.to_owned());
        }
        for key in ["allOf", "oneOf", "anyOf"] {
            for sub in elements(&schema[key]) {
                collect(doc, sub, depth + 1, types, formats);
            }
        }
    }
    let (mut types, mut formats) = (BTreeSet::new(), BTreeSet::new());
    collect(doc, schema, 0, &mut types, &mut formats);
    (types, formats)
}

/// The properties a problem schema declares and requires, through `$ref` and `allOf`.
fn declared_and_required(doc: &Value, schema: &Value) -> (BTreeSet<String>, BTreeSet<String>) {
    let schema = resolve(doc, schema);
    let mut declared: BTreeSet<String> = entries(&schema["properties"])
        .map(|(name, _)| name.clone())
        .collect();
    let mut required: BTreeSet<String> = elements(&schema["required"])
        .filter_map(Value::as_str)
        .map(Into::into)
        .collect();
    for part in elements(&schema["allOf"]) {
        let (d, r) = declared_and_required(doc, part);
        declared.extend(d);
        required.extend(r);
    }
    (declared, required)
}

// ---------------------------------------------------------------------------------------------
// Names

/// lowerCamelCase, as the ADR's query-key regex `^[a-z][a-z\d]*([A-Z][a-z\d]*)*$` has it: a
/// lowercase letter, then letters and digits only.
fn is_lower_camel(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase()) && chars.all(|c| c.is_ascii_alphanumeric())
}

/// UpperCamelCase: an uppercase letter, then letters and digits only.
fn is_upper_camel(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_uppercase()) && chars.all(|c| c.is_ascii_alphanumeric())
}

/// kebab-case: lowercase letters, digits, and hyphens between words only.
fn is_kebab(segment: &str) -> bool {
    !segment.is_empty()
        && segment
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !segment.starts_with('-')
        && !segment.ends_with('-')
        && !segment.contains("--")
}

/// Semantic Versioning 2.0.0: `MAJOR.MINOR.PATCH`, no leading zeros, optional `-pre.release`
/// and `+build`.
fn is_semver(version: &str) -> bool {
    let (rest, build) = match version.split_once('+') {
        Some((rest, build)) => (rest, Some(build)),
        None => (version, None),
    };
    let (core, pre) = match rest.split_once('-') {
        Some((core, pre)) => (core, Some(pre)),
        None => (rest, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let number = |s: &str| digits(s) && (s == "0" || !s.starts_with('0'));
    let identifier =
        |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    let core: Vec<&str> = core.split('.').collect();
    core.len() == 3
        && core.iter().all(|part| number(part))
        && pre.is_none_or(|pre| {
            pre.split('.')
                .all(|id| identifier(id) && (!digits(id) || number(id)))
        })
        && build.is_none_or(|build| build.split('.').all(identifier))
}

/// The words of a property name: `eersteVervaldatum` → `eerste`, `vervaldatum`;
/// `expiration_date` → `expiration`, `date`.
fn words(name: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    let mut current = String::new();
    for c in name.chars() {
        if c == '_' || c == '-' || c.is_ascii_uppercase() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            if c == '_' || c == '-' {
                continue;
            }
        }
        current.push(c.to_ascii_lowercase());
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// What a field's name or description says it holds.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Temporal {
    /// A calendar date: `format: date`, never `date-time`.
    Date,
    /// A date or an instant: `format: date` or `date-time`.
    DateOrInstant,
}

/// The date heuristic, for property and parameter names (the ADR asks "if the field represents a
/// date, date-time or time"; the linter looks for `date`/`datum` in names):
///
/// - a word of the name ending in `datum`, or the word `date` (`startdatum`, `eersteVervaldatum`,
///   `geboorteDatum`, `birthDate`, `expiration_date`; not `update` or `mandate`): a date;
/// - a word ending in `tijdstip`, or `timestamp`: an instant;
/// - a last word `Op`, `Vanaf`, `Tot`, `Sinds`, `At`, `Since`, `Until` after another word
///   (`verleendOp`, `opgelegdOp`, `geldigVanaf`, `geldigTot`, `createdAt`): a date or an instant;
/// - a description with the word `datum` or `tijdstip`, or "RFC 3339" or "ISO 8601": a date or an
///   instant.
///
/// The tests apply it to string fields only: a name like `looptijdMaanden` or an integer
/// `aantalTot` is clearly not a date. [`NOT_A_DATE`] lists string fields that match but are not.
fn temporal(name: &str, description: &str) -> Option<Temporal> {
    let words = words(name);
    if words.iter().any(|w| w.ends_with("datum") || w == "date") {
        return Some(Temporal::Date);
    }
    let last = words.last().map(String::as_str).unwrap_or_default();
    let instant_word = words
        .iter()
        .any(|w| w.ends_with("tijdstip") || w == "timestamp");
    let suffix =
        words.len() > 1 && ["op", "vanaf", "tot", "sinds", "at", "since", "until"].contains(&last);
    let description = description.to_lowercase();
    let described = description
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| w == "datum" || w == "tijdstip")
        || description.contains("rfc 3339")
        || description.contains("iso 8601");
    (instant_word || suffix || described).then_some(Temporal::DateOrInstant)
}

/// String fields the date heuristic matches that are not dates: (location, why). Empty today.
const NOT_A_DATE: &[(&str, &str)] = &[];

/// Every field that can hold a date: each property of each schema and each parameter, with its
/// location, name, description and schema.
fn fields(doc: &Value) -> Vec<(String, &str, &str, &Value)> {
    let mut found: Vec<(String, &str, &str, &Value)> = all_properties(doc)
        .into_iter()
        .map(|(at, name, property)| {
            let description = resolve(doc, property)["description"]
                .as_str()
                .or_else(|| property["description"].as_str())
                .unwrap_or_default();
            (at, name, description, property)
        })
        .collect();
    for operation in operations(doc) {
        for parameter in operation.parameters(doc) {
            let name = parameter["name"].as_str().unwrap_or_default();
            let description = parameter["description"].as_str().unwrap_or_default();
            let location = parameter["in"].as_str().unwrap_or_default();
            found.push((
                format!("{} {location} parameter `{name}`", operation.label()),
                name,
                description,
                &parameter["schema"],
            ));
        }
    }
    found
}

// ---------------------------------------------------------------------------------------------
// API-16 /core/doc-openapi

#[test]
fn nlgov_openapi3_document_is_openapi_3() {
    assert_rule("nlgov:openapi3 (API-16 /core/doc-openapi)", openapi3(doc()));
}

fn openapi3(doc: &Value) -> Violations {
    let mut violations = Violations::new();
    match doc.get("openapi").and_then(Value::as_str) {
        None => {
            violations.insert("nlgov:openapi-root-exists: no `openapi` field at the root".into());
        }
        Some(version) => {
            let parts: Vec<&str> = version.split('.').collect();
            let numeric = parts
                .iter()
                .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
            if parts[0] != "3" || !(2..=3).contains(&parts.len()) || !numeric {
                violations.insert(format!("`openapi` is {version}, not 3.x"));
            }
        }
    }
    violations
}

#[test]
fn api_16_doc_openapi_every_ref_resolves_and_paths_are_defined() {
    assert_rule(
        "API-16 /core/doc-openapi: $refs resolvable, paths defined",
        refs_resolve(doc()),
    );
}

fn refs_resolve(doc: &Value) -> Violations {
    fn refs<'a>(value: &'a Value, at: String, found: &mut Vec<(String, &'a str)>) {
        match value {
            Value::Object(map) => {
                if let Some(reference) = map.get("$ref").and_then(Value::as_str) {
                    found.push((at.clone(), reference));
                }
                for (key, sub) in map {
                    refs(sub, format!("{at}/{key}"), found);
                }
            }
            Value::Array(items) => {
                for (i, sub) in items.iter().enumerate() {
                    refs(sub, format!("{at}/{i}"), found);
                }
            }
            _ => {}
        }
    }
    let mut violations = Violations::new();
    if entries(&doc["paths"]).next().is_none() {
        violations.insert("the document defines no paths".into());
    }
    let mut found = Vec::new();
    refs(doc, "#".into(), &mut found);
    for (at, reference) in found {
        if target(doc, reference).is_none() {
            violations.insert(format!(
                "{at}: `$ref` {reference} does not resolve in the document"
            ));
        }
    }
    violations
}

#[test]
fn api_16_doc_openapi_every_response_is_described() {
    assert_rule(
        "API-16 /core/doc-openapi: response descriptions",
        responses_described(doc()),
    );
}

fn responses_described(doc: &Value) -> Violations {
    let mut violations = Violations::new();
    for operation in operations(doc) {
        for (code, response) in operation.responses(doc) {
            if response["description"]
                .as_str()
                .is_none_or(|d| d.trim().is_empty())
            {
                violations.insert(format!(
                    "{} response {code}: no description",
                    operation.label()
                ));
            }
        }
    }
    violations
}

// ---------------------------------------------------------------------------------------------
// API-57 /core/version-header

#[test]
fn nlgov_missing_header_every_response_declares_api_version() {
    assert_rule(
        "nlgov:missing-header / nlgov:missing-version-header (API-57 /core/version-header)",
        missing_header(doc()),
    );
}

fn missing_header(doc: &Value) -> Violations {
    let mut violations = Violations::new();
    for operation in operations(doc) {
        for (code, response) in operation.responses(doc) {
            if !declares_header(response, "API-Version") {
                violations.insert(format!(
                    "{} response {code}: no `API-Version` header",
                    operation.label()
                ));
            }
        }
    }
    violations
}

// ---------------------------------------------------------------------------------------------
// /core/error-handling

#[test]
fn nlgov_problem_invalid_input_every_operation_with_input_has_400() {
    assert_rule(
        "nlgov:problem-invalid-input (/core/error-handling/invalid-input)",
        problem_invalid_input(doc()),
    );
}

fn problem_invalid_input(doc: &Value) -> Violations {
    let mut violations = Violations::new();
    for operation in operations(doc) {
        let mut inputs: Vec<String> = operation
            .parameters(doc)
            .iter()
            .map(|p| {
                let name = p["name"].as_str().unwrap_or_default();
                format!(
                    "{} parameter `{name}`",
                    p["in"].as_str().unwrap_or_default()
                )
            })
            .collect();
        if operation.request_body(doc).is_some() {
            inputs.push("a request body".into());
        }
        if inputs.is_empty() && ["put", "post", "patch"].contains(&operation.method) {
            inputs.push(format!("method {}", operation.method.to_uppercase()));
        }
        if inputs.is_empty() {
            continue;
        }
        let bad_request = operation
            .responses(doc)
            .into_iter()
            .find(|(code, _)| *code == "400");
        match bad_request {
            None => {
                violations.insert(format!(
                    "{}: takes input ({}) but declares no 400 response",
                    operation.label(),
                    inputs.join(", ")
                ));
            }
            Some((_, response)) => {
                if !media_types(response)
                    .iter()
                    .any(|(m, _)| is_problem_media(m))
                {
                    violations.insert(format!(
                        "{}: its 400 response has no application/problem+json body",
                        operation.label()
                    ));
                }
            }
        }
    }
    violations
}

#[test]
fn nlgov_use_problem_schema_error_responses_are_problem_json() {
    assert_rule(
        "nlgov:use-problem-schema (/core/error-handling/problem-details)",
        use_problem_schema(doc()),
    );
}

fn use_problem_schema(doc: &Value) -> Violations {
    let mut violations = Violations::new();
    for operation in operations(doc) {
        for (code, response) in operation.responses(doc) {
            if !is_error_status(code) {
                continue;
            }
            let media = media_types(response);
            if media.is_empty() {
                violations.insert(format!(
                    "{} response {code}: no body; use application/problem+json",
                    operation.label()
                ));
            }
            for (other, _) in media.iter().filter(|(m, _)| !is_problem_media(m)) {
                violations.insert(format!(
                    "{} response {code}: content type {other}; use application/problem+json",
                    operation.label()
                ));
            }
        }
    }
    violations
}

#[test]
fn nlgov_problem_schema_members_problem_bodies_have_type_title_status_detail() {
    assert_rule(
        "nlgov:problem-schema-members (/core/error-handling/problem-details)",
        problem_schema_members(doc()),
    );
}

fn problem_schema_members(doc: &Value) -> Violations {
    let mut violations = Violations::new();
    for operation in operations(doc) {
        for (code, response) in operation.responses(doc) {
            if !is_error_status(code) {
                continue;
            }
            for (media, entry) in media_types(response) {
                if !is_problem_media(media) {
                    continue;
                }
                let Some(schema) = entry.get("schema") else {
                    violations.insert(format!(
                        "{} response {code} {media}: no schema",
                        operation.label()
                    ));
                    continue;
                };
                let (declared, required) = declared_and_required(doc, schema);
                for member in ["type", "title", "status", "detail"] {
                    if !declared.contains(member) {
                        violations.insert(format!(
                            "{} response {code} {media}: schema lacks `{member}`",
                            operation.label()
                        ));
                    } else if !required.contains(member) {
                        violations.insert(format!(
                            "{} response {code} {media}: `{member}` is not required",
                            operation.label()
                        ));
                    }
                }
            }
        }
    }
    violations
}

// ---------------------------------------------------------------------------------------------
// Operations, servers, versions

#[test]
fn operation_operation_id_unique_every_operation_has_its_own_id() {
    assert_rule("operation-operationId-unique", operation_ids(doc()));
}

fn operation_ids(doc: &Value) -> Violations {
    let mut violations = Violations::new();
    let mut by_id: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for operation in operations(doc) {
        let endpoint = format!("{} {}", operation.method.to_uppercase(), operation.path);
        match operation.op["operationId"].as_str() {
            Some(id) if !id.trim().is_empty() => by_id.entry(id).or_default().push(endpoint),
            _ => {
                violations.insert(format!("{endpoint}: no operationId"));
            }
        }
    }
    for (id, endpoints) in by_id {
        if endpoints.len() > 1 {
            violations.insert(format!(
                "operationId `{id}` is used {} times: {}",
                endpoints.len(),
                endpoints.join(", ")
            ));
        }
    }
    violations
}

#[test]
fn oas3_api_servers_servers_are_present_and_non_empty() {
    assert_rule("oas3-api-servers", servers_present(doc()));
}

fn servers_present(doc: &Value) -> Violations {
    let mut violations = Violations::new();
    match doc.get("servers").and_then(Value::as_array) {
        None => {
            violations.insert("no `servers`: declare the base path, e.g. `/api/v1`".into());
        }
        Some(servers) if servers.is_empty() => {
            violations.insert("`servers` is empty".into());
        }
        Some(_) => {}
    }
    for (at, server) in all_servers(doc) {
        if server["url"]
            .as_str()
            .is_none_or(|url| url.trim().is_empty())
        {
            violations.insert(format!("{at}: no `url`"));
        }
    }
    violations
}

#[test]
fn oas3_server_variables_every_server_variable_is_defined() {
    assert_rule("oas3-server-variables", server_variables(doc()));
}

fn server_variables(doc: &Value) -> Violations {
    let mut violations = Violations::new();
    for (at, server) in all_servers(doc) {
        let url = server["url"].as_str().unwrap_or_default();
        let used: BTreeSet<&str> = url
            .split('{')
            .skip(1)
            .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
            .collect();
        let defined: BTreeMap<&str, &Value> = entries(&server["variables"])
            .map(|(name, variable)| (name.as_str(), variable))
            .collect();
        for name in &used {
            if !defined.contains_key(name) {
                violations.insert(format!("{at}: `{{{name}}}` in {url} is not defined"));
            }
        }
        for (name, variable) in defined {
            if !used.contains(name) {
                violations.insert(format!("{at}: variable `{name}` is not used in {url}"));
            }
            match variable.get("default") {
                None => {
                    violations.insert(format!("{at}: variable `{name}` has no default"));
                }
                Some(default) => {
                    if variable["enum"].is_array()
                        && !elements(&variable["enum"]).any(|e| e == default)
                    {
                        violations.insert(format!(
                            "{at}: variable `{name}`'s default is not one of its enum"
                        ));
                    }
                }
            }
        }
    }
    violations
}

#[test]
fn nlgov_servers_use_https_no_plain_http_server() {
    assert_rule(
        "nlgov:servers-use-https (/core/transport/tls)",
        servers_use_https(doc()),
    );
}

fn servers_use_https(doc: &Value) -> Violations {
    let mut violations = Violations::new();
    for (at, server) in all_servers(doc) {
        let url = server["url"].as_str().unwrap_or_default();
        if url.to_ascii_lowercase().starts_with("http://") {
            violations.insert(format!(
                "{at}: {url} is plain HTTP; use https:// or a relative URL"
            ));
        }
    }
    violations
}

#[test]
fn api_20_uri_version_server_url_and_path_join_without_repeated_segments() {
    assert_rule(
        "API-20 /core/uri-version: server URL + path without repeated segments",
        repeated_segments(doc()),
    );
}

fn repeated_segments(doc: &Value) -> Violations {
    let mut violations = Violations::new();
    for operation in operations(doc) {
        for url in operation.server_urls(doc) {
            let full = join(url, operation.path);
            let segs = segments(&full);
            for width in 1..=segs.len() / 2 {
                for start in 0..=segs.len() - 2 * width {
                    let first = &segs[start..start + width];
                    if first == &segs[start + width..start + 2 * width]
                        && !first.iter().all(|s| is_template(s))
                    {
                        violations.insert(format!(
                            "server `{url}` + path `{}` = `{full}` repeats `/{}`",
                            operation.path,
                            first.join("/")
                        ));
                    }
                }
            }
        }
    }
    violations
}

#[test]
fn nlgov_include_major_version_in_uri_every_url_has_the_major_version_once() {
    assert_rule(
        "nlgov:include-major-version-in-uri (API-20 /core/uri-version)",
        major_version_in_uri(doc()),
    );
}

/// Operational endpoints outside the versioned API: the platform's liveness and readiness probes
/// are not API resources and keep their path whatever the API's major version.
const UNVERSIONED: [&str; 1] = ["/health/"];

fn major_version_in_uri(doc: &Value) -> Violations {
    let mut violations = Violations::new();
    let info_version = doc["info"]["version"].as_str().unwrap_or_default();
    let major = info_version.split('.').next().unwrap_or_default();
    for operation in operations(doc) {
        for full in operation.full_paths(doc) {
            if UNVERSIONED.iter().any(|prefix| full.starts_with(prefix)) {
                continue;
            }
            let segs = segments(&full);
            let versions: Vec<&str> = segs.iter().filter_map(|s| version_segment(s)).collect();
            for seg in &segs {
                let looks_versioned = seg.len() > 1
                    && seg.starts_with(['v', 'V'])
                    && seg[1..].starts_with(|c: char| c.is_ascii_digit());
                if looks_versioned && version_segment(seg).is_none() {
                    violations.insert(format!(
                        "`{full}`: segment `{seg}` is not `v` + the major version only"
                    ));
                }
            }
            match versions.as_slice() {
                [] => {
                    violations.insert(format!("`{full}`: no major version segment (`/v{major}`)"));
                }
                [version] if *version != major => {
                    violations.insert(format!(
                        "`{full}`: `/v{version}`, but info.version is {info_version}"
                    ));
                }
                [_] => {}
                _ => {
                    violations.insert(format!("`{full}`: more than one version segment"));
                }
            }
        }
    }
    // The linter reads the version in the document's server URLs only.
    for server in elements(&doc["servers"]) {
        let url = server["url"].as_str().unwrap_or_default();
        let path = server_path(url);
        if !segments(&path)
            .iter()
            .any(|s| version_segment(s) == Some(major))
        {
            violations.insert(format!("server `{url}`: no `/v{major}` in the server URL"));
        }
    }
    violations
}

#[test]
fn info_contact_nlgov_info_contact_fields_exist_name_url_email() {
    assert_rule(
        "info-contact / nlgov:info-contact-fields-exist (/core/doc-openapi-contact)",
        contact(doc()),
    );
}

fn contact(doc: &Value) -> Violations {
    let mut violations = Violations::new();
    let contact = &doc["info"]["contact"];
    if !contact.is_object() {
        violations.insert("no `info.contact`".into());
    }
    for field in ["name", "url", "email"] {
        if contact[field].as_str().is_none_or(|v| v.trim().is_empty()) {
            violations.insert(format!("no `info.contact.{field}`"));
        }
    }
    if let Some(email) = contact["email"].as_str()
        && !email
            .split_once('@')
            .is_some_and(|(user, host)| !user.is_empty() && host.contains('.'))
    {
        violations.insert(format!(
            "`info.contact.email` {email} is not an e-mail address"
        ));
    }
    if let Some(url) = contact["url"].as_str()
        && !url.starts_with("https://")
    {
        violations.insert(format!("`info.contact.url` {url} is not an https URL"));
    }
    violations
}

#[test]
fn nlgov_semver_info_version_is_a_semantic_version() {
    assert_rule("nlgov:semver (API-56 /core/semver)", semver(doc()));
}

fn semver(doc: &Value) -> Violations {
    let mut violations = Violations::new();
    match doc["info"]["version"].as_str() {
        None => {
            violations.insert("no `info.version`".into());
        }
        Some(version) if !is_semver(version) => {
            violations.insert(format!(
                "`info.version` {version} is not major.minor.patch[-pre][+build]"
            ));
        }
        Some(_) => {}
    }
    violations
}

#[test]
fn nlgov_paths_no_trailing_slash_paths_do_not_end_in_a_slash() {
    assert_rule(
        "nlgov:paths-no-trailing-slash / path-keys-no-trailing-slash (API-48 /core/no-trailing-slash)",
        no_trailing_slash(doc()),
    );
}

fn no_trailing_slash(doc: &Value) -> Violations {
    let mut violations = Violations::new();
    for (path, _) in entries(&doc["paths"]) {
        if path != "/" && path.ends_with('/') {
            violations.insert(format!("`{path}` ends in `/`"));
        }
    }
    violations
}

#[test]
fn nlgov_paths_kebab_case_segments_are_kebab_case_without_file_extensions() {
    assert_rule(
        "nlgov:paths-kebab-case (/core/path-segments-kebab-case)",
        paths_kebab_case(doc()),
    );
}

fn paths_kebab_case(doc: &Value) -> Violations {
    let mut violations = Violations::new();
    for operation in operations(doc) {
        for full in operation.full_paths(doc) {
            let segs = segments(&full);
            for (i, seg) in segs.iter().enumerate() {
                let last = i + 1 == segs.len();
                let fine = is_template(seg)
                    || is_kebab(seg)
                    || (last && (*seg == "openapi.json" || *seg == "openapi.yaml"))
                    || (last
                        && seg.strip_prefix('_').is_some_and(|op| {
                            !op.is_empty()
                                && op
                                    .chars()
                                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
                        }));
                if !fine {
                    let why = if seg.contains('.') {
                        "has a file extension"
                    } else {
                        "is not kebab-case"
                    };
                    violations.insert(format!("`{full}`: segment `{seg}` {why}"));
                }
            }
        }
    }
    violations
}

// ---------------------------------------------------------------------------------------------
// Naming conventions

#[test]
fn nlgov_query_keys_camel_case_query_parameters_are_lower_camel_case() {
    assert_rule(
        "nlgov:query-keys-camel-case (/core/query-keys-camel-case)",
        query_keys_camel_case(doc()),
    );
}

fn query_keys_camel_case(doc: &Value) -> Violations {
    let mut violations = Violations::new();
    for operation in operations(doc) {
        for parameter in operation.parameters(doc) {
            let name = parameter["name"].as_str().unwrap_or_default();
            if parameter["in"] == "query" && !is_lower_camel(name.strip_prefix('$').unwrap_or(name))
            {
                violations.insert(format!(
                    "{}: query key `{name}` is not lowerCamelCase",
                    operation.label()
                ));
            }
        }
    }
    for (scheme, definition) in entries(&doc["components"]["securitySchemes"]) {
        let name = definition["name"].as_str().unwrap_or_default();
        if definition["in"] == "query" && !is_lower_camel(name) {
            violations.insert(format!(
                "security scheme `{scheme}`: query key `{name}` is not lowerCamelCase"
            ));
        }
    }
    violations
}

#[test]
fn nlgov_property_casing_properties_are_lower_camel_case() {
    assert_rule(
        "nlgov:property-casing (naming conventions)",
        property_casing(doc()),
    );
}

fn property_casing(doc: &Value) -> Violations {
    let mut violations = Violations::new();
    for (at, name, _) in all_properties(doc) {
        if !is_lower_camel(name) {
            violations.insert(format!("{at}: `{name}` is not lowerCamelCase"));
        }
    }
    violations
}

#[test]
fn nlgov_schema_camel_case_schema_names_are_upper_camel_case() {
    assert_rule(
        "nlgov:schema-camel-case (naming conventions)",
        schema_names(doc()),
    );
}

fn schema_names(doc: &Value) -> Violations {
    let mut violations = Violations::new();
    for (name, _) in entries(&doc["components"]["schemas"]) {
        if !is_upper_camel(name) {
            violations.insert(format!("schema `{name}` is not UpperCamelCase"));
        }
    }
    violations
}

// ---------------------------------------------------------------------------------------------
// Date and time

#[test]
fn nlgov_specify_format_for_date_and_time_date_fields_have_a_date_format() {
    assert_rule(
        "nlgov:specify-format-for-date-and-time (/core/date-time/format)",
        date_formats(doc()),
    );
}

fn date_formats(doc: &Value) -> Violations {
    let mut violations = Violations::new();
    for (at, name, description, schema) in fields(doc) {
        if temporal(name, description).is_none() || NOT_A_DATE.iter().any(|(n, _)| *n == at) {
            continue;
        }
        let (types, formats) = types_and_formats(doc, schema);
        if !types.is_empty() && !types.contains("string") {
            continue; // not a string: a count, a flag, an object; clearly not a date
        }
        if !formats.contains("date") && !formats.contains("date-time") {
            violations.insert(format!(
                "{at}: `{name}` looks like a date or an instant but has no `format: date` or `date-time`"
            ));
        }
    }
    for (at, schema) in all_schemas(doc) {
        let format = schema["format"].as_str().unwrap_or_default();
        if ["date", "date-time", "time-local"].contains(&format) {
            let (types, _) = types_and_formats(doc, schema);
            if !types.contains("string") {
                violations.insert(format!("{at}: `format: {format}` without `type: string`"));
            }
        }
    }
    violations
}

#[test]
fn nlgov_use_date_instead_of_datetime_date_fields_have_no_time_portion() {
    assert_rule(
        "nlgov:use-date-instead-of-datetime (/core/date-time/date-omit-time-portion)",
        dates_without_time(doc()),
    );
}

fn dates_without_time(doc: &Value) -> Violations {
    let mut violations = Violations::new();
    for (at, name, description, schema) in fields(doc) {
        if temporal(name, description) != Some(Temporal::Date) {
            continue;
        }
        let (_, formats) = types_and_formats(doc, schema);
        if formats.contains("date-time") {
            violations.insert(format!(
                "{at}: `{name}` names a date but is `format: date-time`; use `date`"
            ));
        }
    }
    violations
}

#[test]
fn nlgov_date_time_ensure_timezone_no_date_time_local() {
    assert_rule(
        "nlgov:date-time-ensure-timezone (/core/date-time/timezone)",
        no_date_time_local(doc()),
    );
}

fn no_date_time_local(doc: &Value) -> Violations {
    let mut violations = Violations::new();
    for (at, schema) in all_schemas(doc) {
        if schema["format"] == "date-time-local" {
            violations.insert(format!(
                "{at}: `format: date-time-local`; use `date-time` (with a timezone offset)"
            ));
        }
    }
    violations
}

#[test]
fn nlgov_time_without_timezone_times_use_time_local() {
    assert_rule(
        "nlgov:time-without-timezone (/core/date-time/format)",
        time_local(doc()),
    );
}

fn time_local(doc: &Value) -> Violations {
    let mut violations = Violations::new();
    for (at, schema) in all_schemas(doc) {
        if schema["format"] == "time" {
            violations.insert(format!("{at}: `format: time`; use `time-local`"));
        }
    }
    violations
}

// ---------------------------------------------------------------------------------------------
// Content types, publishing the document, methods, parameters, tags

#[test]
fn adr_validate_content_types_every_operation_with_a_body_declares_415() {
    assert_rule(
        "ADR transport security, validate content types: 415 Unsupported Media Type",
        unsupported_media_type(doc()),
    );
}

fn unsupported_media_type(doc: &Value) -> Violations {
    let mut violations = Violations::new();
    for operation in operations(doc) {
        let declares_415 = operation
            .responses(doc)
            .iter()
            .any(|(code, _)| *code == "415");
        if operation.request_body(doc).is_some() && !declares_415 {
            violations.insert(format!(
                "{}: takes a request body but declares no 415 response",
                operation.label()
            ));
        }
    }
    violations
}

#[test]
fn api_51_publish_openapi_document_at_base_path_openapi_json() {
    assert_rule("API-51 /core/publish-openapi", publish_openapi(doc()));
}

fn publish_openapi(doc: &Value) -> Violations {
    let mut violations = Violations::new();
    let operations = operations(doc);
    let mut bases = BTreeSet::new();
    for operation in &operations {
        for full in operation.full_paths(doc) {
            let segs = segments(&full);
            if let Some(i) = segs.iter().position(|s| version_segment(s).is_some()) {
                bases.insert(format!("/{}", segs[..=i].join("/")));
            }
        }
    }
    if bases.is_empty() {
        violations.insert("no versioned base path, so no `<base path>/openapi.json`".into());
    }
    for base in bases {
        let wanted = format!("{base}/openapi.json");
        let Some(serve) = operations
            .iter()
            .find(|o| o.method == "get" && o.full_paths(doc).contains(&wanted))
        else {
            violations.insert(format!("no `GET {wanted}`"));
            continue;
        };
        let security = serve.op.get("security").or_else(|| doc.get("security"));
        let needs_login = security.is_some_and(|requirements| {
            elements(requirements).next().is_some()
                && !elements(requirements).any(|r| r.as_object().is_some_and(|r| r.is_empty()))
        });
        if needs_login {
            violations.insert(format!("{}: needs authentication", serve.label()));
        }
        for (code, response) in serve.responses(doc) {
            if code.starts_with('2') && !declares_header(response, "Access-Control-Allow-Origin") {
                violations.insert(format!(
                    "{} response {code}: no `Access-Control-Allow-Origin` header (CORS for all origins)",
                    serve.label()
                ));
            }
            if code.starts_with('2')
                && !media_types(response)
                    .iter()
                    .any(|(m, _)| m.starts_with("application/json"))
            {
                violations.insert(format!(
                    "{} response {code}: not application/json",
                    serve.label()
                ));
            }
        }
    }
    violations
}

#[test]
fn nlgov_http_methods_only_standard_methods() {
    assert_rule(
        "nlgov:http-methods (API-03 /core/http-methods)",
        http_methods(doc()),
    );
}

fn http_methods(doc: &Value) -> Violations {
    const FIELDS: [&str; 10] = [
        "get",
        "put",
        "post",
        "delete",
        "patch",
        "parameters",
        "summary",
        "description",
        "servers",
        "$ref",
    ];
    let mut violations = Violations::new();
    for (path, item) in entries(&doc["paths"]) {
        for (key, _) in entries(item) {
            if !FIELDS.contains(&key.as_str()) && !key.starts_with("x-") {
                violations.insert(format!(
                    "`{path}`: `{key}`; only GET, PUT, POST, PATCH and DELETE"
                ));
            }
        }
    }
    violations
}

#[test]
fn path_params_every_path_template_parameter_is_declared() {
    assert_rule("path-params", path_params(doc()));
}

fn path_params(doc: &Value) -> Violations {
    let mut violations = Violations::new();
    for operation in operations(doc) {
        let in_template: BTreeSet<&str> = segments(operation.path)
            .into_iter()
            .filter(|s| is_template(s))
            .map(|s| &s[1..s.len() - 1])
            .collect();
        let declared: Vec<&Value> = operation
            .parameters(doc)
            .into_iter()
            .filter(|p| p["in"] == "path")
            .collect();
        for name in &in_template {
            if !declared.iter().any(|p| p["name"] == *name) {
                violations.insert(format!(
                    "{}: `{{{name}}}` has no path parameter",
                    operation.label()
                ));
            }
        }
        for parameter in declared {
            let name = parameter["name"].as_str().unwrap_or_default();
            if !in_template.contains(name) {
                violations.insert(format!(
                    "{}: path parameter `{name}` is not in the path",
                    operation.label()
                ));
            }
            if parameter["required"] != true {
                violations.insert(format!(
                    "{}: path parameter `{name}` is not required",
                    operation.label()
                ));
            }
        }
    }
    violations
}

#[test]
fn openapi_tags_uniqueness_tag_names_are_unique() {
    assert_rule("openapi-tags-uniqueness", tags_unique(doc()));
}

fn tags_unique(doc: &Value) -> Violations {
    let mut violations = Violations::new();
    let mut seen = BTreeSet::new();
    for tag in elements(&doc["tags"]) {
        let name = tag["name"].as_str().unwrap_or_default();
        if !seen.insert(name) {
            violations.insert(format!("tag `{name}` is declared more than once"));
        }
    }
    violations
}

// ---------------------------------------------------------------------------------------------
// Heuristics for functional rules the linter cannot check

/// RPC-style verbs (Dutch infinitives, English imperatives) that name an action rather than a
/// resource. The ADR's own counter-examples are `opvragen` and `registreren`.
const VERBS: [&str; 44] = [
    "aanmaken",
    "aanvragen",
    "accepteren",
    "afsluiten",
    "afwijzen",
    "annuleren",
    "beeindigen",
    "berekenen",
    "bijwerken",
    "goedkeuren",
    "indienen",
    "intrekken",
    "ophalen",
    "opslaan",
    "opvragen",
    "registreren",
    "starten",
    "stoppen",
    "toevoegen",
    "verwerken",
    "verwijderen",
    "versturen",
    "wijzigen",
    "zoeken",
    "add",
    "approve",
    "calculate",
    "cancel",
    "compute",
    "create",
    "delete",
    "fetch",
    "get",
    "list",
    "process",
    "register",
    "reject",
    "remove",
    "retrieve",
    "search",
    "send",
    "submit",
    "terminate",
    "update",
];

/// API-05 (nouns) and API-10 (operations as a sub-resource): a heuristic over [`VERBS`]. An
/// action is either a sub-resource named by a noun (`/betalingsregelingen/{id}/beeindiging`) or,
/// in the exceptional case of a dedicated operation, a last segment starting with `_` (the
/// convention `/core/path-segments-kebab-case` allows), which this test accepts.
#[test]
fn api_05_api_10_paths_name_resources_not_actions() {
    assert_rule(
        "API-05 /core/naming-resources, API-10 /core/resource-operations",
        no_verbs_in_paths(doc()),
    );
}

/// API-10 allows a verb for an operation that fits no resource, as a dedicated resource at the end
/// of a path, reached with GET or POST ("use the imperative mood of a verb, maybe even prefix it
/// with an underscore": `/search` or `/_search`). A verb anywhere else names an action where a
/// resource belongs.
fn no_verbs_in_paths(doc: &Value) -> Violations {
    let mut violations = Violations::new();
    for (path, item) in entries(&doc["paths"]) {
        let segs = segments(path);
        let only_get_or_post = item.as_object().is_some_and(|methods| {
            methods
                .keys()
                .all(|m| m == "get" || m == "post" || m == "parameters")
        });
        for (i, seg) in segs.iter().enumerate() {
            if is_template(seg) || seg.starts_with('_') {
                continue;
            }
            let Some(verb) = seg.split('-').find(|word| VERBS.contains(word)) else {
                continue;
            };
            if i + 1 == segs.len() && only_get_or_post {
                continue;
            }
            violations.insert(format!(
                "`{path}`: `{verb}` is a verb; name the resource with a noun, or make the operation a dedicated resource at the end of the path (GET or POST)"
            ));
        }
    }
    violations
}

/// Function words that occur in English text and not in Dutch (so not `of`, `is`, `in`, `a`).
const ENGLISH: [&str; 31] = [
    "an", "and", "are", "as", "at", "be", "by", "can", "every", "for", "from", "has", "have", "it",
    "its", "not", "on", "only", "or", "that", "the", "their", "these", "this", "to", "were",
    "what", "when", "which", "who", "with",
];

/// API-17 (SHOULD): documentation in Dutch. A heuristic: a `summary`, `description` or `title`
/// that contains any of [`ENGLISH`] outside `code` spans is reported. Examples are not read.
#[test]
fn api_17_doc_language_descriptions_are_dutch() {
    assert_rule(
        "API-17 /core/doc-language (SHOULD)",
        dutch_documentation(doc()),
    );
}

fn dutch_documentation(doc: &Value) -> Violations {
    fn texts<'a>(value: &'a Value, at: String, found: &mut Vec<(String, &'a str)>) {
        match value {
            Value::Object(map) => {
                for (key, sub) in map {
                    let here = format!("{at}.{key}");
                    match sub {
                        Value::String(text)
                            if ["summary", "description", "title"].contains(&key.as_str()) =>
                        {
                            found.push((here, text));
                        }
                        _ if key == "example" || key == "examples" => {}
                        _ => texts(sub, here, found),
                    }
                }
            }
            Value::Array(items) => {
                for (i, sub) in items.iter().enumerate() {
                    texts(sub, format!("{at}[{i}]"), found);
                }
            }
            _ => {}
        }
    }
    let mut found = Vec::new();
    texts(doc, "$".into(), &mut found);
    let mut violations = Violations::new();
    for (at, text) in found {
        let prose: String = text.split('`').step_by(2).collect::<Vec<_>>().join(" ");
        let lower = prose.to_lowercase();
        let english: BTreeSet<&str> = lower
            .split(|c: char| !c.is_alphabetic())
            .filter(|w| ENGLISH.contains(w))
            .collect();
        if !english.is_empty() {
            let start: String = text.chars().take(70).collect();
            let start = start.replace('\n', " ");
            violations.insert(format!(
                "{at}: \"{start}…\" reads as English ({})",
                english.into_iter().collect::<Vec<_>>().join(", ")
            ));
        }
    }
    violations
}

// ---------------------------------------------------------------------------------------------
// The helpers themselves

#[test]
fn the_name_checks_agree_with_the_adr_examples() {
    assert!(is_kebab("financiele-claims"));
    assert!(!is_kebab("financiele_claims") && !is_kebab("financieleClaims"));
    assert!(!is_kebab("organisatie-") && !is_kebab("-organisatie") && !is_kebab("scènes"));
    assert!(is_lower_camel("typeGebouw") && !is_lower_camel("type-gebouw"));
    assert!(!is_lower_camel("2ndReviewer"));
    assert!(is_upper_camel("VorderingenPagina") && !is_upper_camel("Pagina_Vordering"));
    for good in [
        "1.0.2",
        "1.11.0",
        "1.0.2-rc.1",
        "2.0.0-beta.3",
        "1.0.0+build.5",
    ] {
        assert!(is_semver(good), "{good}");
    }
    for bad in ["1.0", "v1.0.0", "01.0.0", "1.0.0-01", "1.0.0-", "1.0.0+"] {
        assert!(!is_semver(bad), "{bad}");
    }
    assert_eq!(server_path("https://api.example.org/v1/"), "/v1");
    assert_eq!(server_path("/api/v1"), "/api/v1");
    assert_eq!(join("/", "/api/v1/x"), "/api/v1/x");
}

#[test]
fn the_date_heuristic_recognises_dates_and_leaves_other_names_alone() {
    for date in [
        "startdatum",
        "eersteVervaldatum",
        "geboorteDatum",
        "birthDate",
        "expiration_date",
        "datum",
    ] {
        assert_eq!(temporal(date, ""), Some(Temporal::Date), "{date}");
    }
    for instant in [
        "verleendOp",
        "geldigVanaf",
        "geldigTot",
        "createdAt",
        "tijdstip",
    ] {
        assert_eq!(
            temporal(instant, ""),
            Some(Temporal::DateOrInstant),
            "{instant}"
        );
    }
    assert_eq!(
        temporal("moment", "Het tijdstip van ontvangst."),
        Some(Temporal::DateOrInstant)
    );
    for other in [
        "update",
        "mandate",
        "op",
        "totaal",
        "opgelegd",
        "maandbedrag",
        "status",
    ] {
        assert_eq!(temporal(other, ""), None, "{other}");
    }
}

// ---------------------------------------------------------------------------------------------
// The checks themselves, on two small documents: one that conforms, one that breaks every rule

/// One rule's check over a document.
type Check = fn(&Value) -> Violations;

/// Every rule check, by the rule's name.
const CHECKS: [(&str, Check); 31] = [
    ("nlgov:openapi3", openapi3),
    ("API-16 $refs", refs_resolve),
    ("API-16 response descriptions", responses_described),
    ("nlgov:missing-header", missing_header),
    ("nlgov:problem-invalid-input", problem_invalid_input),
    ("nlgov:use-problem-schema", use_problem_schema),
    ("nlgov:problem-schema-members", problem_schema_members),
    ("operation-operationId-unique", operation_ids),
    ("oas3-api-servers", servers_present),
    ("oas3-server-variables", server_variables),
    ("nlgov:servers-use-https", servers_use_https),
    ("API-20 repeated segments", repeated_segments),
    ("nlgov:include-major-version-in-uri", major_version_in_uri),
    ("info-contact", contact),
    ("nlgov:semver", semver),
    ("nlgov:paths-no-trailing-slash", no_trailing_slash),
    ("nlgov:paths-kebab-case", paths_kebab_case),
    ("nlgov:query-keys-camel-case", query_keys_camel_case),
    ("nlgov:property-casing", property_casing),
    ("nlgov:schema-camel-case", schema_names),
    ("nlgov:specify-format-for-date-and-time", date_formats),
    ("nlgov:use-date-instead-of-datetime", dates_without_time),
    ("nlgov:date-time-ensure-timezone", no_date_time_local),
    ("nlgov:time-without-timezone", time_local),
    ("415 Unsupported Media Type", unsupported_media_type),
    ("API-51 openapi.json", publish_openapi),
    ("nlgov:http-methods", http_methods),
    ("path-params", path_params),
    ("openapi-tags-uniqueness", tags_unique),
    ("API-05/API-10 verbs", no_verbs_in_paths),
    ("API-17 Dutch", dutch_documentation),
];

#[test]
fn a_conforming_document_passes_every_check() {
    let api_version = json!({ "$ref": "#/components/headers/ApiVersion" });
    let problem = |description: &str| {
        json!({
            "description": description,
            "headers": { "API-Version": api_version },
            "content": { "application/problem+json": {
                "schema": { "$ref": "#/components/schemas/Probleem" } } }
        })
    };
    let conforming = json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Gebouwen",
            "version": "1.2.0",
            "contact": { "name": "Team Gebouwen", "url": "https://example.org/gebouwen",
                         "email": "gebouwen@example.org" }
        },
        "servers": [{ "url": "/api/v1" }],
        "tags": [{ "name": "Gebouwen" }, { "name": "Beheer" }],
        "security": [{ "bearer": [] }],
        "paths": {
            "/openapi.json": { "get": {
                "operationId": "openapiDocument",
                "security": [],
                "responses": { "200": {
                    "description": "Het OpenAPI-document",
                    "headers": { "API-Version": api_version,
                                 "Access-Control-Allow-Origin": { "schema": { "type": "string" } } },
                    "content": { "application/json": {} } } }
            } },
            "/gebouwen": {
                "get": {
                    "operationId": "gebouwenZoeken",
                    "parameters": [{ "name": "bouwjaarVanaf", "in": "query",
                                     "schema": { "type": "integer" } }],
                    "responses": {
                        "200": { "description": "De gebouwen", "headers": { "API-Version": api_version },
                                 "content": { "application/json": { "schema": {
                                     "type": "array", "items": { "$ref": "#/components/schemas/Gebouw" } } } } },
                        "400": problem("Ongeldige zoekvraag")
                    }
                },
                "post": {
                    "operationId": "gebouwRegistreren",
                    "requestBody": { "content": { "application/json": { "schema": {
                        "$ref": "#/components/schemas/Gebouw" } } } },
                    "responses": {
                        "201": { "description": "Geregistreerd", "headers": { "API-Version": api_version } },
                        "400": problem("Ongeldige invoer"),
                        "415": problem("Geen JSON")
                    }
                }
            },
            "/gebouwen/{id}": {
                "parameters": [{ "name": "id", "in": "path", "required": true,
                                 "schema": { "type": "string" } }],
                "get": {
                    "operationId": "gebouwOpvragen",
                    "responses": {
                        "200": { "description": "Het gebouw", "headers": { "API-Version": api_version },
                                 "content": { "application/json": { "schema": {
                                     "$ref": "#/components/schemas/Gebouw" } } } },
                        "400": problem("Ongeldig id"),
                        "404": problem("Onbekend gebouw")
                    }
                }
            },
            "/gebouwen/_zoek": { "post": {
                "operationId": "gebouwenZoekenUitgebreid",
                "requestBody": { "content": { "application/json": { "schema": { "type": "object" } } } },
                "responses": {
                    "200": { "description": "De gebouwen", "headers": { "API-Version": api_version } },
                    "400": problem("Ongeldige zoekvraag"),
                    "415": problem("Geen JSON")
                }
            } }
        },
        "components": {
            "headers": { "ApiVersion": { "schema": { "type": "string" } } },
            "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer" } },
            "schemas": {
                "Gebouw": { "type": "object", "properties": {
                    "bouwdatum": { "type": "string", "format": "date" },
                    "gewijzigdOp": { "type": "string", "format": "date-time" },
                    "gesloopt": { "oneOf": [{ "type": "null" }, { "$ref": "#/components/schemas/Sloop" }] },
                    "bouwlagen": { "type": "array", "items": { "type": "object", "properties": {
                        "verdieping": { "type": "integer" }, "openingstijd": { "type": "string", "format": "time-local" } } } }
                } },
                "Sloop": { "description": "De sloop van het gebouw, als die er was.",
                    "type": "object", "properties": {
                    "sloopdatum": { "type": ["string", "null"], "format": "date" } } },
                "Probleem": { "type": "object",
                    "required": ["type", "title", "status", "detail"],
                    "properties": { "type": { "type": "string" }, "title": { "type": "string" },
                                    "status": { "type": "integer" }, "detail": { "type": "string" } } }
            }
        }
    });
    let failing: Vec<String> = CHECKS
        .iter()
        .filter_map(|(rule, check)| {
            let violations = check(&conforming);
            (!violations.is_empty()).then(|| format!("{rule}: {violations:?}"))
        })
        .collect();
    assert!(failing.is_empty(), "false positives: {failing:#?}");
}

#[test]
fn a_document_that_breaks_every_rule_fails_every_check() {
    let broken = json!({
        "openapi": "2.0",
        "info": { "title": "Slecht", "version": "1.0", "contact": { "name": "Iemand" } },
        "servers": [{ "url": "http://example.org/api/v2" }, { "url": "/{omgeving}" }],
        "tags": [{ "name": "Dubbel" }, { "name": "Dubbel" }],
        "paths": {
            "/api/v2/financieleClaims/": {
                "head": { "operationId": "kop", "responses": {} },
                "post": {
                    "operationId": "dubbel",
                    "requestBody": { "content": { "application/json": { "schema": {
                        "$ref": "#/components/schemas/slecht_schema" } } } },
                    "responses": {
                        "200": { "description": "Gelukt" },
                        "404": { "description": " ", "content": { "application/json": {} } }
                    }
                }
            },
            "/api/v2/zaken/{id}/opvragen": {
                "servers": [{ "url": "" }],
                "get": {
                    "operationId": "dubbel",
                    "summary": "Gets the case",
                    "parameters": [{ "name": "Sort-Order", "in": "query", "schema": { "type": "string" } }],
                    "responses": { "400": { "description": "Fout", "content": { "application/problem+json": {
                        "schema": { "type": "object", "properties": { "title": { "type": "string" } } } } } } }
                }
            }
        },
        "components": { "schemas": { "slecht_schema": { "type": "object", "properties": {
            "Geboortedatum": { "type": "string" },
            "einddatum": { "type": "string", "format": "date-time" },
            "aanvang": { "type": "string", "format": "date-time-local" },
            "tijd": { "type": "string", "format": "time" },
            "zaak": { "$ref": "#/components/schemas/Bestaatniet" }
        } } } }
    });
    let silent: Vec<&str> = CHECKS
        .iter()
        .filter(|(_, check)| check(&broken).is_empty())
        .map(|(rule, _)| *rule)
        .collect();
    assert!(
        silent.is_empty(),
        "checks that missed their violation: {silent:?}"
    );
}
