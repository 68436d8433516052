-- Dated norm tables (docs/beslagvrije-voet.md): each a set of parameters valid from a date, every value with
-- its source. Rows are only ever added: history is never rewritten.
CREATE TABLE norm_tables (
    valid_from DATE PRIMARY KEY,
    added_by   TEXT NOT NULL,
    added_at   TIMESTAMP NOT NULL
);

CREATE TABLE norm_parameters (
    valid_from   DATE NOT NULL REFERENCES norm_tables (valid_from),
    code         TEXT NOT NULL,
    amount_cents BIGINT NOT NULL,
    source       TEXT NOT NULL,
    confirmed    BOOLEAN NOT NULL,
    PRIMARY KEY (valid_from, code)
);
