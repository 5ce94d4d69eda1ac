-- Per-user request limits (searches, imports, exports) as token buckets in
-- the database, so that several servers on one database share them: key
-- names the user and the kind of request, tokens are what is left at
-- at_unix (seconds since 1970). Buckets idle long enough to be full again
-- are removed by the hourly jobs.
CREATE TABLE rate_buckets (
    key     TEXT PRIMARY KEY,
    tokens  REAL NOT NULL,
    at_unix REAL NOT NULL
);
CREATE INDEX rate_buckets_at ON rate_buckets(at_unix);
