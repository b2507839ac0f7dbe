-- Retention (issue 25): when an audit's case content is destroyed, counted in months from its publication (or its
-- closing unpublished). NULL months: the partnership's defaults (AuditTool:Retention:*). The *_disposed_utc columns
-- say a stage has been carried out.
ALTER TABLE audits ADD COLUMN closed_utc TEXT;
UPDATE audits SET closed_utc = updated_utc WHERE status = 'closed';
ALTER TABLE audits ADD COLUMN notes_retention_months INTEGER CHECK (notes_retention_months BETWEEN 1 AND 1200);
ALTER TABLE audits ADD COLUMN answers_retention_months INTEGER CHECK (answers_retention_months BETWEEN 1 AND 1200);
ALTER TABLE audits ADD COLUMN notes_disposed_utc TEXT;
ALTER TABLE audits ADD COLUMN answers_disposed_utc TEXT;

-- A legal hold stops disposal of an audit or of a case reference (in every audit) until it is released.
CREATE TABLE legal_holds (
    id             INTEGER PRIMARY KEY,
    audit_id       INTEGER REFERENCES audits (id),
    case_ref       TEXT,
    reason         TEXT NOT NULL,
    placed_by      TEXT NOT NULL,
    placed_utc     TEXT NOT NULL,
    released_by    TEXT,
    released_utc   TEXT,
    release_reason TEXT,
    CHECK ((audit_id IS NULL) <> (case_ref IS NULL))
);

-- Every time disposal blanked values in the audit log and so re-computed the chain from the first line it changed:
-- verify-audit-log names these. While a row is open (in the disposal's own transaction) the log's guard lets exactly
-- that change through: values to NULL, a case reference to its disposal token, and the hashes.
CREATE TABLE audit_log_anchors (
    id            INTEGER PRIMARY KEY,
    at_utc        TEXT NOT NULL,
    reason        TEXT NOT NULL,
    audit_id      INTEGER,
    first_id      INTEGER,
    last_id       INTEGER,
    old_last_hash TEXT,
    new_last_hash TEXT,
    lines_blanked INTEGER NOT NULL DEFAULT 0,
    open          INTEGER NOT NULL DEFAULT 1 CHECK (open IN (0, 1))
);

DROP TRIGGER audit_log_no_update;

CREATE TRIGGER audit_log_no_update
BEFORE UPDATE ON audit_log
WHEN NOT (
    EXISTS (SELECT 1 FROM audit_log_anchors WHERE open = 1)
    AND NEW.id = OLD.id AND NEW.at_utc = OLD.at_utc AND NEW.user_id IS OLD.user_id AND NEW.user_name = OLD.user_name
    AND NEW.action = OLD.action AND NEW.entity = OLD.entity AND NEW.entity_id IS OLD.entity_id
    AND NEW.audit_id IS OLD.audit_id AND NEW.agency_key IS OLD.agency_key AND NEW.case_content = OLD.case_content
    AND (NEW.old_values IS OLD.old_values OR NEW.old_values IS NULL)
    AND (NEW.new_values IS OLD.new_values OR NEW.new_values IS NULL)
    AND (NEW.case_ref IS OLD.case_ref OR NEW.case_ref LIKE 'disposed-%'))
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

-- The disclosure record: who saw or exported case-level data of which case, when, and how.
CREATE TABLE disclosures (
    id          INTEGER PRIMARY KEY,
    at_utc      TEXT NOT NULL,
    user_id     INTEGER,
    user_name   TEXT NOT NULL,
    kind        TEXT NOT NULL,
    audit_id    INTEGER,
    case_ref    TEXT NOT NULL,
    agency_key  TEXT,
    what        TEXT NOT NULL
);

CREATE INDEX ix_disclosures_case ON disclosures (case_ref, at_utc);
CREATE INDEX ix_legal_holds_open ON legal_holds (released_utc);
