-- The daily digest of overdue items (每日待办汇总). Every overdue item told
-- to a user, per due date and escalation level, is one row here, pointing
-- at the notification that told it: the item's own notification, or the
-- day's digest that counts it with the user's other new items of that
-- level. The hourly job reads this table, not the notifications, to know
-- what a user was told; a digest's page lists its rows.
CREATE TABLE overdue_told (
    notification_id BIGINT NOT NULL REFERENCES notifications(id) ON DELETE CASCADE,
    user_id         BIGINT NOT NULL,
    level           INTEGER NOT NULL,
    item_type       TEXT NOT NULL, -- lead | project | approval
    item_id         BIGINT NOT NULL,
    due             TEXT NOT NULL,
    PRIMARY KEY (notification_id, item_type, item_id)
);
-- What was told of a chunk of items, to whom: each once per user, level
-- and due date.
CREATE UNIQUE INDEX overdue_told_item ON overdue_told(item_type, item_id, user_id, level, due);
-- The day's digests of a zone (dedupe keys "digest:2026-10-08:level1").
CREATE INDEX notifications_digest ON notifications(dedupe_key, user_id) WHERE kind = 'digest';

-- Overdue items told before, one notification each
-- ("overdue:lead:42:2026-09-30:level1").
INSERT INTO overdue_told (notification_id, user_id, level, item_type, item_id, due)
SELECT id, user_id, level, split_part(dedupe_key, ':', 2), split_part(dedupe_key, ':', 3)::bigint, split_part(dedupe_key, ':', 4)
FROM notifications
WHERE kind = 'overdue' AND dedupe_key LIKE 'overdue:%:%:%:level%'
  AND split_part(dedupe_key, ':', 2) IN ('lead', 'project', 'approval') AND split_part(dedupe_key, ':', 3) ~ '^[0-9]+$'
ON CONFLICT DO NOTHING;
