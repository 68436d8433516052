DROP INDEX arrangements_running_by_person;
DROP INDEX attachments_by_person_start;
DROP TABLE reference_versions;
ALTER TABLE samenloop_checks DROP COLUMN lease_until;
ALTER TABLE samenloop_checks DROP COLUMN last_person;
ALTER TABLE samenloop_checks DROP COLUMN pending_through;
DROP TABLE declared_situations;
ALTER TABLE samenloop_states DROP COLUMN evaluation;
