-- Pay amounts are encrypted at rest like phone numbers: a member's base
-- performance pay and each result's base and pay move to text columns that
-- hold the sealed value (the store seals the values copied here when it
-- starts with its key file, as it does plain phones), and the integer
-- columns are dropped, so that no amount stays in plain text.
ALTER TABLE member_pay ADD COLUMN base_sealed TEXT NOT NULL DEFAULT '';
UPDATE member_pay SET base_sealed = CAST(base_yuan AS TEXT);
ALTER TABLE member_pay DROP COLUMN base_yuan;
ALTER TABLE appraisal_results ADD COLUMN base_sealed TEXT NOT NULL DEFAULT '';
ALTER TABLE appraisal_results ADD COLUMN pay_sealed TEXT NOT NULL DEFAULT '';
UPDATE appraisal_results SET base_sealed = CAST(base_yuan AS TEXT), pay_sealed = CAST(pay_yuan AS TEXT);
ALTER TABLE appraisal_results DROP COLUMN base_yuan;
ALTER TABLE appraisal_results DROP COLUMN pay_yuan;
