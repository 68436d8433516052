-- Betalingsregeling Rijk (docs/choices.md): proposals, the arrangements they become, and the
-- notification feed of every creditor (a transactional outbox: written in the same transaction
-- as the change it reports).

-- Preference rank for the preferential split (lower first); NULL: no preference.
ALTER TABLE creditors ADD COLUMN preference_rank INTEGER;

CREATE TABLE proposals (
    id                        TEXT PRIMARY KEY,
    person                    TEXT NOT NULL,
    requested_by_role         TEXT NOT NULL,
    requested_by_organisation TEXT,
    created_at                TIMESTAMP NOT NULL,
    expires_at                TIMESTAMP NOT NULL,
    peildatum                 DATE NOT NULL,
    household                 TEXT NOT NULL,
    pension_age               BOOLEAN NOT NULL,
    net_income_cents          BIGINT NOT NULL,
    housing_costs_cents       BIGINT,
    huurtoeslag_cents         BIGINT NOT NULL,
    zorgtoeslag_cents         BIGINT NOT NULL,
    kindgebonden_budget_cents BIGINT NOT NULL,
    capacity_cents            BIGINT NOT NULL,
    feasible                  BOOLEAN NOT NULL,
    accepted_as               TEXT
);
CREATE INDEX proposals_by_person ON proposals (person, created_at);

-- The claims a proposal planned for, with what they owed then: acceptance compares.
CREATE TABLE proposal_claims (
    proposal_id       TEXT NOT NULL REFERENCES proposals (id),
    claim_id          TEXT NOT NULL REFERENCES claims (id),
    outstanding_cents BIGINT NOT NULL,
    PRIMARY KEY (proposal_id, claim_id)
);

-- What an arrangement was planned with; its schedule is recomputed from this (deterministic).
CREATE TABLE arrangements (
    id                   TEXT PRIMARY KEY,
    person               TEXT NOT NULL,
    proposal_id          TEXT NOT NULL REFERENCES proposals (id),
    coordinator          TEXT NOT NULL,
    capacity_cents       BIGINT NOT NULL,
    instalment_cents     BIGINT NOT NULL,
    max_term_months      INTEGER NOT NULL,
    min_instalment_cents BIGINT NOT NULL,
    split_strategy       TEXT NOT NULL,
    first_due            DATE NOT NULL,
    started_on           DATE NOT NULL,
    started_at           TIMESTAMP NOT NULL,
    ended_at             TIMESTAMP,
    end_reason           TEXT,
    ended_by_role        TEXT,
    ended_by_organisation TEXT
);
CREATE INDEX arrangements_by_person ON arrangements (person);

CREATE TABLE arrangement_claims (
    arrangement_id    TEXT NOT NULL REFERENCES arrangements (id),
    claim_id          TEXT NOT NULL REFERENCES claims (id),
    creditor_code     TEXT NOT NULL,
    claim_key         TEXT NOT NULL,
    outstanding_cents BIGINT NOT NULL,
    due_date          DATE NOT NULL,
    creditor_rank     INTEGER,
    PRIMARY KEY (arrangement_id, claim_id)
);
CREATE INDEX arrangement_claims_by_claim ON arrangement_claims (claim_id);

-- A claim is in at most one running arrangement: the primary key makes two concurrent
-- acceptances of the same claim collide instead of both succeeding.
CREATE TABLE arranged_claims (
    claim_id       TEXT PRIMARY KEY REFERENCES claims (id),
    arrangement_id TEXT NOT NULL REFERENCES arrangements (id)
);
CREATE INDEX arranged_claims_by_arrangement ON arranged_claims (arrangement_id);

-- Per creditor the position of its newest notification. Appending locks this row, so positions
-- commit in order and a reader that continues after a position never misses one.
CREATE TABLE notification_feeds (
    creditor_code TEXT PRIMARY KEY REFERENCES creditors (code),
    last_position BIGINT NOT NULL
);
INSERT INTO notification_feeds (creditor_code, last_position) SELECT code, 0 FROM creditors;

CREATE TABLE notifications (
    creditor_code TEXT NOT NULL REFERENCES notification_feeds (creditor_code),
    position      BIGINT NOT NULL,
    kind          TEXT NOT NULL,
    person        TEXT NOT NULL,
    subject_id    TEXT NOT NULL,
    payload       TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    PRIMARY KEY (creditor_code, position)
);
