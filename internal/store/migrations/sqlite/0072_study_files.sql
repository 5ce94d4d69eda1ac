-- Files of study campaigns, bytes and all (a backup holds them): a
-- member's reflection handed in as .docx or .pdf (reflection_id set; one
-- a reflection, the latest upload replacing the one before), or one of a
-- campaign's materials (reflection_id NULL). body is the text read from
-- the file on the server, '' when none could be read (a scanned PDF).
CREATE TABLE study_files (
    id            INTEGER PRIMARY KEY,
    zone_id       INTEGER NOT NULL REFERENCES zones(id),
    campaign_id   INTEGER NOT NULL REFERENCES study_campaigns(id),
    reflection_id INTEGER REFERENCES study_reflections(id),
    name          TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    size          INTEGER NOT NULL,
    sha256        TEXT NOT NULL,
    body          TEXT NOT NULL DEFAULT '',
    uploaded_by   INTEGER NOT NULL REFERENCES users(id),
    created_at    TIMESTAMP NOT NULL,
    data          BLOB NOT NULL
);
CREATE INDEX study_files_campaign ON study_files(campaign_id, reflection_id, id);
