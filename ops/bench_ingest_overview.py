#!/usr/bin/env python3
"""Measures ingestion throughput and overview latency against a running Rijksincasso.

Posts 100 batches of 1000 `VorderingOpgelegd` events (100 000 claims, one citizen holding 50 of
them, the rest spread over 19 990 others), then reads that citizen's overview repeatedly.
Standard library only. Tokens come from the environment (see bench.sh).
"""

import json
import os
import statistics
import subprocess
import sys
import time
import urllib.request

BASE = os.environ.get("BENCH_BASE", "http://127.0.0.1:18090")
AGENCY_TOKEN = os.environ["BENCH_AGENCY_TOKEN"]
CITIZEN_TOKEN = os.environ["BENCH_CITIZEN_TOKEN"]
CITIZEN_BSN = os.environ["BENCH_CITIZEN_BSN"]
TOTAL = int(os.environ.get("BENCH_EVENTS", "100000"))
BATCH = int(os.environ.get("BENCH_BATCH", "1000"))
TARGET_CLAIMS = 50
OVERVIEW_READS = int(os.environ.get("BENCH_READS", "200"))


def elfproef(digits):
    return (sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1))) - int(digits[8])) % 11 == 0


def bsns(count, start=100000000):
    found, n = [], start
    while len(found) < count:
        s = str(n)
        if elfproef(s) and s != CITIZEN_BSN:
            found.append(s)
        n += 1
    return found


def request(method, path, token, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(BASE + path, data=data, method=method)
    req.add_header("Authorization", "Bearer " + token)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(req) as response:
        return response.status, response.read()


def event(i, bsn):
    return {
        "type": "VorderingOpgelegd",
        "gebeurteniskenmerk": f"BENCH-E{i}",
        "vorderingkenmerk": f"BENCH-V{i}",
        "burgerservicenummer": bsn,
        "vorderingtype": "cjib_wahv_boete",
        "omschrijving": f"Verkeersboete {i}",
        "bedrag": f"{100 + i % 900}.{i % 100:02d}",
        "opgelegdOp": "2026-03-10",
        "vervaldatum": "2026-04-21",
    }


def main():
    others = bsns(19990)
    owners = [CITIZEN_BSN if i % (TOTAL // TARGET_CLAIMS) == 0 else others[i % len(others)] for i in range(TOTAL)]
    batches = [[event(i, owners[i]) for i in range(s, min(s + BATCH, TOTAL))] for s in range(0, TOTAL, BATCH)]

    latencies = []
    started = time.perf_counter()
    for batch in batches:
        t = time.perf_counter()
        status, body = request("POST", "/api/v1/gebeurtenissen", AGENCY_TOKEN, {"gebeurtenissen": batch})
        latencies.append(time.perf_counter() - t)
        if status != 200 or json.loads(body)["verwerkt"] != len(batch):
            sys.exit(f"batch failed: {status} {body[:200]}")
    elapsed = time.perf_counter() - started
    print(f"ingest: {TOTAL} events in {len(batches)} batches of {BATCH}: {elapsed:.2f} s, "
          f"{TOTAL / elapsed:,.0f} events/s; per batch p50 {statistics.median(latencies) * 1000:.0f} ms, "
          f"max {max(latencies) * 1000:.0f} ms")

    status, body = request("GET", "/api/v1/vorderingenoverzicht", CITIZEN_TOKEN)
    overview = json.loads(body)
    print(f"overview: {overview['aantalOpenstaandeVorderingen']} open claims, total {overview['totaalOpenstaand']}")
    measure_overview("without table statistics")
    after = os.environ.get("BENCH_AFTER_INGEST")
    if after:
        subprocess.run(after, shell=True, check=True)
        measure_overview("after ANALYZE")


def measure_overview(label):
    reads = []
    for _ in range(OVERVIEW_READS):
        t = time.perf_counter()
        status, _ = request("GET", "/api/v1/vorderingenoverzicht", CITIZEN_TOKEN)
        reads.append((time.perf_counter() - t) * 1000)
        assert status == 200
    reads.sort()
    pct = lambda p: reads[min(len(reads) - 1, int(len(reads) * p))]
    print(f"overview latency {label}, {OVERVIEW_READS} sequential reads: mean {statistics.mean(reads):.2f} ms, "
          f"p50 {pct(0.50):.2f} ms, p95 {pct(0.95):.2f} ms, p99 {pct(0.99):.2f} ms")


if __name__ == "__main__":
    main()
