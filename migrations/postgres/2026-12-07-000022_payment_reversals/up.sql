-- The payment a BetalingTeruggeboekt books back, by its event key (of the same creditor and
-- claim): what of a payment is left to book back, and whether an arrangement counted it.
ALTER TABLE claim_events ADD COLUMN reverses_event_key TEXT;
