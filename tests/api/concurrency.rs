//! Several writers at once: every batch succeeds, nothing is lost, nothing stored twice; and
//! instances starting at once both start, and decide on the registers as stored.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};
use rijksincasso::clock::FixedClock;
use serde_json::{Value, json};

use crate::fixtures::{
    accept, attachment, cjib_and_duo_claims, feed, imposed, mandate, payment, register,
    register_trajectory, remission, samenloop_of, surcharge,
};
use crate::on_both_backends;
use crate::support::{
    BSNS, Backend, Reply, TestApp, postgres_url, start_instant, test_config, with_search_path,
};

const WRITERS: usize = 4;
const BATCHES: usize = 3;
const BATCH: usize = 1000;

fn batch(writer: usize, number: usize) -> Value {
    let events: Vec<Value> = (0..BATCH)
        .map(|i| {
            let key = format!("W{writer}-B{number}-{i}");
            imposed(&key, &key, BSNS[i % BSNS.len()], "cjib_boete", "10.00")
        })
        .collect();
    json!(events)
}

/// Every claim key of the creditor, page by page.
fn claim_keys(app: &TestApp) -> Vec<String> {
    let token = app.agency("CJIB");
    let mut keys = Vec::new();
    let mut path = "/api/v1/vorderingen?aantal=200".to_owned();
    loop {
        let page = app.get(&path, Some(&token)).succeeded().json();
        for claim in page["vorderingen"].as_array().unwrap() {
            keys.push(claim["vorderingkenmerk"].as_str().unwrap().to_owned());
        }
        match page["volgende"].as_str() {
            Some(next) => path = format!("/api/v1/vorderingen?aantal=200&na={next}"),
            None => return keys,
        }
    }
}

