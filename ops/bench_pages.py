#!/usr/bin/env python3
"""Render time of the citizen's overview page (`GET /mijn`) against a running Rijksincasso.

Logs the citizen in through the development login (the benchmark runs the service without an
OpenID provider), then reads `/mijn` sequentially and prints p50 and p99 of the whole request as
the client sees it over loopback: an upper bound of the server-side render time. Standard
library only. Environment: BENCH_BASE (the service), BENCH_CITIZEN_BSN, BENCH_PAGE_READS.
"""

import http.cookiejar
import os
import re
import statistics
import sys
import time
import urllib.parse
import urllib.request

BASE = os.environ.get("BENCH_BASE", "http://127.0.0.1:18090")
CITIZEN_BSN = os.environ["BENCH_CITIZEN_BSN"]
READS = int(os.environ.get("BENCH_PAGE_READS", "1000"))
TARGET_P99_MS = 20.0


def logged_in_opener():
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(BASE + "/inloggen") as response:
        page = response.read().decode()
    match = re.search(r'name="csrf" value="([^"]+)"', page)
    if not match:
        sys.exit("no CSRF token on the login page: is the development login enabled?")
    form = urllib.parse.urlencode({"csrf": match.group(1), "burgerservicenummer": CITIZEN_BSN})
    with opener.open(BASE + "/inloggen/ontwikkeling", data=form.encode()) as response:
        if not response.geturl().endswith("/mijn"):
            sys.exit(f"login did not lead to /mijn but to {response.geturl()}")
    return opener


def main():
    opener = logged_in_opener()
    for _ in range(20):
        opener.open(BASE + "/mijn").read()
    reads = []
    for _ in range(READS):
        started = time.perf_counter()
        with opener.open(BASE + "/mijn") as response:
            body = response.read()
        reads.append((time.perf_counter() - started) * 1000)
        if response.status != 200 or "Totaal nog te betalen".encode() not in body:
            sys.exit(f"/mijn answered {response.status} without the overview")
    reads.sort()
    pct = lambda p: reads[min(len(reads) - 1, int(len(reads) * p))]
    p99 = pct(0.99)
    print(f"overview page /mijn, {READS} sequential reads: p50 {pct(0.50):.2f} ms, "
          f"p99 {p99:.2f} ms, mean {statistics.mean(reads):.2f} ms "
          f"(target p99 <= {TARGET_P99_MS:.0f} ms: {p99 / TARGET_P99_MS:.2f} x target)")


if __name__ == "__main__":
    main()
