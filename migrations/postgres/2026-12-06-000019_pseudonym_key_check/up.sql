-- The fingerprint of the pseudonym key the data was stored under, recorded at the first start:
-- a service started with another key finds no person's data and would store new data under
-- pseudonyms nobody can find again, so it refuses to start instead.
CREATE TABLE pseudonym_key_check (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    fingerprint TEXT NOT NULL
);
