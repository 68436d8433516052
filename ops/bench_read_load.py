#!/usr/bin/env python3
"""Loads a database for ops/bench_read.py: through the API the citizen's 50 claims (every fifth
with a surcharge), an attachment and a declared arrangement; then other persons' claims straight
into PostgreSQL up to BENCH_CLAIMS in all (default 100 000), each with its `VorderingOpgelegd`
event; then ANALYZE. For developing the read path without the full ingestion benchmark (ops/bench
loads through the API).

Environment: BENCH_BASE, BENCH_AGENCY_TOKEN (organisation CJIB), BENCH_CITIZEN_BSN,
BENCH_CITIZEN_TOKEN, PGURL, DB, BENCH_CLAIMS (50 or less: only the citizen's, PostgreSQL untouched).
"""

import json
import os
import subprocess
import sys
import urllib.request

BASE = os.environ.get("BENCH_BASE", "http://127.0.0.1:18090")
AGENCY = os.environ["BENCH_AGENCY_TOKEN"]
BSN = os.environ["BENCH_CITIZEN_BSN"]
CITIZEN = os.environ["BENCH_CITIZEN_TOKEN"]
PGURL = os.environ.get("PGURL", "postgres://postgres@127.0.0.1:5432")
DB = os.environ.get("DB", "rijksincasso_bench")
TOTAL = int(os.environ.get("BENCH_CLAIMS", "100000"))
MINE = 50


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
    if filler <= 0:  # the citizen's claims only; so also for a server on SQLite
        print(f"loaded: {MINE} claims of the citizen")
        return
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
    print(f"loaded: {MINE} claims of the citizen, {filler:,} of others")


if __name__ == "__main__":
    main()
