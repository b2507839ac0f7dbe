-- Audits (deep dives, multi-agency and follow-up audits), their sampled cases, one return per (case, agency),
-- the answers, moderation, findings and actions.
CREATE TABLE audits (
    id                    INTEGER PRIMARY KEY,
    title                 TEXT NOT NULL,
    kind                  TEXT NOT NULL CHECK (kind IN ('deep-dive', 'multi-agency', 'follow-up')),
    template_version_id   INTEGER NOT NULL REFERENCES template_versions (id),
    baseline_audit_id     INTEGER REFERENCES audits (id),
    purpose               TEXT NOT NULL DEFAULT '',
    sample_criteria       TEXT NOT NULL DEFAULT '',
    sample_criteria_json  TEXT,
    sample_seed           INTEGER,
    cohort_size           INTEGER,
    deadline              TEXT,
    strength_threshold    REAL NOT NULL DEFAULT 0.8 CHECK (strength_threshold BETWEEN 0 AND 1),
    development_threshold REAL NOT NULL DEFAULT 0.6 CHECK (development_threshold BETWEEN 0 AND 1),
    minimum_count         INTEGER NOT NULL DEFAULT 5 CHECK (minimum_count >= 1),
    status                TEXT NOT NULL DEFAULT 'planning'
                          CHECK (status IN ('planning', 'open', 'moderation', 'published', 'closed')),
    created_by            INTEGER REFERENCES users (id),
    created_utc           TEXT NOT NULL,
    updated_utc           TEXT NOT NULL,
    published_utc         TEXT,
    CHECK (development_threshold <= strength_threshold),
    CHECK ((kind = 'follow-up') OR baseline_audit_id IS NULL)
);

CREATE TABLE audit_agencies (
    audit_id  INTEGER NOT NULL REFERENCES audits (id) ON DELETE CASCADE,
    agency_id INTEGER NOT NULL REFERENCES agencies (id),
    PRIMARY KEY (audit_id, agency_id)
) WITHOUT ROWID;

-- Case references are pseudonymised: no names are ever stored.
CREATE TABLE audit_cases (
    id              INTEGER PRIMARY KEY,
    audit_id        INTEGER NOT NULL REFERENCES audits (id) ON DELETE CASCADE,
    ref             TEXT NOT NULL,
    attributes_json TEXT NOT NULL DEFAULT '{}',
    source          TEXT NOT NULL DEFAULT 'hand' CHECK (source IN ('sample', 'hand', 'import')),
    position        INTEGER NOT NULL DEFAULT 0,
    UNIQUE (audit_id, ref)
);

CREATE TABLE agency_returns (
    id               INTEGER PRIMARY KEY,
    audit_id         INTEGER NOT NULL REFERENCES audits (id) ON DELETE CASCADE,
    case_id          INTEGER NOT NULL REFERENCES audit_cases (id) ON DELETE CASCADE,
    agency_id        INTEGER NOT NULL REFERENCES agencies (id),
    auditor_user_id  INTEGER REFERENCES users (id),
    status           TEXT NOT NULL DEFAULT 'not-started'
                     CHECK (status IN ('not-started', 'in-progress', 'submitted', 'returned')),
    returned_comment TEXT,
    submitted_utc    TEXT,
    updated_utc      TEXT NOT NULL,
    UNIQUE (case_id, agency_id)
);

CREATE INDEX ix_agency_returns_audit ON agency_returns (audit_id, agency_id);
CREATE INDEX ix_agency_returns_agency ON agency_returns (agency_id, status);

-- One row per (return, question): the last change of each answer wins, never duplicated.
-- value holds the option value, a JSON list for multichoice, or the number, date or text as written.
CREATE TABLE answers (
    return_id    INTEGER NOT NULL REFERENCES agency_returns (id) ON DELETE CASCADE,
    question_key TEXT NOT NULL,
    value        TEXT,
    evidence     TEXT,
    updated_utc  TEXT NOT NULL,
    updated_by   INTEGER REFERENCES users (id),
    PRIMARY KEY (return_id, question_key)
) WITHOUT ROWID;

-- Moderated judgement per (case, question); the agencies' original answers are kept untouched.
CREATE TABLE moderations (
    case_id       INTEGER NOT NULL REFERENCES audit_cases (id) ON DELETE CASCADE,
    question_key  TEXT NOT NULL,
    value         TEXT NOT NULL,
    rationale     TEXT NOT NULL DEFAULT '',
    moderated_by  INTEGER REFERENCES users (id),
    moderated_utc TEXT NOT NULL,
    PRIMARY KEY (case_id, question_key)
) WITHOUT ROWID;

CREATE TABLE findings (
    id                 INTEGER PRIMARY KEY,
    audit_id           INTEGER NOT NULL REFERENCES audits (id) ON DELETE CASCADE,
    kind               TEXT NOT NULL CHECK (kind IN ('strength', 'development')),
    title              TEXT NOT NULL,
    narrative          TEXT NOT NULL DEFAULT '',
    position           INTEGER NOT NULL DEFAULT 0,
    question_keys_json TEXT NOT NULL DEFAULT '[]',
    themes_json        TEXT NOT NULL DEFAULT '[]',
    source             TEXT NOT NULL DEFAULT 'scrutineer' CHECK (source IN ('proposed', 'scrutineer')),
    created_utc        TEXT NOT NULL,
    updated_utc        TEXT NOT NULL
);

CREATE INDEX ix_findings_audit ON findings (audit_id, position);

CREATE TABLE actions (
    id              INTEGER PRIMARY KEY,
    audit_id        INTEGER NOT NULL REFERENCES audits (id) ON DELETE CASCADE,
    finding_id      INTEGER REFERENCES findings (id) ON DELETE SET NULL,
    description     TEXT NOT NULL,
    owner_agency_id INTEGER REFERENCES agencies (id),
    due_date        TEXT,
    status          TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'in-progress', 'done')),
    created_utc     TEXT NOT NULL,
    updated_utc     TEXT NOT NULL
);

CREATE INDEX ix_actions_audit ON actions (audit_id);
CREATE INDEX ix_actions_owner ON actions (owner_agency_id, status);
