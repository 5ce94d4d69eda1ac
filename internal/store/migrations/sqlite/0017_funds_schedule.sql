-- Funds schedule (资金到位计划): the dated instalments the investor promised
-- at signing, written in the signing's transaction and never changed after.
-- sort is the instalment's place in the schedule (by due date, from 0).
-- Projects signed before this table existed have no rows: their schedule is
-- the free text of projects.funds_schedule, which stays as a note.
CREATE TABLE funds_schedule (
    id          INTEGER PRIMARY KEY,
    zone_id     INTEGER NOT NULL REFERENCES zones(id),
    project_id  INTEGER NOT NULL REFERENCES projects(id),
    due_on      TEXT NOT NULL,
    amount_yuan INTEGER NOT NULL CHECK (amount_yuan > 0),
    note        TEXT NOT NULL DEFAULT '',
    sort        INTEGER NOT NULL
);
CREATE UNIQUE INDEX funds_schedule_project ON funds_schedule(project_id, sort);
CREATE INDEX funds_schedule_zone ON funds_schedule(zone_id, project_id);
