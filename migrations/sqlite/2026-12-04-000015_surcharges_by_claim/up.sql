-- The surcharge lines of a person's claims, which every overview and proposal reads: only the
-- claims' OphogingOpgelegd events, so a claim without surcharges costs one probe of this small
-- index instead of a walk of all its events in claim_events_by_claim and their table pages.
-- The read names the event type as a literal, so a prepared statement's plan can use it.
CREATE INDEX claim_surcharges_by_claim ON claim_events (claim_id, id)
    WHERE event_type = 'OphogingOpgelegd';
