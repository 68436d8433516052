//! Several writers at once: every batch succeeds, nothing is lost, nothing stored twice; and
//! instances starting at once migrate one after the other.

use std::collections::HashSet;

use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};
use serde_json::{Value, json};

use crate::fixtures::imposed;
use crate::on_both_backends;
use crate::support::{BSNS, TestApp, postgres_url, with_search_path};

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
}

#[test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "TEST_DATABASE_URL is not set: PostgreSQL not tested"
)]
fn two_instances_migrating_a_fresh_schema_at_once_both_succeed() {
    let url = postgres_url();
    let schema = format!("m_{}", uuid::Uuid::new_v4().simple());
    let mut admin = PgConnection::establish(&url).unwrap();
    admin
        .batch_execute(&format!("CREATE SCHEMA {schema}"))
        .unwrap();
    let schema_url = with_search_path(&url, &schema);
    let results: Vec<_> = std::thread::scope(|s| {
        let instances: Vec<_> = (0..2)
            .map(|_| s.spawn(|| rijksincasso::store::Db::new(&schema_url, 1).migrate()))
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
