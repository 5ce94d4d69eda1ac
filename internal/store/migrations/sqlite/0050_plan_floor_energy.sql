-- A project plan states its floor area (m²) and its yearly energy use
-- (t of standard coal): matching checks the floor-area ratio and the
-- energy per unit of output against the park's and the parcel's limits.
ALTER TABLE projects ADD COLUMN floor_area_m2 REAL NOT NULL DEFAULT 0;
ALTER TABLE projects ADD COLUMN energy_tce REAL NOT NULL DEFAULT 0;

-- Matching reads the parcels' planned floor-area ratio range too.
DROP INDEX parcels_match;
CREATE INDEX parcels_match ON parcels(zone_id, status, park_id, code, area_mu, land_use, project_id, far_min, far_max);
