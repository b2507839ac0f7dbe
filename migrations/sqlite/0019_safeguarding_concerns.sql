-- An account of an agency (a manager or an auditor) may be its safeguarding lead: it receives the concerns raised on
-- that agency's cases, whatever the audit's stage. Set by administrators; accounts that existed before are not leads.
ALTER TABLE users ADD COLUMN safeguarding_lead INTEGER NOT NULL DEFAULT 0 CHECK (safeguarding_lead IN (0, 1));

-- A safeguarding concern found while auditing a case: a child who may be at risk now. Its description and who was told
-- are case content. Steps: raised, acknowledged (by a lead of an agency on the case), action recorded, closed (by a
-- scrutineer); each step's person and time are kept beside it.
CREATE TABLE concerns (
    id                 INTEGER PRIMARY KEY,
    audit_id           INTEGER NOT NULL REFERENCES audits (id) ON DELETE CASCADE,
    case_id            INTEGER NOT NULL REFERENCES audit_cases (id) ON DELETE CASCADE,
    raised_agency_id   INTEGER REFERENCES agencies (id),
    description        TEXT NOT NULL,
    told               TEXT NOT NULL DEFAULT '',
    state              TEXT NOT NULL DEFAULT 'raised'
                       CHECK (state IN ('raised', 'acknowledged', 'action-recorded', 'closed')),
    raised_by          INTEGER REFERENCES users (id),
    raised_by_name     TEXT NOT NULL,
    raised_utc         TEXT NOT NULL,
    acknowledged_by    INTEGER REFERENCES users (id),
    acknowledged_name  TEXT,
    acknowledged_utc   TEXT,
    action_taken       TEXT,
    action_by          INTEGER REFERENCES users (id),
    action_name        TEXT,
    action_utc         TEXT,
    closed_by          INTEGER REFERENCES users (id),
    closed_name        TEXT,
    closed_utc         TEXT
);

CREATE INDEX ix_concerns_audit ON concerns (audit_id, state);
CREATE INDEX ix_concerns_case ON concerns (case_id);
