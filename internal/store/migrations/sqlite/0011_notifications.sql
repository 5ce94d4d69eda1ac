-- In-app notifications: overdue items escalated by the hourly job (and
-- whatever else tells a user something). Each is written once per user and
-- dedupe key (e.g. "overdue:approval:42:2026-10-09:level2"); args holds the
-- message's arguments as a JSON array.
CREATE TABLE notifications (
    id           INTEGER PRIMARY KEY,
    zone_id      INTEGER NOT NULL REFERENCES zones(id),
    user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind         TEXT NOT NULL,
    subject_type TEXT NOT NULL DEFAULT '',
    subject_id   INTEGER NOT NULL DEFAULT 0,
    level        INTEGER NOT NULL DEFAULT 0,
    message_key  TEXT NOT NULL,
    args         TEXT NOT NULL DEFAULT '[]',
    created_at   TIMESTAMP NOT NULL,
    read_at      TIMESTAMP,
    dedupe_key   TEXT NOT NULL
);
CREATE UNIQUE INDEX notifications_dedupe ON notifications(user_id, dedupe_key);
-- A user's list, newest first, and the unread count and list.
CREATE INDEX notifications_user ON notifications(user_id, id);
CREATE INDEX notifications_unread ON notifications(user_id, id) WHERE read_at IS NULL;
