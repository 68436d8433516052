#!/usr/bin/env python3
"""Measures the read path of a running Rijksincasso: the overview of one citizen, sequentially and
with 16 connections, the statements one overview sends, and a proposal for the same citizen.

Environment:
  BENCH_BASE            the service, e.g. http://127.0.0.1:18090
  BENCH_CITIZEN_TOKEN   a `burger` token of the citizen
  BENCH_CITIZEN_BSN     that citizen (50 claims among all loaded)
  PGURL, DB             the service's PostgreSQL (server URL without database, database name):
                        for the reference query and the size of the claims table
  BENCH_METRICS         optional: the service's metrics listener (RIJKSINCASSO_METRICS_BIND),
                        e.g. http://127.0.0.1:18091; without it the statement row is skipped
  BENCH_READS           sequential overview reads (default 1000)
  BENCH_PROPOSALS       sequential proposals (default 300)
  BENCH_SECONDS         duration of the throughput run (default 10)
  BENCH_ADMIN_TOKEN     a `beheerder` token: needed only when the proposal's first due date
                        falls in a half-year without a norm table (see `plannable`)
  BENCH_OVERVIEW_LOG    optional: PostgreSQL's log of a server reading the overview with
                        `log_statement = 'all'` (ops/bench writes it); without it the throughput
                        row has no reference

The reference is the raw SQL of ONE indexed query reading the citizen's claims (all columns of
`claims` where `person` is the citizen's stored id, which uses `claims_by_person`), sent by one
psql session with `\\timing`: the database round trip the overview cannot do without, without
HTTP, authentication, the access log or JSON. Ratios are service / reference and p99 / target.

The throughput row's reference is what PostgreSQL alone does with the overview's own
statements: the last overview in BENCH_OVERVIEW_LOG (its queries with their logged parameters
and the access-log row; two queries before 5 December 2026, one since), as one transaction run
by `pgbench -M prepared` with 16 clients for as long as wrk runs. (Since d048113, 4 December 2026, the service reads outside the
transaction of the access-log row and commits the rows of concurrent reads together; the
reference keeps the one transaction per read, so that it stays the same for every build.) pgbench cannot send COPY data: where the build measured writes
the access-log row with a one-row COPY (builds before 4 December 2026; BENCH_BIN), it is a
one-row INSERT of the same columns.

Standard library only, plus `wrk` for the throughput row (installed with apt-get if missing).
"""

import http.client
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
import urllib.parse

BASE = os.environ.get("BENCH_BASE", "http://127.0.0.1:18090")
TOKEN = os.environ["BENCH_CITIZEN_TOKEN"]
ADMIN_TOKEN = os.environ.get("BENCH_ADMIN_TOKEN")
BSN = os.environ["BENCH_CITIZEN_BSN"]
PGURL = os.environ.get("PGURL", "postgres://postgres@127.0.0.1:5432")
DB = os.environ.get("DB", "rijksincasso_bench")
METRICS = os.environ.get("BENCH_METRICS")
READS = int(os.environ.get("BENCH_READS", "1000"))
PROPOSALS = int(os.environ.get("BENCH_PROPOSALS", "300"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))

OVERVIEW = "/api/v1/vorderingenoverzicht"
PROPOSAL = "/api/v1/betalingsregelingen/voorstellen"
HOUSEHOLD = {"huishouden": {"leefvorm": "ALLEENSTAANDE", "nettoInkomen": "2017.06",
                            "belastbaarJaarinkomen": "23000.00"}}

# Issue 13's targets for the read rows.
TARGET_OVERVIEW_P99_MS = 5.0
TARGET_STATEMENTS = 4
TARGET_THROUGHPUT = 3000.0
TARGET_PROPOSAL_P99_MS = 10.0


def percentile(samples, p):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