on_both_backends! {
    fn four_concurrent_writers_of_large_batches_all_succeed_and_store_each_claim_once(app) {
        let app = &app;
        // Each writer posts its own batches, then replays its first and the next writer's
        // first: replays racing with the original and with each other.
        let replies: Vec<(u16, String, u64)> = std::thread::scope(|s| {
            let writers: Vec<_> = (0..WRITERS)
                .map(|w| {
                    s.spawn(move || {
                        let mut plan: Vec<(usize, usize)> = (0..BATCHES).map(|b| (w, b)).collect();
                        plan.push((w, 0));
                        plan.push(((w + 1) % WRITERS, 0));
                        plan.into_iter()
                            .map(|(writer, number)| {
                                let reply = app.post_events("CJIB", batch(writer, number));
                                let processed = if reply.status == 200 {
                                    reply.json()["verwerkt"].as_u64().unwrap()
                                } else {
                                    0
                                };
                                (reply.status, reply.text, processed)
                            })
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            writers.into_iter().flat_map(|w| w.join().unwrap()).collect()
        });
        for (status, text, _) in &replies {
            assert_eq!(*status, 200, "{text}");
        }
        let distinct = WRITERS * BATCHES * BATCH;
        let processed: u64 = replies.iter().map(|(_, _, p)| p).sum();
        assert_eq!(processed, distinct as u64, "every event processed exactly once");
        let keys = claim_keys(app);
        assert_eq!(keys.len(), distinct, "one claim per claim key");
        assert_eq!(keys.iter().collect::<HashSet<_>>().len(), distinct, "no claim twice");
    }

    fn eight_writers_surcharging_one_claim_at_once_all_succeed(app) {
        app.post_events("CJIB", json!([imposed("E0", "V1", BSNS[0], "cjib_boete", "100.00")])).succeeded();
        let app = &app;
        let statuses: Vec<(u16, String)> = std::thread::scope(|s| {
            let writers: Vec<_> = (0..2 * WRITERS)
                .map(|w| {
                    s.spawn(move || {
                        (0..40)
                            .map(|i| {
                                let reply = app.post_events("CJIB", json!([surcharge(&format!("S{w}-{i}"), "V1", "RENTE", "0.01")]));
                                (reply.status, reply.text)
                            })
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            writers.into_iter().flat_map(|w| w.join().unwrap()).collect()
        });
        let refused: Vec<_> = statuses.iter().filter(|(status, _)| *status != 200).collect();
        assert!(refused.is_empty(), "every writer waits its turn: {refused:?}");
        let overview = app.get("/api/v1/vorderingenoverzicht", Some(&app.citizen(BSNS[0]))).json();
        assert_eq!(overview["totaalOpenstaand"], "103.20", "each surcharge once");
    }
}

#[test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "TEST_DATABASE_URL is not set: PostgreSQL not tested"
)]
fn two_instances_starting_on_a_fresh_schema_at_once_both_start() {
    let url = postgres_url();
    let schema = format!("m_{}", uuid::Uuid::new_v4().simple());
    let mut admin = PgConnection::establish(&url).unwrap();
    admin
        .batch_execute(&format!("CREATE SCHEMA {schema}"))
        .unwrap();
    let schema_url = with_search_path(&url, &schema);
    // Each migrates, records the pseudonym key's fingerprint and seeds the norm tables.
    let config = test_config(schema_url);
    let results: Vec<_> = std::thread::scope(|s| {
        let instances: Vec<_> = (0..2)
            .map(|_| {
                s.spawn(|| {
                    let clock = Arc::new(FixedClock::new(start_instant()));
                    rijksincasso::prepare(&config, clock).map(drop)
                })
            })
            .collect();
        instances.into_iter().map(|i| i.join().unwrap()).collect()
    });
    admin
        .batch_execute(&format!("DROP SCHEMA {schema} CASCADE"))
        .unwrap();
    for result in results {
        assert!(result.is_ok(), "{result:?}");
    }
}

/// Makes every write of `table` on the app's PostgreSQL database wait a second inside its
/// transaction: a window in which another change commits beside it, on every run.
fn pause_writes_of(app: &TestApp, table: &str) {
    app.run_sql(&format!(
        "CREATE FUNCTION pause_a_second() RETURNS trigger LANGUAGE plpgsql AS \
         $$ BEGIN PERFORM pg_sleep(1); RETURN NEW; END $$; \
         CREATE TRIGGER pause BEFORE INSERT OR UPDATE ON {table} \
         FOR EACH ROW EXECUTE FUNCTION pause_a_second();"
    ));
}

/// A proposal for a single citizen with `income` a month.
fn proposal(app: &TestApp, citizen: &str, income: &str) -> Value {
    let household = json!({"leefvorm": "ALLEENSTAANDE", "nettoInkomen": income, "belastbaarJaarinkomen": "23000.00"});
    app.post(
        "/api/v1/betalingsregelingen/voorstellen",
        Some(citizen),
        &json!({"huishouden": household}),
    )
    .succeeded()
    .json()
}

/// The codes of the samenloop flags in the citizen's overview.
fn samenloop_flags(app: &TestApp, citizen: &str) -> Vec<Value> {
    let overview = app
        .get("/api/v1/vorderingenoverzicht", Some(citizen))
        .json();
    overview["samenloop"]["signaleringen"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["code"].clone())
        .collect()
}

/// Runs `first`, and `second` once `first` is well under way; both replies.
fn side_by_side(
    first: impl FnOnce() -> Reply + Send,
    second: impl FnOnce() -> Reply,
) -> (Reply, Reply) {
    std::thread::scope(|s| {
        let first = s.spawn(first);
        std::thread::sleep(Duration::from_millis(400));
        let second = second();
        (first.join().unwrap(), second)
    })
}

#[test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "TEST_DATABASE_URL is not set: PostgreSQL not tested"
)]
fn a_claim_paid_off_while_its_arrangement_is_accepted_leaves_no_samenloop_flag_behind() {
    let app = TestApp::start(Backend::Postgres);
    for (code, events) in cjib_and_duo_claims() {
        app.post_events(code, events).succeeded();
    }
    let mut laid = attachment("100.00", "1331.43", "2026-06-01");
    laid["vorderingkenmerken"] = json!(["CJIB-1"]);
    register(&app, &app.agency("CJIB"), &laid).succeeded();
    let citizen = app.citizen(BSNS[0]);
    let proposal = proposal(&app, &citizen, "2100.00");
    // The acceptance raises VORDERING_IN_REGELING_EN_BESLAG for CJIB-1 and, having read the
    // claims, waits a second; CJIB's payment of the whole claim arrives meanwhile.
    pause_writes_of(&app, "samenloop_states");
    let (accepted, paid) = side_by_side(
        || {
            app.post(
                "/api/v1/betalingsregelingen",
                Some(&citizen),
                &json!({"voorstel": proposal["id"]}),
            )
        },
        || app.post_events("CJIB", json!([payment("P1", "CJIB-1", "1000.00")])),
    );
    assert_eq!(accepted.status, 201, "{}", accepted.text);
    assert_eq!(paid.status, 200, "{}", paid.text);
    let flags = samenloop_flags(&app, &citizen);
    assert!(
        !flags.contains(&json!("VORDERING_IN_REGELING_EN_BESLAG")),
        "CJIB-1 is paid: {flags:?}"
    );
    let told: Vec<_> = samenloop_of(&feed(&app, "CJIB"), "VORDERING_IN_REGELING_EN_BESLAG")
        .into_iter()
        .map(|(kind, _)| kind)
        .collect();
    assert!(
        told.last().is_none_or(|kind| kind == "SAMENLOOP_OPGEHEVEN"),
        "CJIB is not left with a flag: {told:?}"
    );
}

#[test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "TEST_DATABASE_URL is not set: PostgreSQL not tested"
)]
fn a_claim_changed_while_its_arrangement_ends_is_not_told_to_the_coordinator_after_the_end() {
    let app = TestApp::start(Backend::Postgres);
    for (code, events) in cjib_and_duo_claims() {
        app.post_events(code, events).succeeded();
    }
    let citizen = app.citizen(BSNS[0]);
    let proposal = proposal(&app, &citizen, "2100.00");
    let arrangement = accept(&app, &citizen, proposal["id"].as_str().unwrap())
        .succeeded()
        .json();
    // DUO's remission has read that DUO-1 is arranged and waits a second on writing it; the
    // citizen ends the arrangement meanwhile.
    pause_writes_of(&app, "claims");
    let ending = format!(
        "/api/v1/betalingsregelingen/{}/beeindigen",
        arrangement["id"].as_str().unwrap()
    );
    let (remitted, ended) = side_by_side(
        || app.post_events("DUO", json!([remission("DK1", "DUO-1", "100.00")])),
        || {
            app.post(
                &ending,
                Some(&citizen),
                &json!({"reden": "Opnieuw beginnen"}),
            )
        },
    );
    assert_eq!(remitted.status, 200, "{}", remitted.text);
    assert_eq!(ended.status, 200, "{}", ended.text);
    let about_it: Vec<String> = feed(&app, "CJIB")
        .into_iter()
        .filter(|m| m["inhoud"]["regelingId"] == arrangement["id"])
        .map(|m| m["inhoud"]["soort"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        about_it.last().map(String::as_str),
        Some("REGELING_BEEINDIGD"),
        "nothing about a running arrangement after its end: {about_it:?}"
    );
}

#[test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "TEST_DATABASE_URL is not set: PostgreSQL not tested"
)]
fn a_creditor_told_of_a_pause_while_the_trajectory_ends_is_told_that_it_ended() {
    let app = TestApp::start(Backend::Postgres);
    app.post_events(
        "DUO",
        json!([imposed(
            "D1",
            "DUO-1",
            BSNS[0],
            "duo_studieschuld",
            "2000.00"
        )]),
    )
    .succeeded();
    mandate(&app, BSNS[0], "GKB");
    let trajectory = register_trajectory(&app, "GKB", BSNS[0], "STABILISATIE")
        .succeeded()
        .json();
    // The citizen ends the trajectory; having read whom to tell, the end waits a second, and
    // CJIB's first claim on the citizen arrives meanwhile.
    pause_writes_of(&app, "debt_help_trajectories");
    let path = format!(
        "/api/v1/schuldhulptrajecten/{}",
        trajectory["id"].as_str().unwrap()
    );
    let (ended, imposed) = side_by_side(
        || {
            app.send(
                "PATCH",
                &path,
                Some(&app.citizen(BSNS[0])),
                Some((
                    "application/merge-patch+json",
                    json!({"einddatum": "2026-06-15"}).to_string(),
                )),
            )
        },
        || {
            app.post_events(
                "CJIB",
                json!([imposed("C1", "CJIB-1", BSNS[0], "cjib_boete", "100.00")]),
            )
        },
    );
    assert_eq!(ended.status, 200, "{}", ended.text);
    assert_eq!(imposed.status, 200, "{}", imposed.text);
    let told: Vec<_> = feed(&app, "CJIB")
        .iter()
        .map(|m| m["inhoud"]["soort"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        told.is_empty() || told == ["SCHULDHULPTRAJECT_GESTART", "SCHULDHULPTRAJECT_BEEINDIGD"],
        "told of the pause only with its end: {told:?}"
    );
}

/// CJIB's and DUO's claims on the first citizen, who mandates GKB.
fn citizen_in_debt_help(app: &TestApp) {
    for (code, events) in cjib_and_duo_claims() {
        app.post_events(code, events).succeeded();
    }
    mandate(app, BSNS[0], "GKB");
}

/// `begin` records the Wsnp, which waits a second on writing it; the citizen accepts a proposal
/// made before meanwhile. No arrangement may start.
fn no_arrangement_starts_beside(app: &TestApp, begin: impl FnOnce() -> Reply + Send) {
    let citizen = app.citizen(BSNS[0]);
    let proposal = proposal(app, &citizen, "2100.00");
    pause_writes_of(app, "debt_help_trajectories");
    let (begun, accepted) = side_by_side(begin, || {
        accept(app, &citizen, proposal["id"].as_str().unwrap())
    });
    assert!((200..300).contains(&begun.status), "{}", begun.text);
    assert_eq!(accepted.status, 409, "{}", accepted.text);
    assert!(
        accepted.text.contains("wettelijke schuldsanering"),
        "{}",
        accepted.text
    );
    let overview = app
        .get("/api/v1/vorderingenoverzicht", Some(&citizen))
        .json();
    assert_eq!(overview["lopendeRegelingen"], json!([]), "nothing started");
}

#[test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "TEST_DATABASE_URL is not set: PostgreSQL not tested"
)]
fn a_proposal_accepted_while_the_phase_becomes_wsnp_starts_no_arrangement() {
    let app = TestApp::start(Backend::Postgres);
    citizen_in_debt_help(&app);
    let trajectory = register_trajectory(&app, "GKB", BSNS[0], "STABILISATIE")
        .succeeded()
        .json();
    let path = format!(
        "/api/v1/schuldhulptrajecten/{}",
        trajectory["id"].as_str().unwrap()
    );
    no_arrangement_starts_beside(&app, || {
        app.send(
            "PATCH",
            &path,
            Some(&app.counsellor("GKB")),
            Some((
                "application/merge-patch+json",
                json!({"fase": "WSNP"}).to_string(),
            )),
        )
    });
}

