-- The registry of debt-counsellor organisations, kept by the beheerder: a counsellor token for an
-- organisation outside it is refused, and a citizen mandates only a registered organisation.
CREATE TABLE counsellor_organisations (
    id              TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    contact_website TEXT,
    contact_phone   TEXT,
    updated_at      TIMESTAMP NOT NULL
);

-- The counsellor's own dossier reference for a mandate: the service keeps no readable BSN, so
-- this is how a counsellor recognises the citizen in its list (docs/pages.md).
ALTER TABLE mandates ADD COLUMN counsellor_reference TEXT;
CREATE INDEX mandates_by_counsellor_reference ON mandates (counsellor, counsellor_reference);
