-- Sign-in sessions kept on the server. The cookie carries the session's id; every request and every open page checks
-- it here, so a session ends for good on every server when it is ended: at sign-out, when the account is disabled, its
-- password or role changes, or after its absolute lifetime (expires_utc), whatever the activity.
CREATE TABLE sessions (
    id           TEXT PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id),
    method       TEXT NOT NULL,
    created_utc  TEXT NOT NULL,
    expires_utc  TEXT NOT NULL,
    ended_utc    TEXT,
    ended_reason TEXT
);

CREATE INDEX ix_sessions_open ON sessions (user_id) WHERE ended_utc IS NULL;

-- Log lines name what they are about by audit, case reference and agency; case_content marks values that are case
-- content (answers, evidence, moderation rationales, amendment comments, quotes): for scrutineers only.
ALTER TABLE audit_log ADD COLUMN audit_id INTEGER;
ALTER TABLE audit_log ADD COLUMN case_ref TEXT;
ALTER TABLE audit_log ADD COLUMN agency_key TEXT;
ALTER TABLE audit_log ADD COLUMN case_content INTEGER NOT NULL DEFAULT 0 CHECK (case_content IN (0, 1));

-- Lines written before this release are classified once, here, with the append-only guard lifted for this
-- migration's own transaction only.
DROP TRIGGER audit_log_no_update;

UPDATE audit_log SET case_content = 1
WHERE entity IN ('answer', 'evidence', 'moderation', 'finding-quote')
   OR (entity = 'return' AND action = 'return-for-amendment');

UPDATE audit_log SET
    audit_id = (SELECT r.audit_id FROM agency_returns r
                WHERE r.id = CAST(substr(audit_log.entity_id, 1, instr(audit_log.entity_id, '/') - 1) AS INTEGER)),
    case_ref = (SELECT c.ref FROM agency_returns r JOIN audit_cases c ON c.id = r.case_id
                WHERE r.id = CAST(substr(audit_log.entity_id, 1, instr(audit_log.entity_id, '/') - 1) AS INTEGER)),
    agency_key = (SELECT g.key FROM agency_returns r JOIN agencies g ON g.id = r.agency_id
                  WHERE r.id = CAST(substr(audit_log.entity_id, 1, instr(audit_log.entity_id, '/') - 1) AS INTEGER))
WHERE entity IN ('answer', 'evidence') AND instr(entity_id, '/') > 0;

UPDATE audit_log SET
    audit_id = (SELECT r.audit_id FROM agency_returns r WHERE r.id = CAST(audit_log.entity_id AS INTEGER)),
    case_ref = (SELECT c.ref FROM agency_returns r JOIN audit_cases c ON c.id = r.case_id WHERE r.id = CAST(audit_log.entity_id AS INTEGER)),
    agency_key = (SELECT g.key FROM agency_returns r JOIN agencies g ON g.id = r.agency_id WHERE r.id = CAST(audit_log.entity_id AS INTEGER))
WHERE entity = 'return' AND entity_id NOT GLOB '*[^0-9]*' AND entity_id <> '';

UPDATE audit_log SET
    audit_id = (SELECT c.audit_id FROM audit_cases c
                WHERE c.id = CAST(substr(audit_log.entity_id, 1, instr(audit_log.entity_id, '/') - 1) AS INTEGER)),
    case_ref = (SELECT c.ref FROM audit_cases c
                WHERE c.id = CAST(substr(audit_log.entity_id, 1, instr(audit_log.entity_id, '/') - 1) AS INTEGER))
WHERE entity = 'moderation' AND instr(entity_id, '/') > 0;

UPDATE audit_log SET audit_id = CAST(entity_id AS INTEGER) WHERE entity = 'audit' AND entity_id NOT GLOB '*[^0-9]*' AND entity_id <> '';

CREATE TRIGGER audit_log_no_update
BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE INDEX ix_audit_log_audit ON audit_log (audit_id, case_ref);