class Client:
    """One kept-alive HTTP connection, as a browser or a portal's backend holds it."""

    def __init__(self, base):
        url = urllib.parse.urlsplit(base)
        self.conn = http.client.HTTPConnection(url.hostname, url.port or 80)

    def send(self, method, path, body=None, token=TOKEN):
        headers = {"Authorization": "Bearer " + token} if token else {}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        try:
            self.conn.request(method, path, body=data, headers=headers)
            response = self.conn.getresponse()
        except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
            # The server closed the idle connection (its keep-alive timeout): open a new one.
            self.conn.close()
            self.conn.request(method, path, body=data, headers=headers)
            response = self.conn.getresponse()
        return response.status, response.read()


def timed(client, count, method, path, body=None, expect=200):
    latencies = []
    for _ in range(count):
        started = time.perf_counter()
        status, payload = client.send(method, path, body)
        latencies.append((time.perf_counter() - started) * 1000)
        if status != expect:
            sys.exit(f"{method} {path}: {status} {payload[:300]!r}")
    return latencies


def psql(sql, *args):
    return subprocess.run(["psql", f"{PGURL}/{DB}", "-XAtq", *args, "-c", sql],
                          check=True, capture_output=True, text=True).stdout.strip()


def reference(person, count):
    """Client-side times of `count` runs of the one indexed claims query in one psql session."""
    query = f"SELECT * FROM claims WHERE person = '{person}';\n"
    script = "\\timing on\n" + query * count
    out = subprocess.run(["psql", f"{PGURL}/{DB}", "-XAtq", "-o", "/dev/null"], input=script,
                         check=True, capture_output=True, text=True).stdout
    times = [float(t) for t in re.findall(r"Time: ([0-9.]+) ms", out)]
    if len(times) != count:
        sys.exit(f"reference: {len(times)} timings of {count}")
    return times


def statements(client):
    """Queries and transaction statements counted by the service for one overview read: the
    fewest of five tries (other work can only add to the count)."""
    url = urllib.parse.urlsplit(METRICS)
    metrics = http.client.HTTPConnection(url.hostname, url.port)

    def counted():
        metrics.request("GET", "/metrics")
        text = metrics.getresponse().read().decode()
        found = {}
        for kind in ("query", "transaction"):
            match = re.search(rf'^rijksincasso_db_statements_total{{kind="{kind}"}} (\d+)', text, re.M)
            found[kind] = int(match.group(1)) if match else 0
        return found

    tries = []
    for _ in range(5):
        before = counted()
        client.send("GET", OVERVIEW)
        after = counted()
        tries.append((after["query"] - before["query"], after["transaction"] - before["transaction"]))
    return min(tries)


