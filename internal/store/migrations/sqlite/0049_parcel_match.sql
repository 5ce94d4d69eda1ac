-- Matching reads a zone's parcels on offer (planned, serviced, listed)
-- with a handful of columns: an index that holds them answers it without
-- visiting the table.
CREATE INDEX parcels_match ON parcels(zone_id, status, park_id, code, area_mu, land_use, project_id);
