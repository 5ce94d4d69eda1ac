-- Amounts that may not be known yet (待定) are NULL, never 0: a lead's
-- intended investment and a plan's total and fixed-asset investment,
-- expected output and tax. Existing zeros stay zeros.
ALTER TABLE leads ALTER COLUMN investment_yuan DROP NOT NULL, ALTER COLUMN investment_yuan DROP DEFAULT;
ALTER TABLE projects
    ALTER COLUMN total_yuan DROP NOT NULL, ALTER COLUMN total_yuan DROP DEFAULT,
    ALTER COLUMN fixed_asset_yuan DROP NOT NULL, ALTER COLUMN fixed_asset_yuan DROP DEFAULT,
    ALTER COLUMN output_yuan DROP NOT NULL, ALTER COLUMN output_yuan DROP DEFAULT,
    ALTER COLUMN tax_yuan DROP NOT NULL, ALTER COLUMN tax_yuan DROP DEFAULT;
