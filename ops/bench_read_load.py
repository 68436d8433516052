#!/usr/bin/env python3
"""Loads a database for ops/bench_read.py: through the API the citizen's 50 claims (every fifth
with a surcharge), an attachment and a declared arrangement; then other persons' claims up to
BENCH_CLAIMS in all (default 100 000), each with its `VorderingOpgelegd` event: straight into
PostgreSQL, then ANALYZE; or, with BENCH_FILL=api (any backend, e.g. SQLite), through the API in
batches of 1000. For developing the read path without the full ingestion benchmark.

Environment: BENCH_BASE, BENCH_AGENCY_TOKEN (organisation CJIB), BENCH_CITIZEN_BSN,
BENCH_CITIZEN_TOKEN, PGURL, DB, BENCH_CLAIMS, BENCH_FILL (postgres or api; default postgres).
"""

import json
import os
import subprocess
import sys
import urllib.request

from bench_bsn import bsns

BASE = os.environ.get("BENCH_BASE", "http://127.0.0.1:18090")
AGENCY = os.environ["BENCH_AGENCY_TOKEN"]
BSN = os.environ["BENCH_CITIZEN_BSN"]
CITIZEN = os.environ["BENCH_CITIZEN_TOKEN"]
PGURL = os.environ.get("PGURL", "postgres://postgres@127.0.0.1:5432")
DB = os.environ.get("DB", "rijksincasso_bench")
TOTAL = int(os.environ.get("BENCH_CLAIMS", "100000"))
FILL = os.environ.get("BENCH_FILL", "postgres")
MINE = 50
BATCH = 1000


def request(method, path, token, body):
    req = urllib.request.Request(BASE + path, data=json.dumps(body).encode(), method=method)
    req.add_header("Authorization", "Bearer " + token)
    req.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(req) as response:
        return response.status, response.read()


def main():
    events = []
    for i in range(MINE):
        key = f"READ-V{i}"
        events.append({"type": "VorderingOpgelegd", "gebeurteniskenmerk": f"READ-E{i}",
                       "vorderingkenmerk": key, "burgerservicenummer": BSN,
                       "vorderingtype": "cjib_wahv_boete", "omschrijving": f"Verkeersboete {i}",
                       "bedrag": f"{100 + i}.00", "opgelegdOp": "2026-03-10",
                       "vervaldatum": "2026-04-21"})
        if i % 5 == 0:
            events.append({"type": "OphogingOpgelegd", "gebeurteniskenmerk": f"READ-S{i}",
                           "vorderingkenmerk": key, "categorie": "VERHOGING", "bedrag": "25.00",
                           "datum": "2026-05-01", "omschrijving": "Eerste aanmaning"})
    status, body = request("POST", "/api/v1/gebeurtenissen", AGENCY, {"gebeurtenissen": events})
    if status != 200:
        sys.exit(f"citizen's claims: {status} {body[:300]!r}")
    # Something in every part of the person's file: an attachment and a declared arrangement.
    request("POST", "/api/v1/beslagen", AGENCY, {
        "burgerservicenummer": BSN, "inkomstenbron": "Loon, Bakkerij De Korenschoof",
        "nettoInkomenBron": "2100.00", "leefvormAangenomen": "ALLEENSTAANDE",
        "belastbaarJaarinkomen": "23000.00", "maandbedrag": "150.00",
        "beslagvrijeVoet": "1331.43", "startdatum": "2026-05-01", "executoriaal": True})
    request("POST", "/api/v1/andere-regelingen", CITIZEN, {
        "partij": "Woningcorporatie", "maandbedrag": "50.00", "startdatum": "2026-01-01"})
    filler = TOTAL - MINE
    if FILL == "api":
        fill_through_api(filler)
    elif filler > 0:
        fill_postgres(filler)
    print(f"loaded: {MINE} claims of the citizen, {max(filler, 0):,} of others")


def fill_through_api(filler):
    others = bsns(19990, BSN)
    for start in range(0, filler, BATCH):
        events = [{"type": "VorderingOpgelegd", "gebeurteniskenmerk": f"FILL-E{i}",
                   "vorderingkenmerk": f"FILL-V{i}", "burgerservicenummer": others[i % len(others)],
                   "vorderingtype": "cjib_wahv_boete", "omschrijving": f"Verkeersboete {i}",
                   "bedrag": f"{100 + i % 900}.00", "opgelegdOp": "2026-03-10",
                   "vervaldatum": "2026-04-21"}
                  for i in range(start, min(start + BATCH, filler))]
        status, body = request("POST", "/api/v1/gebeurtenissen", AGENCY, {"gebeurtenissen": events})
        if status != 200:
            sys.exit(f"others' claims: {status} {body[:300]!r}")


def fill_postgres(filler):
    sql = f"""
    BEGIN;
    INSERT INTO claims (id, creditor_code, claim_key, person, claim_type, description, original_cents,
        surcharges_cents, paid_cents, remitted_cents, phase, disputed, imposed_on, due_date, version,
        created_at, updated_at)
    SELECT 'fill-' || i, 'CJIB', 'FILL-V' || i, 'filler-' || (i % 19990), 'cjib_wahv_boete',
        'Verkeersboete ' || i, 10000 + i % 90000, 0, 0, 0, 'INNING', false, '2026-03-10', '2026-04-21',
        1, now(), now()
    FROM generate_series(1, {filler}) AS i;
    INSERT INTO claim_events (creditor_code, event_key, claim_id, event_type, content_hash,
        amount_cents, event_date, description, received_at)
    SELECT 'CJIB', 'FILL-E' || i, 'fill-' || i, 'VorderingOpgelegd', md5(i::text), 10000 + i % 90000,
        '2026-03-10', 'Verkeersboete ' || i, now()
    FROM generate_series(1, {filler}) AS i;
    COMMIT;
    ANALYZE;
    """
    subprocess.run(["psql", f"{PGURL}/{DB}", "-Xq", "-v", "ON_ERROR_STOP=1", "-c", sql], check=True)


if __name__ == "__main__":
    main()
