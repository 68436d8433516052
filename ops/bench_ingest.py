#!/usr/bin/env python3
"""Ingestion against its references, interleaved batch by batch; run by ops/bench.

PostgreSQL: batches of 1000 `VorderingOpgelegd` posted to the server (BENCH_BASE), each followed
by the reference: a text COPY, one transaction per batch, of exactly the rows the
project writes per event (the claim, the event, the access-log row) into the schema `ref`
(tables LIKE the project's, INCLUDING ALL, with the same foreign keys). Loads BENCH_CLAIMS claims
on a database without statistics, printing the cost per batch for every 100 000-claim slice, then
ANALYZEs and measures BENCH_AFTER_ANALYZE more batches. The citizen BENCH_CITIZEN_BSN holds 50 of
the claims.

SQLite (when BENCH_SQLITE_BASE is set; without BENCH_PG_DB, SQLite only): rounds of 4 writers
posting one batch of 1000 each at once, each round followed by the reference: Python's sqlite3
`executemany` of the same rows into a file with the server's table definitions (WAL,
synchronous=NORMAL as the server), one transaction per batch. Failures must be 0.

Ratios are reference time / project time for the same rows: 1.0 is COPY speed.
"""

import hashlib
import json
import os
import sqlite3
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid

import psycopg

from bench_bsn import bsns

BASE = os.environ.get("BENCH_BASE")
AGENCY_TOKEN = os.environ["BENCH_AGENCY_TOKEN"]
CITIZEN_BSN = os.environ["BENCH_CITIZEN_BSN"]
PG_DB = os.environ.get("BENCH_PG_DB")
TOTAL = int(os.environ.get("BENCH_CLAIMS", "1000000"))
AFTER_ANALYZE = int(os.environ.get("BENCH_AFTER_ANALYZE", "20"))
SQLITE_BASE = os.environ.get("BENCH_SQLITE_BASE")
SQLITE_FILE = os.environ.get("BENCH_SQLITE_FILE")
SQLITE_ROUNDS = int(os.environ.get("BENCH_SQLITE_ROUNDS", "10"))
BATCH = 1000
SLICE = 100_000
CITIZEN_CLAIMS = 50
WRITERS = 4
NOW = "2026-12-02 12:00:00"


OTHERS = bsns(19990, CITIZEN_BSN)


