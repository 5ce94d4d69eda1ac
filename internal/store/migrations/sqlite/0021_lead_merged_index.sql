-- The leads merged into a lead: its page lists their attachments, and a
-- merge points the leads merged into the absorbed one at the new target.
CREATE INDEX leads_merged_into ON leads(merged_into) WHERE merged_into IS NOT NULL;