#[test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "TEST_DATABASE_URL is not set: PostgreSQL not tested"
)]
fn a_proposal_accepted_while_a_wsnp_trajectory_is_registered_starts_no_arrangement() {
    let app = TestApp::start(Backend::Postgres);
    citizen_in_debt_help(&app);
    no_arrangement_starts_beside(&app, || register_trajectory(&app, "GKB", BSNS[0], "WSNP"));
}

#[test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "TEST_DATABASE_URL is not set: PostgreSQL not tested"
)]
fn two_changes_of_one_person_at_once_keep_a_samenloop_evaluation_that_sees_both() {
    let app = TestApp::start(Backend::Postgres);
    for (code, events) in cjib_and_duo_claims() {
        app.post_events(code, events).succeeded();
    }
    let citizen = app.citizen(BSNS[0]);
    let proposal = proposal(&app, &citizen, "2000.00");
    accept(&app, &citizen, proposal["id"].as_str().unwrap()).succeeded();
    // 1 July: the arrangement takes from the income, so a second one concurs with it.
    app.clock.advance(chrono::Duration::days(16));
    // CJIB attaches for CJIB-1, in the arrangement (VORDERING_IN_REGELING_EN_BESLAG), and waits a
    // second after re-evaluating; meanwhile the citizen declares a second arrangement
    // (SAMENLOOP_REGELINGEN), re-evaluated without the attachment if nothing holds it back.
    pause_writes_of(&app, "samenloop_states");
    let mut laid = attachment("10.00", "1331.43", "2026-06-01");
    laid["vorderingkenmerken"] = json!(["CJIB-1"]);
    let (attached, declared) = side_by_side(
        || register(&app, &app.agency("CJIB"), &laid),
        || {
            app.post(
                "/api/v1/andere-regelingen",
                Some(&citizen),
                &json!({"partij": "Woonstad (huurachterstand)", "maandbedrag": "5.00", "startdatum": "2026-06-01"}),
            )
        },
    );
    assert_eq!(attached.status, 201, "{}", attached.text);
    assert_eq!(declared.status, 201, "{}", declared.text);
    let flags = samenloop_flags(&app, &citizen);
    for flag in ["VORDERING_IN_REGELING_EN_BESLAG", "SAMENLOOP_REGELINGEN"] {
        assert!(flags.contains(&json!(flag)), "{flag} in {flags:?}");
    }
}

