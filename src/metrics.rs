//! The service's Prometheus metrics, with the `prometheus` crate. Labels carry route patterns,
//! status codes, flag codes and feed owners (creditor codes, counsellor organisation ids):
//! never a path, a BSN or anything else about a person. What they mean is in
//! `docs/operations.md`.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{NaiveDate, NaiveTime};

use diesel::connection::{Instrumentation, InstrumentationEvent};
use diesel::r2d2::{self, HandleEvent};
use prometheus::{
    Histogram, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGauge, IntGaugeVec, Opts,
    Registry, TextEncoder,
};

/// Request latency buckets, in seconds: from a cached read to the slowest batch.
const LATENCY_BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
];

/// Content type of the text exposition format.
pub const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// How full the connection pool is at a scrape.
#[derive(Debug, Clone, Copy)]
pub struct PoolUsage {
    pub open: u32,
    pub idle: u32,
    pub max: u32,
}

/// The newest position of each notification feed, by owner.
pub type FeedPositions = Vec<(String, i64)>;

/// What a scrape reads from the database for the gauges of state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredState {
    pub feeds: FeedPositions,
    /// Per feed with a webhook subscription still delivering, the lowest position delivered.
    pub webhooks_delivered: FeedPositions,
    /// [`NormTable::covered_until`](crate::domain::beslagvrije_voet::NormTable::covered_until).
    pub norm_tables_covered_until: Option<NaiveDate>,
}

/// The metrics of one running service. Counters and histograms are updated where things happen;
/// gauges of state (pool, feeds) are set when scraped.
pub struct Metrics {
    registry: Registry,
    requests: HistogramVec,
    pool_connections: IntGaugeVec,
    pool_max: IntGauge,
    pool_wait: Histogram,
    pool_timeouts: IntCounter,
    feed_position: IntGaugeVec,
    feed_fetched: IntGaugeVec,
    feed_lag: IntGaugeVec,
    feed_last_read: IntGaugeVec,
    webhook_backlog: IntGaugeVec,
    /// Per feed: the highest position its reader fetched, and when it last read (Unix seconds).
    reads: Mutex<BTreeMap<String, (i64, i64)>>,
    flags_raised: IntCounterVec,
    norm_tables_covered_until: IntGauge,
    tokens_refused: IntCounterVec,
    statements: IntCounterVec,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Metrics(..)")
    }
}

/// Registers `metric` and hands it back. Names are fixed here, so a failure is a programming
/// error caught by every test.
fn registered<M: prometheus::core::Collector + Clone + 'static>(
    registry: &Registry,
    metric: prometheus::Result<M>,
) -> M {
    let metric = metric.expect("valid metric definition");
    registry
        .register(Box::new(metric.clone()))
        .expect("metric registered once");
    metric
}

impl Metrics {
    pub fn new() -> Arc<Metrics> {
        let registry =
            Registry::new_custom(Some("rijksincasso".into()), None).expect("valid metric prefix");
        let r = &registry;
        Arc::new(Metrics {
            requests: registered(
                r,
                HistogramVec::new(
                    HistogramOpts::new(
                        "http_request_duration_seconds",
                        "HTTP requests by method, route pattern and status: latency in seconds; \
                         _count is the number of requests",
                    )
                    .buckets(LATENCY_BUCKETS.to_vec()),
                    &["method", "route", "status"],
                ),
            ),
            pool_connections: registered(
                r,
                IntGaugeVec::new(
                    Opts::new(
                        "db_pool_connections",
                        "Database connections of the pool, by state (in_use, idle)",
                    ),
                    &["state"],
                ),
            ),
            pool_max: registered(
                r,
                IntGauge::new(
                    "db_pool_max_connections",
                    "Most connections the pool opens (RIJKSINCASSO_DB_POOL)",
                ),
            ),
            pool_wait: registered(
                r,
                Histogram::with_opts(
                    HistogramOpts::new(
                        "db_pool_wait_seconds",
                        "Time a request waited for a database connection",
                    )
                    .buckets(LATENCY_BUCKETS.to_vec()),
                ),
            ),
            pool_timeouts: registered(
                r,
                IntCounter::new(
                    "db_pool_timeouts_total",
                    "Requests that found no database connection in time",
                ),
            ),
            feed_position: registered(
                r,
                IntGaugeVec::new(
                    Opts::new(
                        "notification_feed_position",
                        "Newest position of each notification feed, by owner",
                    ),
                    &["feed"],
                ),
            ),
            feed_fetched: registered(
                r,
                IntGaugeVec::new(
                    Opts::new(
                        "notification_feed_fetched_position",
                        "Highest position the feed's reader fetched from this instance since it \
                         started",
                    ),
                    &["feed"],
                ),
            ),
            feed_lag: registered(
                r,
                IntGaugeVec::new(
                    Opts::new(
                        "notification_feed_lag",
                        "Notifications in the feed after the highest position its reader fetched \
                         from this instance (since it started): take the minimum over instances",
                    ),
                    &["feed"],
                ),
            ),
            feed_last_read: registered(
                r,
                IntGaugeVec::new(
                    Opts::new(
                        "notification_feed_last_read_timestamp_seconds",
                        "When the feed's reader last read it from this instance (Unix time)",
                    ),
                    &["feed"],
                ),
            ),
            webhook_backlog: registered(
                r,
                IntGaugeVec::new(
                    Opts::new(
                        "webhook_backlog",
                        "Notifications in the feed its slowest webhook subscription has not \
                         delivered yet, by feed owner (shared by all instances: take the maximum)",
                    ),
                    &["feed"],
                ),
            ),
            reads: Mutex::default(),
            norm_tables_covered_until: registered(
                r,
                IntGauge::new(
                    "norm_tables_covered_until_timestamp_seconds",
                    "The first day no norm table covers, 00:00 UTC (Unix time): from a month \
                     before it no Betalingsregeling Rijk is planned until the next table is posted",
                ),
            ),
            flags_raised: registered(
                r,
                IntCounterVec::new(
                    Opts::new(
                        "samenloop_flags_raised_total",
                        "Samenloop flags raised, by kind (the flag code), counted when committed",
                    ),
                    &["kind"],
                ),
            ),
            tokens_refused: registered(
                r,
                IntCounterVec::new(
                    Opts::new("tokens_refused_total", "Bearer tokens refused, by reason"),
                    &["reason"],
                ),
            ),
            statements: registered(
                r,
                IntCounterVec::new(
                    Opts::new(
                        "db_statements_total",
                        "SQL statements sent to the database, by kind: transaction (BEGIN, \
                         COMMIT, ROLLBACK, savepoints) or query (everything else)",
                    ),
                    &["kind"],
                ),
            ),
            registry,
        })
    }

