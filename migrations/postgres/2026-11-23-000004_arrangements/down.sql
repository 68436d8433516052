DROP TABLE notifications;
DROP TABLE notification_feeds;
DROP TABLE arranged_claims;
DROP TABLE arrangement_claims;
DROP TABLE arrangements;
DROP TABLE proposal_claims;
DROP TABLE proposals;
ALTER TABLE creditors DROP COLUMN preference_rank;
