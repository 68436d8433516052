//! What a read costs the database: the statements of one overview and of one proposal, counted
//! by the service itself (`rijksincasso_db_statements_total`), and that they do not grow with
//! what the person has; and what a batch of new claims costs.

use std::time::Duration;

use diesel::sql_types::BigInt;
use diesel::{Connection, PgConnection, QueryableByName, RunQueryDsl};
use serde_json::json;

use crate::fixtures::*;
use crate::on_both_backends;
use crate::support::{BSNS, Backend, TestApp, with_metrics};

/// The overview's budget: the person's file with their claims (with surcharges and arrangement
/// membership), and the access-log row; BEGIN and COMMIT apart.
const OVERVIEW_STATEMENTS: u64 = 2;

fn counter(text: &str, kind: &str) -> u64 {
    let series = format!("rijksincasso_db_statements_total{{kind=\"{kind}\"}}");
    text.lines()
        .find_map(|line| line.strip_prefix(series.as_str())?.trim().parse().ok())
        .unwrap_or(0)
}

/// Queries and transaction statements counted so far.
fn counted(app: &TestApp) -> (u64, u64) {
    let base = app.metrics_base.as_ref().expect("metrics listener");
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let text = agent
        .get(format!("{base}/metrics"))
        .call()
        .expect("scrape")
        .body_mut()
        .read_to_string()
        .expect("metrics text");
    (counter(&text, "query"), counter(&text, "transaction"))
}

/// The statements `read` sends: the fewest of three tries, because background work of the
/// service (the relay, the daily check) can only add to a count, never take from it.
fn statements_of(app: &TestApp, read: impl Fn()) -> (u64, u64) {
    (0..3)
        .map(|_| {
            let before = counted(app);
            read();
            let after = counted(app);
            (after.0 - before.0, after.1 - before.1)
        })
        .min()
        .expect("three tries")
}

fn overview(app: &TestApp) {
    let reply = app.get("/api/v1/vorderingenoverzicht", Some(&app.citizen(BSNS[0])));
    assert_eq!(reply.status, 200, "{}", reply.text);
}

fn propose(app: &TestApp) -> String {
    let reply = app.post(
        "/api/v1/betalingsregelingen/voorstellen",
        Some(&app.citizen(BSNS[0])),
        &json!({"huishouden": {"leefvorm": "ALLEENSTAANDE", "nettoInkomen": "2017.06",
                "belastbaarJaarinkomen": "23000.00"}}),
    );
    assert_eq!(reply.status, 201, "{}", reply.text);
    reply.json()["id"].as_str().expect("proposal id").to_owned()
}

/// Claims with surcharges, a running arrangement, an attachment, a declared arrangement and a
/// debt-help trajectory (with the creditors told of it): every part of the overview has
/// something in it.
fn a_full_file(app: &TestApp, claims: usize) {
    app.connect(&["CJIB", "DUO"]);
    let mut events = Vec::new();
    for i in 0..claims {
        let key = format!("CJIB-R{i}");
        events.push(imposed(
            &format!("R{i}"),
            &key,
            BSNS[0],
            "cjib_wahv_boete",
            "120.00",
        ));
        events.push(surcharge(&format!("S{i}"), &key, "VERHOGING", "30.00"));
    }
    app.post_events("CJIB", json!(events)).succeeded();
    app.post_events(
        "DUO",
        json!([imposed(
            "D1",
            "DUO-R1",
            BSNS[0],
            "duo_studieschuld",
            "2000.00"
        )]),
    )
    .succeeded();
    register(
        app,
        &app.agency("CJIB"),
        &attachment("150.00", "1331.43", "2026-05-01"),
    )
    .succeeded();
    app.post(
        "/api/v1/andere-regelingen",
        Some(&app.citizen(BSNS[0])),
        &json!({"partij": "Woningcorporatie", "maandbedrag": "50.00", "startdatum": "2026-01-01"}),
    )
    .succeeded();
    app.post(
        "/api/v1/machtigingen",
        Some(&app.citizen(BSNS[0])),
        &json!({"schuldhulpverlener": "GKB", "geldigTot": "2027-12-31"}),
    )
    .succeeded();
    app.post(
        "/api/v1/schuldhulptrajecten",
        Some(&app.counsellor("GKB")),
        &json!({"burgerservicenummer": BSNS[0], "fase": "STABILISATIE", "startdatum": "2026-06-01"}),
    )
    .succeeded();
    let proposal = propose(app);
    app.post(
        "/api/v1/betalingsregelingen",
        Some(&app.citizen(BSNS[0])),
        &json!({"voorstel": proposal}),
    )
    .succeeded();
}