    /// One HTTP request answered.
    pub fn request(&self, method: &str, route: &str, status: u16, took: Duration) {
        self.requests
            .with_label_values(&[method, route, &status.to_string()])
            .observe(took.as_secs_f64());
    }

    /// A samenloop flag of this kind was raised and committed.
    pub fn flag_raised(&self, kind: &str) {
        self.flags_raised.with_label_values(&[kind]).inc();
    }

    pub fn token_refused(&self, reason: &str) {
        self.tokens_refused.with_label_values(&[reason]).inc();
    }

    /// The owner of `feed` fetched it through `position`, at `now` (Unix seconds).
    pub fn feed_read(&self, feed: &str, position: i64, now: i64) {
        let mut reads = self.reads.lock().unwrap_or_else(|p| p.into_inner());
        let entry = reads.entry(feed.to_owned()).or_insert((position, now));
        *entry = (entry.0.max(position), now);
    }

    /// Counts the statements of a database connection, to be installed on it.
    pub fn statement_counter(&self) -> StatementCounter {
        StatementCounter {
            queries: self.statements.with_label_values(&["query"]),
            transactions: self.statements.with_label_values(&["transaction"]),
            transaction_control_next: false,
        }
    }

    /// Observes the connection pool's waits and timeouts.
    pub fn pool_events(self: &Arc<Self>) -> Box<dyn HandleEvent> {
        Box::new(PoolEvents(self.clone()))
    }

    /// The text exposition of every metric, with the gauges of state set from `pool` and
    /// `stored` (absent when the database could not be read; the norm tables' day then stays as
    /// last read).
    pub fn render(&self, pool: PoolUsage, stored: Option<&StoredState>) -> String {
        if let Some(until) = stored.and_then(|s| s.norm_tables_covered_until) {
            let midnight = until.and_time(NaiveTime::MIN).and_utc().timestamp();
            self.norm_tables_covered_until.set(midnight);
        }
        let feeds = stored.map(|s| &s.feeds);
        let in_use = pool.open.saturating_sub(pool.idle);
        self.pool_connections
            .with_label_values(&["in_use"])
            .set(i64::from(in_use));
        self.pool_connections
            .with_label_values(&["idle"])
            .set(i64::from(pool.idle));
        self.pool_max.set(i64::from(pool.max));
        for gauge in [
            &self.feed_position,
            &self.feed_fetched,
            &self.feed_lag,
            &self.feed_last_read,
            &self.webhook_backlog,
        ] {
            gauge.reset();
        }
        if let Some(stored) = stored {
            for (feed, delivered) in &stored.webhooks_delivered {
                let newest = stored
                    .feeds
                    .iter()
                    .find(|(owner, _)| owner == feed)
                    .map_or(0, |(_, newest)| *newest);
                self.webhook_backlog
                    .with_label_values(&[feed])
                    .set((newest - delivered).max(0));
            }
        }
        let reads = self.reads.lock().unwrap_or_else(|p| p.into_inner());
        for (feed, newest) in feeds.into_iter().flatten() {
            let (fetched, last_read) = reads.get(feed).copied().unzip();
            let fetched = fetched.unwrap_or(0).min(*newest);
            self.feed_position.with_label_values(&[feed]).set(*newest);
            self.feed_fetched.with_label_values(&[feed]).set(fetched);
            self.feed_lag
                .with_label_values(&[feed])
                .set(newest - fetched);
            if let Some(at) = last_read {
                self.feed_last_read.with_label_values(&[feed]).set(at);
            }
        }
        drop(reads);
        TextEncoder::new()
            .encode_to_string(&self.registry.gather())
            .unwrap_or_default()
    }
}

