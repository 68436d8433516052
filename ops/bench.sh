#!/usr/bin/env bash
# Benchmark: events/s ingested into PostgreSQL in batches of 1000 (100 000 events) and the latency
# of the overview of a citizen with 50 claims among them. BENCH_LOG_SLOW_MS=N logs statements
# slower than N ms in the PostgreSQL log. Builds a release binary, starts it on a
# fresh database `rijksincasso_bench` on the local PostgreSQL, runs ops/bench_ingest_overview.py,
# and stops the server. Usage: ops/bench.sh   (PGURL overrides the server, default local trust).
set -euo pipefail
cd "$(dirname "$0")/.."

PGURL="${PGURL:-postgres://postgres@127.0.0.1:5432}"
DB=rijksincasso_bench
psql "$PGURL/postgres" -qc "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
[ -n "${BENCH_LOG_SLOW_MS:-}" ] && psql "$PGURL/postgres" -qc "ALTER DATABASE $DB SET log_min_duration_statement = $BENCH_LOG_SLOW_MS"

cargo build --release -q
export DATABASE_URL="$PGURL/$DB"
export RIJKSINCASSO_JWT_SECRET="bench-secret-bench-secret-bench-secret"
export RIJKSINCASSO_PSEUDONYM_SECRET="bench-pseudonym-bench-pseudonym-bench"
export RIJKSINCASSO_BIND=127.0.0.1:18090
export RUST_LOG=warn
BIN=target/release/rijksincasso

$BIN serve & server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do curl -sf http://127.0.0.1:18090/health/ready >/dev/null && break; sleep 0.2; done

export BENCH_CITIZEN_BSN=999990007
BENCH_AGENCY_TOKEN=$($BIN token --rol organisatie --organisatie CJIB --geldig-minuten 120)
BENCH_CITIZEN_TOKEN=$($BIN token --rol burger --bsn "$BENCH_CITIZEN_BSN" --geldig-minuten 120)
export BENCH_AGENCY_TOKEN BENCH_CITIZEN_TOKEN
# What autovacuum does in production; this machine's PostgreSQL runs with autovacuum off, so the
# overview is measured both before and after it.
export BENCH_AFTER_INGEST="psql '$PGURL/$DB' -qc ANALYZE"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; $(psql "$PGURL/postgres" -Atc 'select version()' | cut -d, -f1)"
python3 ops/bench_ingest_overview.py
