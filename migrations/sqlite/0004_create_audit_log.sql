-- Append-only record of every change, export, sign-in and refused access.
CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY,
    at_utc     TEXT NOT NULL,
    user_id    INTEGER,
    user_name  TEXT NOT NULL,
    action     TEXT NOT NULL,
    entity     TEXT NOT NULL,
    entity_id  TEXT,
    old_values TEXT,
    new_values TEXT
);

CREATE INDEX ix_audit_log_at ON audit_log (at_utc);
CREATE INDEX ix_audit_log_user ON audit_log (user_name, at_utc);
CREATE INDEX ix_audit_log_entity ON audit_log (entity, entity_id);

CREATE TRIGGER audit_log_no_update
BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TRIGGER audit_log_no_delete
BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