#[test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "TEST_DATABASE_URL is not set: PostgreSQL not tested"
)]
fn a_mandate_granted_twice_at_once_is_granted_once() {
    let app = TestApp::start(Backend::Postgres);
    let citizen = app.citizen(BSNS[0]);
    // The first grant waits a second after writing its mandate; the second (a double click)
    // arrives meanwhile.
    pause_writes_of(&app, "mandates");
    let grant = || {
        app.post(
            "/api/v1/machtigingen",
            Some(&citizen),
            &json!({"schuldhulpverlener": "GKB", "geldigTot": "2027-06-30"}),
        )
    };
    let (first, second) = side_by_side(grant, grant);
    let mut statuses = [first.status, second.status];
    statuses.sort();
    assert_eq!(statuses, [201, 409], "{} / {}", first.text, second.text);
    let mandates = app.get("/api/v1/machtigingen", Some(&citizen)).json();
    assert_eq!(
        mandates["machtigingen"].as_array().unwrap().len(),
        1,
        "{mandates}"
    );
}

#[test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "TEST_DATABASE_URL is not set: PostgreSQL not tested"
)]
fn an_arrangement_declared_twice_at_once_is_recorded_once() {
    let app = TestApp::start(Backend::Postgres);
    let citizen = app.citizen(BSNS[0]);
    // The first declaration waits a second after writing; the second (a double click) arrives
    // meanwhile.
    pause_writes_of(&app, "declared_arrangements");
    let declare = || {
        app.post(
            "/api/v1/andere-regelingen",
            Some(&citizen),
            &json!({"partij": "Woonstad", "maandbedrag": "75.00", "startdatum": "2026-02-01"}),
        )
    };
    let (first, second) = side_by_side(declare, declare);
    let mut statuses = [first.status, second.status];
    statuses.sort();
    assert_eq!(statuses, [200, 201], "{} / {}", first.text, second.text);
    assert_eq!(first.json()["id"], second.json()["id"]);
    let overview = app
        .get("/api/v1/vorderingenoverzicht", Some(&citizen))
        .json();
    assert_eq!(
        overview["andereRegelingen"].as_array().unwrap().len(),
        1,
        "{overview}"
    );
}

