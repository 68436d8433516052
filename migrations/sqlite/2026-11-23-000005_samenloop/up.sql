-- Samenloop (docs/domain.md): attachments laid by creditors or declared by the citizen, other
-- arrangements the citizen declared, and per person the flags of the last evaluation (to tell
-- creditors what changed).

CREATE TABLE attachments (
    id                       TEXT PRIMARY KEY,
    person                   TEXT NOT NULL,
    -- Laid by a government creditor (creditor_code), or a private party the citizen declared
    -- (party_name).
    creditor_code            TEXT REFERENCES creditors (code),
    party_name               TEXT,
    declared_by_role         TEXT NOT NULL,
    declared_by_organisation TEXT,
    reference                TEXT,
    income_source            TEXT NOT NULL,
    known_net_income_cents   BIGINT,
    assumed_household        TEXT,
    monthly_amount_cents     BIGINT NOT NULL,
    applied_bvv_cents        BIGINT,
    starts_on                DATE NOT NULL,
    ends_on                  DATE,
    executorial              BOOLEAN NOT NULL,
    created_at               TIMESTAMP NOT NULL,
    updated_at               TIMESTAMP NOT NULL,
    version                  BIGINT NOT NULL
);
CREATE INDEX attachments_by_person ON attachments (person);

-- The attaching creditor's own claim keys the attachment is for; none listed: all its claims.
CREATE TABLE attachment_claims (
    attachment_id TEXT NOT NULL REFERENCES attachments (id),
    claim_key     TEXT NOT NULL,
    PRIMARY KEY (attachment_id, claim_key)
);

CREATE TABLE declared_arrangements (
    id                       TEXT PRIMARY KEY,
    person                   TEXT NOT NULL,
    party_name               TEXT NOT NULL,
    monthly_amount_cents     BIGINT NOT NULL,
    starts_on                DATE NOT NULL,
    ends_on                  DATE,
    declared_by_role         TEXT NOT NULL,
    declared_by_organisation TEXT,
    created_at               TIMESTAMP NOT NULL,
    updated_at               TIMESTAMP NOT NULL
);
CREATE INDEX declared_arrangements_by_person ON declared_arrangements (person);

CREATE TABLE samenloop_states (
    person       TEXT PRIMARY KEY,
    flags        TEXT NOT NULL,
    evaluated_at TIMESTAMP NOT NULL
);
