DROP TABLE audit_trail;