#[test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "TEST_DATABASE_URL is not set: PostgreSQL not tested"
)]
fn two_changes_of_one_declared_arrangement_at_once_keep_both() {
    let app = TestApp::start(Backend::Postgres);
    let citizen = app.citizen(BSNS[0]);
    let declared = app
        .post(
            "/api/v1/andere-regelingen",
            Some(&citizen),
            &json!({"partij": "Woonstad", "maandbedrag": "50.00", "startdatum": "2026-06-01"}),
        )
        .succeeded()
        .json();
    let path = format!(
        "/api/v1/andere-regelingen/{}",
        declared["id"].as_str().unwrap()
    );
    // The first change waits a second after writing; the second, of another field, arrives
    // meanwhile and must not write back what it read before the first committed.
    pause_writes_of(&app, "declared_arrangements");
    let change = |body: Value| {
        app.send(
            "PATCH",
            &path,
            Some(&citizen),
            Some(("application/merge-patch+json", body.to_string())),
        )
    };
    let (amount, end) = side_by_side(
        || change(json!({"maandbedrag": "75.00"})),
        || change(json!({"einddatum": "2027-01-31"})),
    );
    assert_eq!(
        (amount.status, end.status),
        (200, 200),
        "{} / {}",
        amount.text,
        end.text
    );
    let overview = app
        .get("/api/v1/vorderingenoverzicht", Some(&citizen))
        .json();
    let stored = &overview["andereRegelingen"][0];
    assert_eq!(stored["maandbedrag"], "75.00", "{stored}");
    assert_eq!(stored["einddatum"], "2027-01-31", "{stored}");
}

