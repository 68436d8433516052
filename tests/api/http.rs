//! The HTTP contract: problem+json everywhere, API-Version on every response, request ids.

use serde_json::json;

use crate::on_both_backends;
use crate::support::BSNS;

on_both_backends! {
    fn every_response_carries_the_api_version(app) {
        let replies = [
            app.get("/api/v1/schuldeisers", None),
            app.get("/api/v1/vorderingen", None),
            app.get("/api/v1/bestaat-niet", None),
            app.send("PATCH", "/api/v1/schuldeisers", None, None),
            app.get("/health/live", None),
        ];
        for reply in replies {
            assert_eq!(reply.header("api-version"), Some("1.0.0"), "status {}", reply.status);
        }
    }

    fn no_cache_keeps_an_answer_of_the_api(app) {
        let replies = [
            app.get("/api/v1/vorderingenoverzicht", Some(&app.citizen(BSNS[0]))),
            app.get("/api/v1/inzagelog", Some(&app.citizen(BSNS[0]))),
            app.get("/api/v1/vorderingen", None),
            app.get("/api/v1/schuldeisers", None),
        ];
        for reply in replies {
            assert_eq!(reply.header("cache-control"), Some("no-store"), "status {}: {}", reply.status, reply.text);
            // Nor does a browser that opens one render or frame it.
            assert_eq!(reply.header("x-content-type-options"), Some("nosniff"), "status {}", reply.status);
            assert_eq!(reply.header("content-security-policy"), Some("default-src 'none'; frame-ancestors 'none'"), "status {}", reply.status);
        }
    }

    fn a_400_on_a_read_does_not_say_something_was_stored(app) {
        let problem = app.get("/api/v1/meldingen?na=abc", Some(&app.agency("CJIB"))).problem(400);
        assert_eq!(problem["detail"], "De invoer bevat 1 fout; er is niets veranderd.");
    }

    fn framework_errors_are_problem_reports_too(app) {
        app.get("/api/v1/bestaat-niet", None).problem(404);
        app.get("/api/v1/schuldeisers/", None).problem(404);
        app.send("DELETE", "/api/v1/schuldeisers", None, None).problem(405);
        let token = app.agency("CJIB");
        app.send("POST", "/api/v1/gebeurtenissen", Some(&token), Some(("text/plain", "hallo".into()))).problem(415);
        app.send("POST", "/api/v1/gebeurtenissen", Some(&token), None).problem(415);
        let huge = format!("{{\"gebeurtenissen\": [\"{}\"]}}", "x".repeat(3 * 1024 * 1024));
        app.send("POST", "/api/v1/gebeurtenissen", Some(&token), Some(("application/json", huge))).problem(413);
    }

    fn malformed_json_is_a_400_that_does_not_repeat_the_input(app) {
        let body = format!("{{\"gebeurtenissen\": [{{\"burgerservicenummer\": \"{}\",", BSNS[0]);
        let reply = app.send("POST", "/api/v1/gebeurtenissen", Some(&app.agency("CJIB")), Some(("application/json", body)));
        let problem = reply.problem(400);
        assert_eq!(problem["invalidParams"][0]["code"], "ongeldige_json");
        assert!(!reply.text.contains(BSNS[0]));
        let array = app.post("/api/v1/gebeurtenissen", Some(&app.agency("CJIB")), &json!([BSNS[0]]));
        assert_eq!(array.invalid_names(), ["(body)"]);
        assert!(!array.text.contains(BSNS[0]));
    }

    fn each_response_names_its_request_id(app) {
        let reply = app.get("/health/live", None);
        assert_eq!(reply.header("x-request-id").map(str::len), Some(36));
        let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
        let echoed = |sent: &str| {
            let request = ureq::http::Request::builder()
                .uri(format!("{}/health/live", app.base))
                .header("X-Request-Id", sent);
            let response = agent.run(request.body(()).unwrap()).unwrap();
            response.headers().get("x-request-id").unwrap().to_str().unwrap().to_owned()
        };
        let uuid = "0193f1e2-7c1a-7d3b-9a52-3f0c2b1e4d5a";
        assert_eq!(echoed(uuid), uuid, "a caller's UUID is kept");
        let replaced = echoed("keten-123");
        assert!(replaced != "keten-123" && uuid::Uuid::try_parse(&replaced).is_ok(), "anything else is replaced: {replaced}");
    }

    fn health_endpoints_report_up(app) {
        assert_eq!(app.get("/health/live", None).json(), json!({"status": "UP"}));
        assert_eq!(app.get("/health/ready", None).json(), json!({"status": "UP"}));
    }
}
