#!/usr/bin/env python3
"""Measures the webhook relay against a running Rijksincasso (see bench-webhooks).

Set-up: a citizen with a CJIB claim is in a debt-help trajectory, so every surcharge CJIB posts
for that claim is signalled to CJIB's feed (one notification each), and CJIB subscribes a local
receiver (an HTTP/1.1 server with keep-alive, standard library only).

- Drain: with the receiver down, CJIB posts BENCH_DRAIN surcharges (batches of 1000); the relay
  fails and backs off. Then the receiver starts: throughput is the notifications acknowledged per
  second from the first to the last delivery.
- Live: with the receiver up, CJIB posts BENCH_LIVE surcharges in batches of 10, about 50 batches
  a second. Lag is the time from the notification's `time` (written in the committing
  transaction) to its arrival at the receiver: p50 and p99.
"""

import datetime
import http.server
import json
import os
import statistics
import sys
import threading
import time
import urllib.request

BASE = os.environ["BENCH_BASE"]
ADMIN = os.environ["BENCH_ADMIN_TOKEN"]
CJIB = os.environ["BENCH_AGENCY_TOKEN"]
GKB = os.environ["BENCH_COUNSELLOR_TOKEN"]
CITIZEN = os.environ["BENCH_CITIZEN_TOKEN"]
BSN = os.environ["BENCH_CITIZEN_BSN"]
DRAIN = int(os.environ.get("BENCH_DRAIN", "5000"))
LIVE = int(os.environ.get("BENCH_LIVE", "2000"))
RECEIVER_PORT = 18093
SECRET = "whsec_YmVuY2gtd2ViaG9vay1rZXktb2YtMzItYnl0ZXMhIQ=="


def request(method, path, token, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(BASE + path, data=data, method=method)
    req.add_header("Authorization", "Bearer " + token)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        sys.exit(f"{method} {path}: {error.code} {error.read()[:300]}")


class Inbox:
    def __init__(self):
        self.lock = threading.Lock()
        self.arrivals = {}  # sequence -> (arrival time, event time)

    def add(self, sequence, event_time):
        with self.lock:
            self.arrivals.setdefault(sequence, (time.time(), event_time))

    def count(self):
        with self.lock:
            return len(self.arrivals)


INBOX = Inbox()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        event = json.loads(body)
        INBOX.add(int(event["sequence"]), datetime.datetime.fromisoformat(event["time"]).timestamp())
        self.send_response(204)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def start_receiver():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", RECEIVER_PORT), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


SURCHARGES = 0


def post_surcharges(count):
    """Posts `count` surcharges on the citizen's CJIB claim, dated today, in one batch."""
    global SURCHARGES
    today = datetime.date.today().isoformat()
    events = []
    for _ in range(count):
        SURCHARGES += 1
        events.append({
            "type": "OphogingOpgelegd", "gebeurteniskenmerk": f"BENCH-S{SURCHARGES}",
            "vorderingkenmerk": "BENCH-1", "categorie": "RENTE", "bedrag": "0.01",
            "datum": today, "omschrijving": "Rente"})
    request("POST", "/api/v1/gebeurtenissen", CJIB, {"gebeurtenissen": events})


def wait_for(count, timeout):
    deadline = time.time() + timeout
    while INBOX.count() < count:
        if time.time() > deadline:
            sys.exit(f"only {INBOX.count()} of {count} delivered within {timeout} s")
        time.sleep(0.005)


def main():
    today = datetime.date.today()
    request("PUT", "/api/v1/schuldhulpverleners/GKB-BENCH", ADMIN, {"naam": "Schuldhulp bench"})
    request("POST", "/api/v1/gebeurtenissen", CJIB, {"gebeurtenissen": [{
        "type": "VorderingOpgelegd", "gebeurteniskenmerk": "BENCH-O", "vorderingkenmerk": "BENCH-1",
        "burgerservicenummer": BSN, "vorderingtype": "cjib_wahv_boete", "omschrijving": "Boete",
        "bedrag": "1000.00", "opgelegdOp": (today - datetime.timedelta(days=30)).isoformat(),
        "vervaldatum": today.isoformat()}]})
    request("POST", "/api/v1/machtigingen", CITIZEN,
            {"schuldhulpverlener": "GKB-BENCH", "geldigTot": (today + datetime.timedelta(days=365)).isoformat()})
    request("POST", "/api/v1/schuldhulptrajecten", GKB,
            {"burgerservicenummer": BSN, "fase": "STABILISATIE", "startdatum": (today - datetime.timedelta(days=1)).isoformat()})
    _, subscription = request("POST", "/api/v1/abonnementen", CJIB,
                              {"url": f"http://127.0.0.1:{RECEIVER_PORT}/meldingen", "geheim": SECRET})
    first = subscription["afgeleverdTotPositie"] + 1

    # Drain: a backlog built while the receiver is down.
    for start in range(0, DRAIN, 1000):
        post_surcharges(min(1000, DRAIN - start))
    receiver = start_receiver()
    wait_for(DRAIN, 600)
    times = sorted(arrival for arrival, _ in INBOX.arrivals.values())
    elapsed = times[-1] - times[0]
    print(f"drain: {DRAIN} notifications delivered in {elapsed:.2f} s: {DRAIN / elapsed:,.0f} per second "
          f"(positions {first}..{first + DRAIN - 1}, one subscriber, receiver on loopback)")

    # Live: a steady stream, lag from commit to arrival.
    before = set(INBOX.arrivals)
    started = time.time()
    for i in range(LIVE // 10):
        post_surcharges(10)
        pause = started + (i + 1) * 0.02 - time.time()
        if pause > 0:
            time.sleep(pause)
    wait_for(DRAIN + LIVE, 120)
    lags = sorted((arrival - created) * 1000 for seq, (arrival, created) in INBOX.arrivals.items() if seq not in before)
    pct = lambda p: lags[min(len(lags) - 1, int(len(lags) * p))]
    print(f"live: {LIVE} notifications in batches of 10 at ~{LIVE / (time.time() - started):,.0f}/s: "
          f"commit-to-delivery lag p50 {pct(0.50):.1f} ms, p99 {pct(0.99):.1f} ms, "
          f"max {lags[-1]:.1f} ms, mean {statistics.mean(lags):.1f} ms")
    _, state = request("GET", f"/api/v1/abonnementen/{subscription['id']}", CJIB)
    print(f"subscription: delivered through {state['afgeleverdTotPositie']}, backlog {state['achterstand']}, "
          f"failed attempts before the receiver came up: last error {state['laatsteFout']!r}")
    receiver.shutdown()


if __name__ == "__main__":
    main()
