DROP TABLE webhook_subscriptions;
DROP TABLE balance_statements;
DROP TABLE debt_help_trajectory_creditors;
DROP TABLE debt_help_trajectories;

-- Back to creditor feeds only; counsellors' feeds are dropped.
CREATE TABLE old_notification_feeds AS
    SELECT recipient, last_position FROM notification_feeds WHERE recipient_kind = 'SCHULDEISER';
CREATE TABLE old_notifications AS SELECT * FROM notifications WHERE recipient_kind = 'SCHULDEISER';
DROP TABLE notifications;
DROP TABLE notification_feeds;
CREATE TABLE notification_feeds (
    creditor_code TEXT PRIMARY KEY REFERENCES creditors (code),
    last_position BIGINT NOT NULL
);
INSERT INTO notification_feeds (creditor_code, last_position)
    SELECT code, COALESCE((SELECT last_position FROM old_notification_feeds WHERE recipient = code), 0)
    FROM creditors;
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
INSERT INTO notifications (creditor_code, position, kind, person, subject_id, payload, created_at)
    SELECT recipient, position, kind, person, subject_id, payload, created_at FROM old_notifications;
DROP TABLE old_notifications;
DROP TABLE old_notification_feeds;
