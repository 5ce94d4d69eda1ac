-- Per-zone light and escalation thresholds (招商流程设置), in working days:
-- a deadline's light turns yellow with yellow_days or fewer left; a red
-- item is escalated to the sponsor after more than sponsor_after_days and
-- to the director after more than director_after_days. A zone without a
-- pipeline_settings row uses the defaults (xinlu.DefaultLightRules).
ALTER TABLE pipeline_settings ADD COLUMN yellow_days INTEGER NOT NULL DEFAULT 2;
ALTER TABLE pipeline_settings ADD COLUMN sponsor_after_days INTEGER NOT NULL DEFAULT 5;
ALTER TABLE pipeline_settings ADD COLUMN director_after_days INTEGER NOT NULL DEFAULT 10;
