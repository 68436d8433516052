//! Integration tests: the real application over HTTP, on SQLite and on PostgreSQL.

mod fixtures;
mod support;

mod access_log;
mod api_design_rules;
mod arrangements;
mod audit_trail;
mod auth;
mod claims;
mod concurrency;
mod debt_help;
mod hardening;
mod http;
mod ingest;
mod legal_norm;
mod mandates;
mod norms;
mod observability;
mod openapi;
mod overview;
mod problem_codes;
mod registry;
mod resilience;
mod responses_match_the_document;
mod round_trips;
mod saldo_opgaven;
mod samenloop;
mod unit_of_work;
mod webhooks;
