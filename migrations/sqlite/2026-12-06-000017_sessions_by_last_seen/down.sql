DROP INDEX sessions_by_last_seen;
