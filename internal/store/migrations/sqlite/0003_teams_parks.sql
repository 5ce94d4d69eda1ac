-- Teams and parks: find a member's teams (and cascade a member's removal)
-- without scanning every membership.
CREATE INDEX team_members_member ON team_members(member_id);
