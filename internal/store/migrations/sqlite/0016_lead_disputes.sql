-- Credit disputes (首报认定争议). When duplicate leads are merged the
-- earlier report keeps the credit and later reporters become co-reporters
-- (lead_coreporters). A co-reporter of a lead, or the reporter of a lead
-- merged into it, may claim the credit once; the screening task force
-- decides, never a party. Upheld moves leads.reporter_id to the disputant
-- and makes the former reporter a co-reporter. Decisions are final: one
-- dispute per person and lead, ever.
--   reporter_id         the member credited when the dispute was raised
--   former_reporter_id  upheld only: the member the credit moved from
--   decided_on          the date of the deciding meeting (YYYY-MM-DD)
CREATE TABLE lead_disputes (
    id                 INTEGER PRIMARY KEY,
    zone_id            INTEGER NOT NULL REFERENCES zones(id),
    lead_id            INTEGER NOT NULL REFERENCES leads(id),
    disputant_id       INTEGER NOT NULL REFERENCES members(id),
    reason             TEXT NOT NULL,
    status             TEXT NOT NULL,
    raised_by          INTEGER NOT NULL REFERENCES users(id),
    raised_at          TIMESTAMP NOT NULL,
    reporter_id        INTEGER NOT NULL REFERENCES members(id),
    former_reporter_id INTEGER REFERENCES members(id),
    decision_note      TEXT NOT NULL DEFAULT '',
    deciding_body      TEXT NOT NULL DEFAULT '',
    decided_on         TEXT NOT NULL DEFAULT '',
    decided_by         INTEGER REFERENCES users(id),
    decided_at         TIMESTAMP,
    version            INTEGER NOT NULL DEFAULT 1,
    updated_at         TIMESTAMP NOT NULL,
    UNIQUE (lead_id, disputant_id)
);
CREATE INDEX lead_disputes_zone_status ON lead_disputes(zone_id, status, id);
