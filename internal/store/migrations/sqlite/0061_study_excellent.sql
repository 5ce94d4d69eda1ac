-- An accepted reflection the organisation office picks for the compilation (优秀心得).
ALTER TABLE study_reflections ADD COLUMN excellent BOOLEAN NOT NULL DEFAULT FALSE;
