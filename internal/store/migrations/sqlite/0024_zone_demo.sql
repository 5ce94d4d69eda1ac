-- Zones made by `xinlu demo` are marked: only there may an account hold the
-- combined administrator role (admin). A demo zone made before this mark
-- existed carries the demo's code.
ALTER TABLE zones ADD COLUMN demo BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE zones SET demo = TRUE WHERE code = 'demo';
