ALTER TABLE claim_events DROP COLUMN reverses_event_key;
