DROP INDEX mandates_by_counsellor_reference;
ALTER TABLE mandates DROP COLUMN counsellor_reference;
DROP TABLE counsellor_organisations;
