-- Saved views (保存的查询): a user's named filter set of a list page (kind
-- 'projects': the project ledger), kept as the canonical query string the
-- store re-encodes from a parsed filter. A shared view (共享) is listed to
-- everyone in its zone; only leaders may share. Names are unique per user
-- and kind.
CREATE TABLE saved_views (
    id         INTEGER PRIMARY KEY,
    zone_id    INTEGER NOT NULL REFERENCES zones(id),
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    name       TEXT NOT NULL,
    query      TEXT NOT NULL DEFAULT '',
    shared     BOOLEAN NOT NULL DEFAULT FALSE,
    version    INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (user_id, kind, name)
);
-- The zone's shared views of a kind (a user's own come from the unique index).
CREATE INDEX saved_views_zone_shared ON saved_views(zone_id, kind) WHERE shared;
-- The ledger's 签约项目 filter and 签约时间 range.
CREATE INDEX projects_zone_signed ON projects(zone_id, signed_on);
