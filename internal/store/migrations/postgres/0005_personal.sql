-- Personal data (PIPL) and encryption at rest.
--
-- members.phone and members.id_number hold sealed values (package seal:
-- "s1:" + key id, nonce, ciphertext and tag) once a key file is in use;
-- *_hash are keyed hashes (blind indexes) for exact-match lookups.
-- left_on is the day the member's status became "left" (离职), from which the
-- retention job counts; personal_cleared_on the day it cleared the fields.
ALTER TABLE members ADD COLUMN phone_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE members ADD COLUMN id_number_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE members ADD COLUMN left_on TEXT NOT NULL DEFAULT '';
ALTER TABLE members ADD COLUMN personal_cleared_on TEXT NOT NULL DEFAULT '';

-- Members who left before this migration: the last change is the best date
-- there is, and errs towards keeping their data longer.
UPDATE members SET left_on = to_char(updated_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') WHERE status = 'left';

CREATE INDEX members_phone_hash ON members(zone_id, phone_hash) WHERE phone_hash <> '';
CREATE INDEX members_id_number_hash ON members(zone_id, id_number_hash) WHERE id_number_hash <> '';
CREATE INDEX members_left_on ON members(status, left_on);

-- Data keys, each wrapped (encrypted) by the master key of the key file,
-- which never enters the database. Exactly one is active: new values are
-- sealed with it; retired ones stay to open older values until rotated.
CREATE TABLE seal_keys (
    id         BIGINT PRIMARY KEY,
    suite      TEXT NOT NULL,
    wrapped    TEXT NOT NULL,
    active     BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMPTZ NOT NULL,
    retired_at TIMESTAMPTZ
);
CREATE UNIQUE INDEX seal_keys_one_active ON seal_keys(active) WHERE active;
