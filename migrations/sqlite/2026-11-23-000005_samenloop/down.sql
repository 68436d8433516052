DROP TABLE samenloop_states;
DROP TABLE declared_arrangements;
DROP TABLE attachment_claims;
DROP TABLE attachments;
