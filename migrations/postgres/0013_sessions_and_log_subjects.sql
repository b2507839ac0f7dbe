-- PostgreSQL: the same schema as sqlite/0013_sessions_and_log_subjects.sql.
-- Sign-in sessions kept on the server. The cookie carries the session's id; every request and every open page checks
-- it here, so a session ends for good on every server when it is ended: at sign-out, when the account is disabled, its
-- password or role changes, or after its absolute lifetime (expires_utc), whatever the activity.
CREATE TABLE sessions (
    id           TEXT PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users (id),
    method       TEXT NOT NULL,
    created_utc  TEXT NOT NULL,
    expires_utc  TEXT NOT NULL,
    ended_utc    TEXT,
    ended_reason TEXT
);

CREATE INDEX ix_sessions_open ON sessions (user_id) WHERE ended_utc IS NULL;

-- Log lines name what they are about by audit, case reference and agency; case_content marks values that are case
-- content (answers, evidence, moderation rationales, amendment comments, quotes): for scrutineers only.
ALTER TABLE audit_log ADD COLUMN audit_id BIGINT;
ALTER TABLE audit_log ADD COLUMN case_ref TEXT;
ALTER TABLE audit_log ADD COLUMN agency_key TEXT;
ALTER TABLE audit_log ADD COLUMN case_content BIGINT NOT NULL DEFAULT 0 CHECK (case_content IN (0, 1));

-- Lines written before this release are classified once, here, with the append-only guard lifted for this
-- migration's own transaction only.
ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update;

UPDATE audit_log SET case_content = 1
WHERE entity IN ('answer', 'evidence', 'moderation', 'finding-quote')
   OR (entity = 'return' AND action = 'return-for-amendment');

UPDATE audit_log l SET audit_id = r.audit_id, case_ref = c.ref, agency_key = g.key
FROM agency_returns r JOIN audit_cases c ON c.id = r.case_id JOIN agencies g ON g.id = r.agency_id
WHERE l.entity IN ('answer', 'evidence') AND position('/' IN l.entity_id) > 0
  AND r.id = CAST(split_part(l.entity_id, '/', 1) AS BIGINT);

UPDATE audit_log l SET audit_id = r.audit_id, case_ref = c.ref, agency_key = g.key
FROM agency_returns r JOIN audit_cases c ON c.id = r.case_id JOIN agencies g ON g.id = r.agency_id
WHERE l.entity = 'return' AND l.entity_id ~ '^[0-9]+$' AND r.id = CAST(l.entity_id AS BIGINT);

UPDATE audit_log l SET audit_id = c.audit_id, case_ref = c.ref
FROM audit_cases c
WHERE l.entity = 'moderation' AND position('/' IN l.entity_id) > 0 AND c.id = CAST(split_part(l.entity_id, '/', 1) AS BIGINT);

UPDATE audit_log SET audit_id = CAST(entity_id AS BIGINT) WHERE entity = 'audit' AND entity_id ~ '^[0-9]+$';

ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update;

CREATE INDEX ix_audit_log_audit ON audit_log (audit_id, case_ref);
