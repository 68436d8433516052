DROP TABLE access_log;
DROP TABLE mandates;
DROP TABLE claim_events;
DROP TABLE claims;
DROP TABLE creditors;
