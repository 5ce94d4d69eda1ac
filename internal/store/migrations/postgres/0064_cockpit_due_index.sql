-- The cockpit's red and yellow leads and supervision orders: open ones by
-- deadline, counted and listed from the index.
CREATE INDEX leads_zone_screening_due ON leads(zone_id, status, screening_due);
CREATE INDEX supervision_orders_due ON supervision_orders(zone_id, closed_on, due_on);
