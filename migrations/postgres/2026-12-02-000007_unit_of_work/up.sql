-- One unit of work (docs/architecture.md, docs/domain.md): reads change nothing, so the overview shows the last
-- evaluation, kept whole; accepting a proposal records the person's declared situation; the
-- daily check works person by person and resumes where it stopped; reference data is cached and
-- refreshed by a version that every change of it raises.

-- The rest of the last evaluation beside its flags: what could not be judged, the remaining
-- capacity and the data the norm was computed from. NULL for evaluations made before.
ALTER TABLE samenloop_states ADD COLUMN evaluation TEXT;

-- The household a person declared with the proposal they accepted last.
CREATE TABLE declared_situations (
    person      TEXT PRIMARY KEY,
    proposal_id TEXT NOT NULL REFERENCES proposals (id),
    declared_on DATE NOT NULL
);

-- A run of the daily check in progress: the day it checks through, the last person done (runs
-- go in person order), and until when the instance doing it holds it.
ALTER TABLE samenloop_checks ADD COLUMN pending_through DATE;
ALTER TABLE samenloop_checks ADD COLUMN last_person TEXT;
ALTER TABLE samenloop_checks ADD COLUMN lease_until TIMESTAMP;

CREATE TABLE reference_versions (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO reference_versions (id, version) VALUES (1, 0);

-- Keyset walks of the persons concerned by the daily check.
CREATE INDEX attachments_by_person_start ON attachments (person, starts_on);
CREATE INDEX arrangements_running_by_person ON arrangements (person) WHERE ended_at IS NULL;