def owner(i):
    citizens = i < TOTAL and i % max(1, TOTAL // CITIZEN_CLAIMS) == 0
    return CITIZEN_BSN if citizens else OTHERS[i % len(OTHERS)]


def event(prefix, i):
    return {
        "type": "VorderingOpgelegd",
        "gebeurteniskenmerk": f"{prefix}-E{i}",
        "vorderingkenmerk": f"{prefix}-V{i}",
        "burgerservicenummer": owner(i),
        "vorderingtype": "cjib_wahv_boete",
        "omschrijving": f"Verkeersboete {i}",
        "bedrag": f"{100 + i % 900}.{i % 100:02d}",
        "opgelegdOp": "2026-03-10",
        "vervaldatum": "2026-04-21",
    }


def uuid7():
    """A time-ordered id like the project's (UUIDv7): index inserts land at the end, as theirs do."""
    ms = time.time_ns() // 1_000_000
    rand = int.from_bytes(os.urandom(10), "big")
    value = (ms << 80) | (0x7 << 76) | (((rand >> 62) & 0xFFF) << 64) | (0b10 << 62) | (rand & ((1 << 62) - 1))
    return str(uuid.UUID(int=value))


def reference_rows(prefix, i):
    """The claim, event and access-log row the project writes for event `i`, as tuples."""
    e = event(prefix, i)
    claim_id = uuid7()
    person = hashlib.sha256(e["burgerservicenummer"].encode()).hexdigest()
    cents = int(e["bedrag"].replace(".", ""))
    content_hash = hashlib.sha256(json.dumps(e, sort_keys=True).encode()).hexdigest()
    claim = (claim_id, "CJIB", e["vorderingkenmerk"], None, person, e["vorderingtype"],
             e["omschrijving"], cents, 0, 0, 0, None, None, "OPGELEGD", False,
             e["opgelegdOp"], e["vervaldatum"], 1, NOW, NOW)
    ev = ("CJIB", e["gebeurteniskenmerk"], claim_id, "VorderingOpgelegd", content_hash, cents,
          e["opgelegdOp"], None, e["omschrijving"], None, None, NOW)
    access = (person, NOW, "organisatie", "CJIB", "VORDERING_OPGELEGD", claim_id)
    return claim, ev, access


CLAIM_COLUMNS = ("id, creditor_code, claim_key, case_key, person, claim_type, description, "
                 "original_cents, surcharges_cents, paid_cents, remitted_cents, withdrawn_on, "
                 "withdrawal_reason, phase, disputed, imposed_on, due_date, version, created_at, "
                 "updated_at")
EVENT_COLUMNS = ("creditor_code, event_key, claim_id, event_type, content_hash, amount_cents, "
                 "event_date, category, description, phase, disputed, received_at")
ACCESS_COLUMNS = "person, occurred_at, actor_role, actor_organisation, action, subject_id"
TABLES = (("claims", CLAIM_COLUMNS), ("claim_events", EVENT_COLUMNS), ("access_log", ACCESS_COLUMNS))


def copy_text(rows):
    def field(v):
        if v is None:
            return "\\N"
        if isinstance(v, bool):
            return "t" if v else "f"
        return str(v)
    return "".join("\t".join(field(v) for v in row) + "\n" for row in rows).encode()


def body_of(events):
    return json.dumps({"gebeurtenissen": events}).encode()


def post(base, body):
    req = urllib.request.Request(base + "/api/v1/gebeurtenissen", data=body, method="POST")
    req.add_header("Authorization", "Bearer " + AGENCY_TOKEN)
    req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=120) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as e:
        return e.code, e.read()[:300]


def timed_post(base, events):
    """The time the server takes, the request body serialized beforehand (as the COPY data is)."""
    request = body_of(events)
    t = time.perf_counter()
    status, body = post(base, request)
    elapsed = time.perf_counter() - t
    if status != 200 or body["verwerkt"] != len(events):
        sys.exit(f"batch failed: {status} {body}")
    return elapsed


def prepare_reference(pg):
    pg.execute("DROP SCHEMA IF EXISTS ref CASCADE")
    pg.execute("CREATE SCHEMA ref")
    for table, _ in TABLES:
        pg.execute(f"CREATE TABLE ref.{table} (LIKE public.{table} INCLUDING ALL)")
        # No statistics until the explicit ANALYZE, whatever the server's autovacuum does.
        for schema in ("public", "ref"):
            pg.execute(f"ALTER TABLE {schema}.{table} SET (autovacuum_enabled = false)")
    pg.execute("ALTER TABLE ref.claims ADD FOREIGN KEY (creditor_code) REFERENCES public.creditors (code)")
    pg.execute("ALTER TABLE ref.claim_events ADD FOREIGN KEY (claim_id) REFERENCES ref.claims (id)")
    pg.commit()


def timed_copy(pg, data):
    t = time.perf_counter()
    with pg.cursor() as cur:
        for (table, columns), payload in zip(TABLES, data):
            with cur.copy(f"COPY ref.{table} ({columns}) FROM STDIN") as copy:
                copy.write(payload)
    pg.commit()
    return time.perf_counter() - t


def reference_batch(prefix, start):
    rows = [reference_rows(prefix, i) for i in range(start, start + BATCH)]
    return [copy_text([r[k] for r in rows]) for k in range(3)]


def ratio_line(label, project, reference, batches):
    print(f"{label:<58} project {project / batches * 1000:7.1f} ms/batch   "
          f"COPY {reference / batches * 1000:6.1f} ms/batch   ratio {reference / project:5.2f} x COPY",
          flush=True)


