-- Staff: at most one active contract per member, enforced by the database as
-- well as by the store, and indexes for the "is this position in use" checks.

CREATE UNIQUE INDEX contracts_one_active ON contracts(member_id) WHERE status = 'active';
CREATE INDEX positions_department ON positions(department_id);
CREATE INDEX members_position ON members(position_id);
CREATE INDEX contracts_position ON contracts(position_id);
CREATE INDEX terms_zone_end ON terms(zone_id, end_date);
