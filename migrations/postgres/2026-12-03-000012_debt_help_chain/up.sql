-- The debt-help chain (docs/debt-help-chain.md): one notification feed mechanism for creditors and
-- counsellor organisations, debt-help trajectories (schuldhulptrajecten) with the creditors told
-- of them, kept saldo-opgaven, and webhook subscriptions that push every feed (the outbox relay).

-- Feeds are keyed by the kind of recipient and its id: a creditor code and a counsellor
-- organisation id may look alike. A feed row is created with its first notification. Existing
-- creditor feeds keep their positions; every notification gets a stable event id (the CloudEvents
-- `id` and the Standard Webhooks `webhook-id` of its deliveries).
CREATE TABLE old_notification_feeds AS SELECT creditor_code, last_position FROM notification_feeds;
CREATE TABLE old_notifications AS SELECT * FROM notifications;
DROP TABLE notifications;
DROP TABLE notification_feeds;

CREATE TABLE notification_feeds (
    recipient_kind TEXT   NOT NULL,
    recipient      TEXT   NOT NULL,
    last_position  BIGINT NOT NULL,
    CONSTRAINT notification_feeds_pkey PRIMARY KEY (recipient_kind, recipient)
);
INSERT INTO notification_feeds (recipient_kind, recipient, last_position)
    SELECT 'SCHULDEISER', creditor_code, last_position FROM old_notification_feeds;

-- `mandate_id`: for a counsellor, the mandate (and so the citizen) the notification is about.
CREATE TABLE notifications (
    recipient_kind TEXT      NOT NULL,
    recipient      TEXT      NOT NULL,
    position       BIGINT    NOT NULL,
    event_id       TEXT      NOT NULL,
    kind           TEXT      NOT NULL,
    person         TEXT      NOT NULL,
    mandate_id     TEXT,
    subject_id     TEXT      NOT NULL,
    payload        TEXT      NOT NULL,
    created_at     TIMESTAMP NOT NULL,
    CONSTRAINT notifications_pkey PRIMARY KEY (recipient_kind, recipient, position),
    CONSTRAINT notifications_feed_fkey FOREIGN KEY (recipient_kind, recipient)
        REFERENCES notification_feeds (recipient_kind, recipient)
);
INSERT INTO notifications (recipient_kind, recipient, position, event_id, kind, person, mandate_id,
                           subject_id, payload, created_at)
    SELECT 'SCHULDEISER', creditor_code, position, gen_random_uuid()::text, kind, person, NULL,
           subject_id, payload, created_at
    FROM old_notifications;
DROP TABLE old_notifications;
DROP TABLE old_notification_feeds;

-- A citizen in municipal debt help, registered by a counsellor organisation under a mandate.
-- `mandate_valid_until` and `mandate_end_told` let the daily watch find a trajectory whose
-- counsellor's mandate ran out, once.
CREATE TABLE debt_help_trajectories (
    id                  TEXT      PRIMARY KEY,
    person              TEXT      NOT NULL,
    counsellor          TEXT      NOT NULL,
    mandate_id          TEXT      NOT NULL,
    mandate_valid_until DATE      NOT NULL,
    mandate_end_told    BOOLEAN   NOT NULL,
    phase               TEXT      NOT NULL,
    starts_on           DATE      NOT NULL,
    ends_on             DATE,
    registered_at       TIMESTAMP NOT NULL,
    changed_at          TIMESTAMP NOT NULL,
    ended_at            TIMESTAMP,
    version             BIGINT    NOT NULL
);
-- One running trajectory per person; also the guard against two registrations at once.
CREATE UNIQUE INDEX debt_help_trajectories_running ON debt_help_trajectories (person)
    WHERE ended_at IS NULL;
CREATE INDEX debt_help_trajectories_by_person ON debt_help_trajectories (person);
CREATE INDEX debt_help_trajectories_by_counsellor ON debt_help_trajectories (counsellor);
CREATE INDEX debt_help_trajectories_mandate_watch ON debt_help_trajectories (mandate_valid_until)
    WHERE ended_at IS NULL AND NOT mandate_end_told;

-- The creditors told of a trajectory: they are told again when it changes, and a creditor not
-- yet told is told when its first claim on the person arrives.
CREATE TABLE debt_help_trajectory_creditors (
    trajectory_id TEXT      NOT NULL REFERENCES debt_help_trajectories (id),
    creditor_code TEXT      NOT NULL,
    informed_at   TIMESTAMP NOT NULL,
    CONSTRAINT debt_help_trajectory_creditors_pkey PRIMARY KEY (trajectory_id, creditor_code)
);

-- A saldo-opgave as it was given, to be cited later unchanged.
CREATE TABLE balance_statements (
    id                   TEXT      PRIMARY KEY,
    person               TEXT      NOT NULL,
    reference_date       DATE      NOT NULL,
    made_by_role         TEXT      NOT NULL,
    made_by_organisation TEXT,
    made_at              TIMESTAMP NOT NULL,
    content              TEXT      NOT NULL
);
CREATE INDEX balance_statements_by_person ON balance_statements (person);

-- Webhook subscriptions of a feed, with their delivery state. The lease (holder, until) lets one
-- instance at a time deliver to a subscription; the secret is sealed (AES-256-GCM).
CREATE TABLE webhook_subscriptions (
    id                 TEXT      PRIMARY KEY,
    recipient_kind     TEXT      NOT NULL,
    recipient          TEXT      NOT NULL,
    url                TEXT      NOT NULL,
    sealed_secret      TEXT      NOT NULL,
    created_at         TIMESTAMP NOT NULL,
    delivered_position BIGINT    NOT NULL,
    delivered_at       TIMESTAMP,
    failed_attempts    INTEGER   NOT NULL,
    next_attempt_at    TIMESTAMP,
    last_error         TEXT,
    last_error_at      TIMESTAMP,
    lease_holder       TEXT,
    lease_until        TIMESTAMP
);
CREATE INDEX webhook_subscriptions_by_recipient ON webhook_subscriptions (recipient_kind, recipient);
