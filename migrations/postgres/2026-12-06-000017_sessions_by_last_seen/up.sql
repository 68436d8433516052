-- A session ends when it has been idle too long as well as at its absolute end: clearing
-- ended sessions (with every new one) looks them up by either, never by scanning the table.
CREATE INDEX sessions_by_last_seen ON sessions (last_seen_at);
