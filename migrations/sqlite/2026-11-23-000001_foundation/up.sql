-- Creditor registry, claims ledger, mandates and the access log.
-- Money is integer euro cents; timestamps are UTC; a person is only ever a keyed pseudonym.

CREATE TABLE creditors (
    code              TEXT PRIMARY KEY,
    name              TEXT NOT NULL,
    claim_type_prefix TEXT NOT NULL UNIQUE,
    brr_from          DATE,
    connected_from    DATE,
    contact_website   TEXT,
    contact_phone     TEXT,
    updated_at        TIMESTAMP NOT NULL
);

CREATE TABLE claims (
    id                TEXT PRIMARY KEY,
    creditor_code     TEXT NOT NULL REFERENCES creditors (code),
    claim_key         TEXT NOT NULL,
    case_key          TEXT,
    person            TEXT NOT NULL,
    claim_type        TEXT NOT NULL,
    description       TEXT NOT NULL,
    original_cents    BIGINT NOT NULL,
    surcharges_cents  BIGINT NOT NULL,
    paid_cents        BIGINT NOT NULL,
    remitted_cents    BIGINT NOT NULL,
    withdrawn_on      DATE,
    withdrawal_reason TEXT,
    phase             TEXT NOT NULL,
    disputed          BOOLEAN NOT NULL,
    imposed_on        DATE NOT NULL,
    due_date          DATE NOT NULL,
    version           BIGINT NOT NULL,
    created_at        TIMESTAMP NOT NULL,
    updated_at        TIMESTAMP NOT NULL,
    -- Key first: lookups of a batch's keys probe this index whatever the planner's statistics
    -- say (with the creditor first, stale statistics made PostgreSQL scan all of a creditor's rows).
    UNIQUE (claim_key, creditor_code)
);
CREATE INDEX claims_by_person ON claims (person);
CREATE INDEX claims_by_creditor_page ON claims (creditor_code, id);

CREATE TABLE claim_events (
    id            INTEGER PRIMARY KEY,
    creditor_code TEXT NOT NULL,
    event_key     TEXT NOT NULL,
    claim_id      TEXT NOT NULL REFERENCES claims (id),
    event_type    TEXT NOT NULL,
    content_hash  TEXT NOT NULL,
    amount_cents  BIGINT,
    event_date    DATE,
    category      TEXT,
    description   TEXT,
    phase         TEXT,
    disputed      BOOLEAN,
    received_at   TIMESTAMP NOT NULL,
    UNIQUE (event_key, creditor_code)
);
CREATE INDEX claim_events_by_claim ON claim_events (claim_id, id);

CREATE TABLE mandates (
    id          TEXT PRIMARY KEY,
    person      TEXT NOT NULL,
    counsellor  TEXT NOT NULL,
    valid_from  DATE NOT NULL,
    valid_until DATE NOT NULL,
    granted_at  TIMESTAMP NOT NULL,
    revoked_at  TIMESTAMP
);
CREATE INDEX mandates_by_person ON mandates (person);
CREATE INDEX mandates_by_counsellor ON mandates (counsellor, person);

CREATE TABLE access_log (
    id                 INTEGER PRIMARY KEY,
    person             TEXT NOT NULL,
    occurred_at        TIMESTAMP NOT NULL,
    actor_role         TEXT NOT NULL,
    actor_organisation TEXT,
    action             TEXT NOT NULL,
    subject_id         TEXT
);
CREATE INDEX access_log_by_person ON access_log (person, id);