#[test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "TEST_DATABASE_URL is not set: PostgreSQL not tested"
)]
fn a_mandate_revoked_twice_at_once_is_revoked_and_logged_once() {
    let app = TestApp::start(Backend::Postgres);
    let citizen = app.citizen(BSNS[0]);
    let mandate = app
        .post(
            "/api/v1/machtigingen",
            Some(&citizen),
            &json!({"schuldhulpverlener": "GKB", "geldigTot": "2027-06-30"}),
        )
        .succeeded()
        .json();
    let path = format!("/api/v1/machtigingen/{}", mandate["id"].as_str().unwrap());
    pause_writes_of(&app, "mandates");
    let revoke = || app.delete(&path, Some(&citizen));
    let (first, second) = side_by_side(revoke, revoke);
    assert_eq!(
        (first.status, second.status),
        (204, 204),
        "{} / {}",
        first.text,
        second.text
    );
    let log = app
        .get("/api/v1/inzagelog?aantal=100", Some(&citizen))
        .json();
    let revocations = log["regels"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["handeling"] == "MACHTIGING_INGETROKKEN")
        .count();
    assert_eq!(revocations, 1, "{log}");
}

#[test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "TEST_DATABASE_URL is not set: PostgreSQL not tested"
)]
fn two_subscriptions_at_once_cannot_both_pass_the_limit() {
    let app = TestApp::start(Backend::Postgres);
    let agency = app.agency("CJIB");
    let subscribe = |n: usize| {
        app.post(
            "/api/v1/abonnementen",
            Some(&agency),
            &json!({"url": format!("http://127.0.0.1:9/ontvanger-{n}"), "geheim": "whsec_YS10ZXN0LXdlYmhvb2sta2V5LW9mLTMyLWJ5dGVzISE="}),
        )
    };
    for n in 0..9 {
        assert_eq!(subscribe(n).status, 201);
    }
    // The first of the last two waits a second after writing; the second counts meanwhile.
    pause_writes_of(&app, "webhook_subscriptions");
    let (first, second) = side_by_side(|| subscribe(9), || subscribe(10));
    let mut statuses = [first.status, second.status];
    statuses.sort();
    assert_eq!(statuses, [201, 409], "{} / {}", first.text, second.text);
    let list = app.get("/api/v1/abonnementen", Some(&agency)).json();
    assert_eq!(list["abonnementen"].as_array().unwrap().len(), 10, "{list}");
}

