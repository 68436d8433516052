-- Proposals nobody accepted are deleted some days after they expired (docs/choices.md,
-- "Retention"): the job finds them by this index, never by scanning the table.
CREATE INDEX proposals_unaccepted_by_expiry ON proposals (expires_at) WHERE accepted_as IS NULL;