fn reads_cost_a_fixed_few_statements(app: TestApp) {
    let (empty, empty_transaction) = statements_of(&app, || overview(&app));
    a_full_file(&app, 30);
    let (full, full_transaction) = statements_of(&app, || overview(&app));
    let (proposal, proposal_transaction) = statements_of(&app, || drop(propose(&app)));
    eprintln!(
        "statements (transaction statements): overview of nothing {empty} ({empty_transaction}), \
         of 31 claims and the rest {full} ({full_transaction}); proposal {proposal} \
         ({proposal_transaction})"
    );
    assert!(
        full <= OVERVIEW_STATEMENTS,
        "an overview of 31 claims sent {full} statements"
    );
    assert_eq!(
        full, empty,
        "the count does not grow with the person's file"
    );
    // The file with the claims, the proposal (its claims are all in the arrangement), the
    // access-log row.
    assert!(proposal <= 3, "a proposal sent {proposal} statements");
    assert_eq!(proposal_transaction, 2, "one transaction: BEGIN and COMMIT");
    // A proposal that plans claims writes them in one statement more, however many there are
    // (on SQLite too: one multi-row INSERT, not one per claim).
    let planned = |from: usize, count: usize| {
        let events: Vec<_> = (from..from + count)
            .map(|i| {
                imposed(
                    &format!("N{i}"),
                    &format!("CJIB-N{i}"),
                    BSNS[0],
                    "cjib_boete",
                    "10.00",
                )
            })
            .collect();
        app.post_events("CJIB", json!(events)).succeeded();
        statements_of(&app, || drop(propose(&app))).0
    };
    let (few, many) = (planned(0, 2), planned(2, 40));
    assert!(
        few <= 4 && many == few,
        "a proposal of 2 claims sent {few} statements, of 42 {many}"
    );
    // A read alone commits its access-log row by itself: on PostgreSQL one INSERT, a
    // transaction of its own without BEGIN and COMMIT; on SQLite in BEGIN and COMMIT, and its
    // query runs in a deferred transaction of its own.
    let read_transactions = match app.backend() {
        Backend::Postgres => 0,
        Backend::Sqlite => 4,
    };
    for transaction in [empty_transaction, full_transaction] {
        assert_eq!(
            transaction, read_transactions,
            "transaction statements of a read"
        );
    }
}

/// A batch of new claims: the creditor's claim-type prefix as stored (on PostgreSQL under a
/// shared hold of the registers, a statement of its own), the trajectory check and one write
/// each of the claims, their events and the access-log rows, no lookup of its keys.
fn new_claims_statements(backend: Backend) -> u64 {
    match backend {
        Backend::Postgres => 6,
        Backend::Sqlite => 5,
    }
}

