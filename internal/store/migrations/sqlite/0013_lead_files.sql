-- Attachments of leads (线索附件): PDF, JPEG, PNG and Office files, type-checked
-- by content, at most 10 MB each and 10 per lead. The bytes live in the
-- database, so that a backup holds them with everything else. name is the
-- uploader's file name, sanitised, for display and download only.
-- data is the last column: SQLite keeps a large value in overflow pages,
-- which a list that reads only the columns before it never touches.
CREATE TABLE lead_files (
    id           INTEGER PRIMARY KEY,
    zone_id      INTEGER NOT NULL REFERENCES zones(id),
    lead_id      INTEGER NOT NULL REFERENCES leads(id),
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,
    sha256       TEXT NOT NULL,
    uploaded_by  INTEGER NOT NULL REFERENCES users(id),
    created_at   TIMESTAMP NOT NULL,
    data         BLOB NOT NULL
);
CREATE INDEX lead_files_lead ON lead_files(lead_id, id);