/// Counts every statement a connection sends: each round trip costs, so the count per request
/// is what the read path is measured by.
pub struct StatementCounter {
    queries: IntCounter,
    transactions: IntCounter,
    /// Diesel announces a transaction boundary just before it sends the statement for it.
    transaction_control_next: bool,
}

impl Instrumentation for StatementCounter {
    fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
        match event {
            InstrumentationEvent::BeginTransaction { .. }
            | InstrumentationEvent::CommitTransaction { .. }
            | InstrumentationEvent::RollbackTransaction { .. } => {
                self.transaction_control_next = true;
            }
            InstrumentationEvent::StartQuery { .. } => {
                if std::mem::take(&mut self.transaction_control_next) {
                    self.transactions.inc();
                } else {
                    self.queries.inc();
                }
            }
            _ => {}
        }
    }
}

#[derive(Debug)]
struct PoolEvents(Arc<Metrics>);

impl HandleEvent for PoolEvents {
    fn handle_checkout(&self, event: r2d2::event::CheckoutEvent) {
        self.0.pool_wait.observe(event.duration().as_secs_f64());
    }

    fn handle_timeout(&self, event: r2d2::event::TimeoutEvent) {
        self.0.pool_wait.observe(event.timeout().as_secs_f64());
        self.0.pool_timeouts.inc();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(text: &str, series: &str) -> Option<f64> {
        text.lines()
            .find_map(|line| line.strip_prefix(series)?.trim().parse().ok())
    }

    #[test]
    fn feed_lag_is_the_newest_position_less_the_highest_fetched_and_the_norm_tables_day_is_midnight()
     {
        let metrics = Metrics::new();
        let pool = PoolUsage {
            open: 3,
            idle: 1,
            max: 10,
        };
        let feeds = vec![("CJIB".to_owned(), 12), ("DUO".to_owned(), 4)];
        metrics.feed_read("CJIB", 9, 1_800_000_000);
        metrics.feed_read("CJIB", 7, 1_800_000_060);
        let stored = StoredState {
            feeds,
            webhooks_delivered: vec![("CJIB".to_owned(), 5)],
            norm_tables_covered_until: NaiveDate::from_ymd_opt(2027, 1, 1),
        };
        let text = metrics.render(pool, Some(&stored));
        let lag = |feed: &str| {
            value(
                &text,
                &format!("rijksincasso_notification_feed_lag{{feed=\"{feed}\"}}"),
            )
        };
        assert_eq!(
            lag("CJIB"),
            Some(3.0),
            "a re-read of older positions keeps the highest"
        );
        assert_eq!(lag("DUO"), Some(4.0), "never read: everything is behind");
        assert_eq!(
            value(
                &text,
                "rijksincasso_notification_feed_last_read_timestamp_seconds{feed=\"CJIB\"}"
            ),
            Some(1_800_000_060.0)
        );
        assert_eq!(
            value(&text, "rijksincasso_db_pool_connections{state=\"in_use\"}"),
            Some(2.0)
        );
        assert_eq!(
            value(&text, "rijksincasso_db_pool_max_connections"),
            Some(10.0)
        );
        assert_eq!(
            value(
                &text,
                "rijksincasso_norm_tables_covered_until_timestamp_seconds"
            ),
            Some(1_798_761_600.0),
            "1 January 2027, 00:00 UTC"
        );
        assert_eq!(
            value(&text, "rijksincasso_webhook_backlog{feed=\"CJIB\"}"),
            Some(7.0),
            "12 in the feed, its slowest subscription at 5"
        );
        assert!(
            !text.contains("rijksincasso_webhook_backlog{feed=\"DUO\"}"),
            "no subscription, no backlog"
        );
        let without_db = metrics.render(pool, None);
        assert!(
            !without_db.contains("notification_feed_lag{")
                && !without_db.contains("webhook_backlog{"),
            "no stale feed figures"
        );
    }
}