fn new_claims_are_written_without_looking_their_keys_up(app: TestApp) {
    let tries = std::cell::Cell::new(0);
    let batch = || {
        let n = tries.replace(tries.get() + 1);
        json!(
            (0..3)
                .map(|i| imposed(
                    &format!("E{n}-{i}"),
                    &format!("V{n}-{i}"),
                    BSNS[i],
                    "cjib_boete",
                    "10.00"
                ))
                .collect::<Vec<_>>()
        )
    };
    let (new, new_transaction) = statements_of(&app, || {
        app.post_events("CJIB", batch()).succeeded();
    });
    let replay = batch();
    app.post_events("CJIB", replay.clone()).succeeded();
    let (replayed, replayed_transaction) = statements_of(&app, || {
        let reply = app.post_events("CJIB", replay.clone());
        assert_eq!(reply.json()["alEerderVerwerkt"], 3, "{}", reply.text);
    });
    eprintln!(
        "statements (transaction statements): 3 new claims {new} ({new_transaction}), \
         their replay {replayed} ({replayed_transaction})"
    );
    assert_eq!(
        new,
        new_claims_statements(app.backend()),
        "a batch of new claims looked something up"
    );
    assert_eq!(new_transaction, 2, "one transaction: BEGIN and COMMIT");
    // The replay's first try fails on the claims' unique key and is rolled back; the second
    // reads the stored claims and events and writes only the access-log rows of nothing new.
    assert_eq!(
        replayed_transaction, 4,
        "two transactions, the first rolled back"
    );
}

on_both_backends! {
    configured(with_metrics());

    fn an_overview_and_a_proposal_send_a_fixed_few_statements(app) {
        reads_cost_a_fixed_few_statements(app);
    }

    fn a_batch_of_new_claims_is_written_without_looking_its_keys_up(app) {
        new_claims_are_written_without_looking_their_keys_up(app);
    }
}

/// Scans PostgreSQL has counted on the two indexes of `claim_events` that can find a claim's
/// surcharges (the partial one, the one of all events), in this test's schema, once the counts
/// have settled: a backend reports them about a second after it went idle (two seconds allow
/// for a loaded machine).
fn settled_surcharge_index_scans(app: &TestApp) -> (i64, i64) {
    #[derive(QueryableByName, PartialEq, Debug)]
    struct Scans {
        #[diesel(sql_type = BigInt)]
        partial: i64,
        #[diesel(sql_type = BigInt)]
        all_events: i64,
    }
    let mut conn = PgConnection::establish(&app.config.database_url).expect("connect");
    let mut read = || {
        diesel::sql_query(
            "SELECT \
               COALESCE(SUM(idx_scan) FILTER (WHERE indexrelname = 'claim_surcharges_by_claim'), 0)::bigint AS partial, \
               COALESCE(SUM(idx_scan) FILTER (WHERE indexrelname = 'claim_events_by_claim'), 0)::bigint AS all_events \
             FROM pg_stat_user_indexes WHERE schemaname = current_schema()",
        )
        .get_result::<Scans>(&mut conn)
        .expect("index statistics")
    };
    let mut last = read();
    for _ in 0..20 {
        std::thread::sleep(Duration::from_secs(2));
        let now = read();
        if now == last {
            return (now.partial, now.all_events);
        }
        last = now;
    }
    panic!("PostgreSQL's index statistics did not settle: {last:?}");
}

mod on_postgres {
    use super::*;

    /// A prepared statement's generic plan can only use a partial index whose condition is in
    /// the statement's text; with the event type as a bind parameter the overview would walk
    /// every event of every claim again. Generic plans are forced, as PostgreSQL chooses them
    /// from a statement's sixth execution on.
    #[test]
    #[cfg_attr(
        not(postgres_tests),
        ignore = "TEST_DATABASE_URL is not set: PostgreSQL not tested"
    )]
    fn the_overview_finds_surcharges_through_their_partial_index_with_a_generic_plan() {
        let app = TestApp::start_with(Backend::Postgres, |config| {
            config
                .database_url
                .push_str("%20-cplan_cache_mode%3Dforce_generic_plan");
        });
        a_full_file(&app, 5);
        let before = settled_surcharge_index_scans(&app);
        for _ in 0..3 {
            overview(&app);
        }
        let after = settled_surcharge_index_scans(&app);
        assert!(
            after.0 > before.0,
            "the partial index was not used: {before:?} → {after:?}"
        );
        assert_eq!(
            after.1, before.1,
            "the overview walked the index of all claim events"
        );
    }
}
