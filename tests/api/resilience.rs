//! The database going away gives 503 problems, and the service recovers by itself.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::support::{BSNS, Backend, TestApp};

/// A TCP proxy in front of PostgreSQL that can cut all connections and refuse new ones.
struct Proxy {
    address: String,
    open: Arc<AtomicBool>,
    connections: Arc<Mutex<Vec<TcpStream>>>,
}

impl Proxy {
    fn start(upstream: String) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap().to_string();
        let open = Arc::new(AtomicBool::new(true));
        let connections: Arc<Mutex<Vec<TcpStream>>> = Arc::default();
        let (accept_open, accept_connections) = (open.clone(), connections.clone());
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                if !accept_open.load(Ordering::SeqCst) {
                    let _ = client.shutdown(Shutdown::Both);
                    continue;
                }
                let Ok(server) = TcpStream::connect(&upstream) else {
                    continue;
                };
                let mut list = accept_connections.lock().unwrap();
                list.push(client.try_clone().unwrap());
                list.push(server.try_clone().unwrap());
                pipe(client.try_clone().unwrap(), server.try_clone().unwrap());
                pipe(server, client);
            }
        });
        Proxy {
            address,
            open,
            connections,
        }
    }

    fn cut(&self) {
        self.open.store(false, Ordering::SeqCst);
        for stream in self.connections.lock().unwrap().drain(..) {
            let _ = stream.shutdown(Shutdown::Both);
        }
    }

    fn restore(&self) {
        self.open.store(true, Ordering::SeqCst);
    }
}

fn pipe(mut from: TcpStream, mut to: TcpStream) {
    std::thread::spawn(move || {
        let mut buffer = [0u8; 16384];
        while let Ok(n) = from.read(&mut buffer) {
            if n == 0 || to.write_all(&buffer[..n]).is_err() {
                break;
            }
        }
        let _ = to.shutdown(Shutdown::Both);
    });
}

/// `postgres://user@host:port/db?…` → (`host:port`, URL with `replacement` instead).
fn reroute(url: &str, replacement: &str) -> (String, String) {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    let rest = &url[after_scheme..];
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    let host_start = authority.rfind('@').map_or(0, |i| i + 1);
    let host = &authority[host_start..];
    let host = if host.contains(':') {
        host.to_owned()
    } else {
        format!("{host}:5432")
    };
    let rerouted = format!(
        "{}{}{}{}",
        &url[..after_scheme],
        &authority[..host_start],
        replacement,
        &rest[authority_end..]
    );
    (host, rerouted)
}

#[test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "TEST_DATABASE_URL is not set: PostgreSQL not tested"
)]
fn a_database_outage_gives_503_within_a_second_and_the_service_recovers_by_itself() {
    let proxy: Arc<Mutex<Option<Proxy>>> = Arc::default();
    let slot = proxy.clone();
    let app = TestApp::start_with(Backend::Postgres, move |config| {
        let (upstream, _) = reroute(&config.database_url, "");
        let started = Proxy::start(upstream);
        config.database_url = reroute(&config.database_url, &started.address).1;
        *slot.lock().unwrap() = Some(started);
    });
    let guard = proxy.lock().unwrap();
    let proxy = guard.as_ref().unwrap();
    let citizen = app.citizen(BSNS[0]);
    assert_eq!(
        app.get("/api/v1/vorderingenoverzicht", Some(&citizen))
            .status,
        200
    );

    proxy.cut();
    // Not the pool's whole checkout timeout (5 s) per request: the first requests find the
    // database gone, the rest are refused at once while one at a time probes.
    for _ in 0..20 {
        let asked = Instant::now();
        let down = app.get("/api/v1/vorderingenoverzicht", Some(&citizen));
        down.problem(503);
        assert!(down.header("retry-after").is_some());
        assert!(
            asked.elapsed() < Duration::from_secs(1),
            "took {:?}",
            asked.elapsed()
        );
    }
    let asked = Instant::now();
    app.get("/health/ready", None).problem(503);
    assert!(
        asked.elapsed() < Duration::from_secs(1),
        "readiness took {:?}",
        asked.elapsed()
    );
    assert_eq!(
        app.get("/health/live", None).status,
        200,
        "the process itself lives on"
    );

    proxy.restore();
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let reply = app.get("/api/v1/vorderingenoverzicht", Some(&citizen));
        if reply.status == 200 {
            break;
        }
        assert!(Instant::now() < deadline, "did not recover: {}", reply.text);
        std::thread::sleep(Duration::from_millis(200));
    }
    assert_eq!(app.get("/health/ready", None).status, 200);
}

#[test]
fn rerouting_replaces_only_host_and_port() {
    let (host, url) = reroute(
        "postgres://postgres@127.0.0.1:5432/test?options=x",
        "127.0.0.1:9",
    );
    assert_eq!(host, "127.0.0.1:5432");
    assert_eq!(url, "postgres://postgres@127.0.0.1:9/test?options=x");
    let (host, _) = reroute("postgresql://db.internal/test", "h:1");
    assert_eq!(host, "db.internal:5432");
}
