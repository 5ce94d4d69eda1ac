-- An entry of funds in place carries a version: a correction or reversal
-- of a mistaken entry names the version it saw.
ALTER TABLE funds_in_place ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