def postgres():
    pg = psycopg.connect(PG_DB)
    prepare_reference(pg)
    print(f"PostgreSQL: {TOTAL:,} claims in batches of {BATCH}, no table statistics, "
          "each batch followed by its COPY reference", flush=True)
    totals = [0.0, 0.0]
    slice_times = [0.0, 0.0]
    for start in range(0, TOTAL, BATCH):
        events = [event("BENCH", i) for i in range(start, start + BATCH)]
        data = reference_batch("BENCH", start)
        slice_times[0] += timed_post(BASE, events)
        slice_times[1] += timed_copy(pg, data)
        done = start + BATCH
        if done % SLICE == 0 or done == TOTAL:
            batches = (done - 1) % SLICE // BATCH + 1
            ratio_line(f"  claims {done - batches * BATCH:>9,}-{done:<9,} no statistics", *slice_times, batches)
            totals = [totals[0] + slice_times[0], totals[1] + slice_times[1]]
            slice_times = [0.0, 0.0]
    ratio_line(f"  all {TOTAL:,}, no statistics", *totals, TOTAL // BATCH)

    pg.execute("ANALYZE")
    pg.commit()
    times = [0.0, 0.0]
    for n in range(AFTER_ANALYZE):
        start = TOTAL + n * BATCH
        events = [event("BENCH", i) for i in range(start, start + BATCH)]
        data = reference_batch("BENCH", start)
        times[0] += timed_post(BASE, events)
        times[1] += timed_copy(pg, data)
    ratio_line(f"  {AFTER_ANALYZE} batches after ANALYZE", *times, AFTER_ANALYZE)
    pg.close()


def sqlite():
    source = sqlite3.connect(SQLITE_FILE)
    definitions = [sql for (sql,) in source.execute(
        "SELECT sql FROM sqlite_master WHERE tbl_name IN ('claims', 'claim_events', 'access_log') "
        "AND sql IS NOT NULL ORDER BY type DESC")]
    source.close()
    reference_file = SQLITE_FILE + ".reference"
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(reference_file + suffix):
            os.remove(reference_file + suffix)
    ref = sqlite3.connect(reference_file, isolation_level=None)
    ref.execute("PRAGMA journal_mode = WAL")
    ref.execute("PRAGMA synchronous = NORMAL")
    for sql in definitions:
        ref.execute(sql)
    statements = [f"INSERT INTO {table} ({columns}) VALUES ({', '.join('?' * (columns.count(',') + 1))})"
                  for table, columns in TABLES]

    print(f"SQLite: {SQLITE_ROUNDS} rounds of {WRITERS} concurrent writers x 1 batch of {BATCH}, "
          "each round followed by executemany of the same rows", flush=True)
    failures, project, reference = 0, 0.0, 0.0
    for round_ in range(SQLITE_ROUNDS):
        batches = [[event(f"SQ{w}", round_ * BATCH + i) for i in range(BATCH)] for w in range(WRITERS)]
        results = [None] * WRITERS

        bodies = [body_of(batch) for batch in batches]

        def write(w):
            status, body = post(SQLITE_BASE, bodies[w])
            results[w] = status == 200 and body["verwerkt"] == BATCH

        threads = [threading.Thread(target=write, args=(w,)) for w in range(WRITERS)]
        t = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        project += time.perf_counter() - t
        failures += results.count(False)

        rows = [[reference_rows(f"SQ{w}", round_ * BATCH + i) for i in range(BATCH)] for w in range(WRITERS)]
        t = time.perf_counter()
        for batch in rows:
            ref.execute("BEGIN")
            for k, statement in enumerate(statements):
                ref.executemany(statement, [r[k] for r in batch])
            ref.execute("COMMIT")
        reference += time.perf_counter() - t
    ref.close()
    batches = SQLITE_ROUNDS * WRITERS
    print(f"  failures: {failures} of {batches} batches")
    print(f"  {'4 writers':<56} project {project / batches * 1000:7.1f} ms/batch   executemany "
          f"{reference / batches * 1000:6.1f} ms/batch   ratio {reference / project:5.2f} x executemany",
          flush=True)


if __name__ == "__main__":
    if PG_DB:
        postgres()
    if SQLITE_BASE:
        sqlite()
