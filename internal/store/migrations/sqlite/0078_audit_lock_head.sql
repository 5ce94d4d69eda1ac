-- PostgreSQL takes a zone's audit chain lock and reads its head in one
-- call (audit_lock_head); SQLite has one writer and reads the head itself.
SELECT 1;
