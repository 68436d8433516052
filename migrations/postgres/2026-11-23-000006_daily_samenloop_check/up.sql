-- The daily samenloop check: flags also change with the calendar (an attachment that ended, a
-- norm table that took effect). One row holds the last day checked, so that of several instances
-- only one checks each day, and a day missed while the service was down is caught up.
CREATE TABLE samenloop_checks (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    checked_through DATE NOT NULL
);
-- Before any attachment could exist: the first check looks at everyone concerned.
INSERT INTO samenloop_checks (id, checked_through) VALUES (1, '2000-01-01');

CREATE INDEX attachments_by_start ON attachments (starts_on);
CREATE INDEX attachments_by_end ON attachments (ends_on);
CREATE INDEX declared_arrangements_by_start ON declared_arrangements (starts_on);
CREATE INDEX declared_arrangements_by_end ON declared_arrangements (ends_on);