def wrk():
    if not shutil.which("wrk"):
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, capture_output=True)
    out = subprocess.run(
        ["wrk", "-c16", "-t2", f"-d{SECONDS}s", "--latency", "-H", f"Authorization: Bearer {TOKEN}",
         BASE + OVERVIEW], check=True, capture_output=True, text=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([0-9.]+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    p99 = re.search(r"99%\s+([0-9.]+)(us|ms|s)\b", out)
    p99_ms = float(p99.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    return rate, int(errors.group(1)) if errors else 0, p99_ms


LOG_LINE = re.compile(r"\[(\d+)\] \S+ (LOG|DETAIL):  (.*)$")
PARAMETER = re.compile(r"\$(\d+) = ('(?:[^']|'')*'|NULL)")


def overview_transaction(log, person):
    """The statements of the last overview in PostgreSQL's statement log, with their parameters
    written in, as a pgbench script of one transaction."""
    lines = [m.groups() for m in map(LOG_LINE.search, open(log, encoding="utf-8", errors="replace"))
             if m]

    def sql(text):
        return text.split(": ", 1)[1] if text.startswith("execute ") else None

    def access_log_write(text):
        return (sql(text) or "").startswith(('INSERT INTO "access_log"', 'COPY "access_log"'))

    writes = [i for i, (_, kind, text) in enumerate(lines) if kind == "LOG" and access_log_write(text)]
    if not writes:
        return None
    pid = lines[writes[-1]][0]
    own = [(kind, text) for p, kind, text in lines[:writes[-1] + 1] if p == pid]
    # Since the connection's commit or access-log write before: builds before d048113
    # (4 December 2026) read inside the transaction that writes the access-log row, later builds
    # before it, and since 5 December 2026 that row is one statement without BEGIN and COMMIT.
    ends = [i for i, (_, text) in enumerate(own[:-1])
            if text == "statement: COMMIT" or access_log_write(text)]
    start = ends[-1] + 1 if ends else 0
    script = ["BEGIN;"]
    for i, (kind, text) in enumerate(own[start:], start):
        if kind != "LOG" or sql(text) is None:
            continue
        if access_log_write(text):
            script.append("INSERT INTO access_log (person, occurred_at, actor_role, actor_organisation, "
                          f"action, subject_id) VALUES ('{person}', now(), 'burger', NULL, "
                          "'VORDERINGENOVERZICHT_INGEZIEN', NULL);")
            continue
        following = own[i + 1] if i + 1 < len(own) else ("", "")
        values = dict(PARAMETER.findall(following[1])) if following[0] == "DETAIL" else {}
        # The overview's queries are those about the person; anything else the connection ran
        # meanwhile (the relay's lease, the reference data's version) is not part of it.
        if f"'{person}'" not in values.values():
            continue
        script.append(re.sub(r"\$(\d+)\b", lambda m: values[m.group(1)], sql(text)) + ";")
    script.append("COMMIT;")
    return "\n".join(script) + "\n"


def pgbench(script):
    """Transactions per second of `script` in pgbench, 16 clients, for as long as wrk runs."""
    with open(os.path.join(os.environ.get("TMPDIR", "/tmp"), f"overview-{os.getpid()}.sql"), "w") as f:
        f.write(script)
    try:
        out = subprocess.run(["pgbench", "-n", "-M", "prepared", "-c16", "-j2", f"-T{SECONDS}",
                              "-f", f.name, f"{PGURL}/{DB}"],
                             check=True, capture_output=True, text=True).stdout
    finally:
        os.remove(f.name)
    return float(re.search(r"tps = ([0-9.]+)", out).group(1))


def row(what, value, target="", vs_target="", ref="", vs_ref=""):
    print(f"| {what} | {value} | {target} | {vs_target} | {ref} | {vs_ref} |", flush=True)


def plannable(client):
    """Makes the proposal row measure the planner at work, as in every run before (for this
    citizen's 50 claims it ends in LOOPTIJD_TE_LANG): the service does not plan at all while the
    first due date falls in a half-year whose norm table it does not have (advies
    NORMEN_NOG_NIET_BEKEND, e.g. from 1 December until the table of 1 January is posted). Then the
    newest table is posted again for each missing half-year, its sources saying that it is the
    benchmark's copy, on this throwaway database only."""
    for _ in range(4):
        status, payload = client.send("POST", PROPOSAL, HOUSEHOLD)
        if status != 201:
            sys.exit(f"proposal: {status} {payload[:300]!r}")
        advice = (json.loads(payload).get("advies") or {}).get("code")
        if advice != "NORMEN_NOG_NIET_BEKEND":
            return
        if not ADMIN_TOKEN:
            sys.exit("no norm table for the proposal's first due date: set BENCH_ADMIN_TOKEN")
        status, payload = client.send("GET", "/api/v1/normtabellen", token=None)
        newest = json.loads(payload)["normtabellen"][0]
        year, month = int(newest["geldigVanaf"][:4]), int(newest["geldigVanaf"][5:7])
        following = f"{year}-07-01" if month < 7 else f"{year + 1}-01-01"
        copy = {"geldigVanaf": following, "parameters": [
            {"code": p["code"], "waarde": p["waarde"],
             "bron": f"Benchmark only: the figure of {newest['geldigVanaf']} again"}
            for p in newest["parameters"]]}
        status, payload = client.send("POST", "/api/v1/normtabellen", copy, token=ADMIN_TOKEN)
        if status != 201:
            sys.exit(f"posting the benchmark's table: {status} {payload[:300]!r}")
        print(f"no norm table for {following} yet: the benchmark's database got a copy of the "
              f"{newest['geldigVanaf']} table for it, so that the proposal is planned as in earlier runs")
    sys.exit("the proposal is still not planned")


def main():
    client = Client(BASE)
    status, body = client.send("GET", OVERVIEW)
    if status != 200:
        sys.exit(f"overview: {status} {body[:300]!r}")
    claims = sum(len(s["vorderingen"]) for s in json.loads(body)["schuldeisers"])
    # The citizen's stored id is a pseudonym: the access-log row of the read just made names it.
    person = psql("SELECT person FROM access_log WHERE action = 'VORDERINGENOVERZICHT_INGEZIEN' "
                  "ORDER BY id DESC LIMIT 1")
    total = psql("SELECT count(*) FROM claims")
    mine = psql(f"SELECT count(*) FROM claims WHERE person = '{person}'")
    print(f"claims in the database: {int(total):,}; the citizen's: {mine} (overview shows {claims})")
    plannable(client)
    print("| what | measured | target | measured / target | reference | measured / reference |")
    print("|---|---|---|---|---|---|")

    timed(client, 50, "GET", OVERVIEW)  # warm the connection pool and the caches
    overview = timed(client, READS, "GET", OVERVIEW)
    ref = reference(person, READS)
    p50, p99 = statistics.median(overview), percentile(overview, 99)
    r50, r99 = statistics.median(ref), percentile(ref, 99)
    row(f"overview p50, sequential ({READS})", f"{p50:.2f} ms", "", "", f"{r50:.3f} ms",
        f"{p50 / r50:.1f} ×")
    row(f"overview p99, sequential ({READS})", f"{p99:.2f} ms", f"≤ {TARGET_OVERVIEW_P99_MS} ms",
        f"{p99 / TARGET_OVERVIEW_P99_MS:.2f}", f"{r99:.3f} ms", f"{p99 / r99:.1f} ×")

    if METRICS:
        queries, transaction = statements(client)
        row("statements per overview read", f"{queries} (+ {transaction} BEGIN/COMMIT)",
            f"≤ {TARGET_STATEMENTS}", f"{queries / TARGET_STATEMENTS:.2f}", "1 query", f"{queries} ×")
    else:
        row("statements per overview read", "not measured: set BENCH_METRICS")

    rate, errors, wrk_p99 = wrk()
    log = os.environ.get("BENCH_OVERVIEW_LOG")
    script = overview_transaction(log, person) if log else None
    ceiling = pgbench(script) if script else None
    row(f"overview throughput, 16 connections ({SECONDS} s)",
        f"{rate:,.0f} req/s (p99 {wrk_p99:.1f} ms, {errors} errors)", f"≥ {TARGET_THROUGHPUT:,.0f} req/s",
        f"{rate / TARGET_THROUGHPUT:.2f}",
        f"{ceiling:,.0f}/s: its statements in pgbench" if ceiling else "not measured",
        f"{rate / ceiling:.2f}" if ceiling else "")

    timed(client, 20, "POST", PROPOSAL, HOUSEHOLD, expect=201)  # warm up again after wrk
    proposals = timed(client, PROPOSALS, "POST", PROPOSAL, HOUSEHOLD, expect=201)
    q50, q99 = statistics.median(proposals), percentile(proposals, 99)
    row(f"proposal p50, sequential ({PROPOSALS})", f"{q50:.2f} ms", "", "", f"{r50:.3f} ms",
        f"{q50 / r50:.1f} ×")
    row(f"proposal p99, sequential ({PROPOSALS})", f"{q99:.2f} ms", f"≤ {TARGET_PROPOSAL_P99_MS} ms",
        f"{q99 / TARGET_PROPOSAL_P99_MS:.2f}", f"{r99:.3f} ms", f"{q99 / r99:.1f} ×")


if __name__ == "__main__":
    main()
