-- A study campaign may ask the members of teams (专班, 专业组): their ids,
-- comma-separated, for audience 'teams'; the members are read from
-- team_members whenever the campaign is.
ALTER TABLE study_campaigns ADD COLUMN team_ids TEXT NOT NULL DEFAULT '';
