-- Agencies of the partnership and the local accounts that use the tool.
CREATE TABLE agencies (
    id          INTEGER PRIMARY KEY,
    key         TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('police', 'health', 'social-care', 'education', 'early-help', 'youth-justice', 'other')),
    created_utc TEXT NOT NULL
);

CREATE TABLE users (
    id              INTEGER PRIMARY KEY,
    user_name       TEXT NOT NULL COLLATE NOCASE UNIQUE,
    display_name    TEXT NOT NULL,
    role            TEXT NOT NULL CHECK (role IN ('administrator', 'scrutineer', 'auditor', 'manager', 'executive')),
    agency_id       INTEGER REFERENCES agencies (id),
    password_hash   TEXT NOT NULL,
    is_disabled     INTEGER NOT NULL DEFAULT 0 CHECK (is_disabled IN (0, 1)),
    failed_sign_ins INTEGER NOT NULL DEFAULT 0,
    lockout_end_utc TEXT,
    security_stamp  TEXT NOT NULL,
    created_utc     TEXT NOT NULL,
    -- auditors and managers belong to exactly one agency; the other roles to none
    CHECK ((role IN ('auditor', 'manager')) = (agency_id IS NOT NULL))
);