#[test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "TEST_DATABASE_URL is not set: PostgreSQL not tested"
)]
fn the_same_norm_table_posted_twice_at_once_is_added_once_and_refused_once() {
    let app = TestApp::start(Backend::Postgres);
    let table = crate::fixtures::next_table(&app);
    pause_writes_of(&app, "norm_tables");
    let post = || app.post("/api/v1/normtabellen", Some(&app.admin()), &table);
    let (first, second) = side_by_side(post, post);
    let mut statuses = [first.status, second.status];
    statuses.sort();
    assert_eq!(statuses, [201, 400], "{} / {}", first.text, second.text);
}

/// The public registers and norm tables only read: on SQLite, where a change holds the one
/// write lock, they answer while a long change is under way instead of queueing behind it.
#[test]
fn the_public_registers_answer_while_a_change_holds_the_sqlite_write_lock() {
    use diesel::SqliteConnection;
    let app = TestApp::start(Backend::Sqlite);
    let mut writer = SqliteConnection::establish(&app.config.database_url).unwrap();
    writer.batch_execute("BEGIN IMMEDIATE").unwrap();
    for path in [
        "/api/v1/schuldeisers",
        "/api/v1/schuldhulpverleners",
        "/api/v1/normtabellen",
    ] {
        let started = std::time::Instant::now();
        assert_eq!(app.get(path, None).status, 200, "{path}");
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "{path} waited for the writer"
        );
    }
    writer.batch_execute("ROLLBACK").unwrap();
}

#[test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "TEST_DATABASE_URL is not set: PostgreSQL not tested"
)]
fn a_prefix_changed_on_one_instance_decides_every_batch_at_once_on_every_instance() {
    let first = TestApp::start(Backend::Postgres);
    let second = first.another_instance();
    let admin = first.admin();
    let entry =
        |name: &str, prefix: &str| json!({"naam": name, "vorderingtypeVoorvoegsel": prefix});
    let claim =
        |key: &str, claim_type: &str| json!([imposed(key, key, BSNS[0], claim_type, "25.00")]);
    // The second instance has just loaded the registry, so it will not look again for seconds.
    second.get("/api/v1/schuldeisers", None).succeeded();
    first
        .put(
            "/api/v1/schuldeisers/NVWA",
            Some(&admin),
            &entry("NVWA", "nvwb"),
        )
        .succeeded();
    let stale = second.post_events("NVWA", claim("N1", "nvwa_boete"));
    assert_eq!(
        stale.invalid_names(),
        ["gebeurtenissen[0].vorderingtype"],
        "the old prefix is refused also where the registry was not reloaded: {}",
        stale.text
    );
    second
        .post_events("NVWA", claim("N1", "nvwb_boete"))
        .succeeded();

    // A change of a prefix without claims waits for a batch under way, and then sees its
    // claim: the prefix the claim was stored under stays the creditor's.
    pause_writes_of(&first, "claims");
    let (batch, change) = side_by_side(
        || second.post_events("RDI", claim("R1", "rdi_boete")),
        || {
            first.put(
                "/api/v1/schuldeisers/RDI",
                Some(&admin),
                &entry("RDI", "rdj"),
            )
        },
    );
    assert_eq!(batch.status, 200, "{}", batch.text);
    assert_eq!(
        change.problem(400)["invalidParams"][0]["code"],
        "vast",
        "{}",
        change.text
    );
    let replay = second
        .post_events("RDI", claim("R1", "rdi_boete"))
        .succeeded()
        .json();
    assert_eq!(
        replay["verwerkt"], 0,
        "a replay, on the prefix it was stored under: {replay}"
    );
    drop(second);
}
