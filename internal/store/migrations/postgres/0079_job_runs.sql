-- When each scheduled job last started, so that of several servers on one
-- database the jobs run once per period in all, not once per server: name
-- is the job ('hourly': the hourly jobs; 'retention' and 'audit_full':
-- those run once a day), at when its last run started.
CREATE TABLE job_runs (
    name TEXT PRIMARY KEY,
    at   TIMESTAMPTZ NOT NULL
);
