-- The audit log is a hash chain: each line's hash covers its fields and the hash of the line before it (prev_hash), so
-- a line changed, deleted or inserted out of order directly in the database is found by verify-audit-log. The lines
-- written before this migration are sealed by the migration itself, in order.
ALTER TABLE audit_log ADD COLUMN prev_hash TEXT;
ALTER TABLE audit_log ADD COLUMN hash TEXT;

-- Each check of the chain: when, by whom, what it found, and the last line it saw (so lines taken off the end are
-- noticed by the next check).
CREATE TABLE audit_log_checks (
    id              INTEGER PRIMARY KEY,
    at_utc          TEXT NOT NULL,
    checked_by      TEXT NOT NULL,
    entries         INTEGER NOT NULL,
    intact          INTEGER NOT NULL CHECK (intact IN (0, 1)),
    first_broken_id INTEGER,
    message         TEXT NOT NULL,
    last_id         INTEGER,
    last_hash       TEXT
);
