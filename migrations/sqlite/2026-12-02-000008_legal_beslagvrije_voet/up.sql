-- The legal beslagvrije voet of art. 475da-475dc Rv in full (docs/beslagvrije-voet.md).
--
-- Norm tables now hold every figure of the law's formula, amounts and percentages alike, as exact
-- decimals. The tables before hold only bijstandsnormen for an approximation the law does not
-- prescribe, so they are removed; the service seeds the legal tables on its next start.
DELETE FROM norm_parameters;
DELETE FROM norm_tables;
ALTER TABLE norm_parameters DROP COLUMN amount_cents;
ALTER TABLE norm_parameters ADD COLUMN value TEXT NOT NULL DEFAULT '';

-- A household as the law's formula needs it; the allowances people receive play no part in it.
ALTER TABLE proposals DROP COLUMN huurtoeslag_cents;
ALTER TABLE proposals DROP COLUMN zorgtoeslag_cents;
ALTER TABLE proposals DROP COLUMN kindgebonden_budget_cents;
ALTER TABLE proposals ADD COLUMN children BOOLEAN;
ALTER TABLE proposals ADD COLUMN taxable_yearly_income_cents BIGINT;
ALTER TABLE proposals ADD COLUMN housing_correction BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE proposals ADD COLUMN partner_income_cents BIGINT;

-- What an attaching party knows that the norm needs.
ALTER TABLE attachments ADD COLUMN taxable_yearly_income_cents BIGINT;
ALTER TABLE attachments ADD COLUMN children BOOLEAN;
ALTER TABLE attachments ADD COLUMN partner_income_cents BIGINT;
