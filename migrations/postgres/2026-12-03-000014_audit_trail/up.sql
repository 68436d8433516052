-- Who changed which reference data (creditor registry, counsellor registry, norm tables), when,
-- and each field before and after: every calculation rests on these entries, so each change is
-- accountable. Written in the transaction of the change; never updated or deleted.
CREATE TABLE audit_trail (
    id                 BIGSERIAL PRIMARY KEY,
    changed_at         TIMESTAMP NOT NULL,
    actor_role         TEXT NOT NULL,
    actor_subject      TEXT,
    register           TEXT NOT NULL,
    entry_key          TEXT NOT NULL,
    changes            TEXT NOT NULL
);
CREATE INDEX audit_trail_by_entry ON audit_trail (register, entry_key, id);
