-- When and how each account last signed in (the users page, the sign-in report, and disabling unused accounts).
ALTER TABLE users ADD COLUMN last_sign_in_utc TEXT;
ALTER TABLE users ADD COLUMN last_sign_in_method TEXT;

-- An authenticator app's secret (protected by the app's key ring, never stored in the clear), and the last time step
-- whose code was used, so that no code is taken twice.
CREATE TABLE user_totp (
    user_id        INTEGER PRIMARY KEY REFERENCES users (id),
    secret         TEXT NOT NULL,
    confirmed_utc  TEXT,
    last_used_step INTEGER NOT NULL DEFAULT 0,
    created_utc    TEXT NOT NULL
);

-- A new authenticator being set up while the confirmed one stays in use (it replaces it once a code from it is given).
CREATE TABLE user_totp_pending (
    user_id     INTEGER PRIMARY KEY REFERENCES users (id),
    secret      TEXT NOT NULL,
    created_utc TEXT NOT NULL
);

-- One-time recovery codes, kept only as hashes.
CREATE TABLE user_recovery_codes (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (id),
    code_hash   TEXT NOT NULL,
    used_utc    TEXT,
    created_utc TEXT NOT NULL
);

CREATE INDEX ix_user_recovery_codes_user ON user_recovery_codes (user_id);

-- Passkeys (WebAuthn credentials): a second factor, or a way to sign in instead of the password.
CREATE TABLE user_passkeys (
    id            INTEGER PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users (id),
    credential_id TEXT NOT NULL UNIQUE,
    public_key    TEXT NOT NULL,
    user_handle   TEXT NOT NULL,
    sign_count    INTEGER NOT NULL DEFAULT 0,
    name          TEXT NOT NULL,
    created_utc   TEXT NOT NULL,
    last_used_utc TEXT
);

CREATE INDEX ix_user_passkeys_user ON user_passkeys (user_id);

-- Accounts linked to an identity provider's person: by issuer and subject, never by user name or e-mail.
CREATE TABLE user_logins (
    issuer        TEXT NOT NULL,
    subject       TEXT NOT NULL,
    user_id       INTEGER NOT NULL REFERENCES users (id),
    provider      TEXT NOT NULL,
    created_utc   TEXT NOT NULL,
    last_used_utc TEXT,
    PRIMARY KEY (issuer, subject)
);

CREATE INDEX ix_user_logins_user ON user_logins (user_id);

-- More kinds of notice: accounts disabled for not being used; safeguarding concerns (raised, not yet acknowledged);
-- records due for disposal. SQLite changes a CHECK by rebuilding the table.
CREATE TABLE outbox_rebuilt (
    id                INTEGER PRIMARY KEY,
    reason_key        TEXT NOT NULL UNIQUE,
    kind              TEXT NOT NULL
                      CHECK (kind IN ('opening', 'reminder', 'overdue-returns', 'amendment', 'overdue-actions', 'test',
                                      'accounts-disabled', 'concern-raised', 'concern-reminder', 'retention-due')),
    audit_id          INTEGER REFERENCES audits (id) ON DELETE SET NULL,
    agency_id         INTEGER REFERENCES agencies (id) ON DELETE SET NULL,
    recipient_user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    to_address        TEXT NOT NULL,
    subject           TEXT NOT NULL,
    text_body         TEXT NOT NULL,
    html_body         TEXT NOT NULL,
    status            TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'dead')),
    attempts          INTEGER NOT NULL DEFAULT 0,
    next_attempt_utc  TEXT NOT NULL,
    claimed_utc       TEXT,
    last_error        TEXT,
    created_utc       TEXT NOT NULL,
    sent_utc          TEXT
);

INSERT INTO outbox_rebuilt (id, reason_key, kind, audit_id, agency_id, recipient_user_id, to_address, subject, text_body,
                            html_body, status, attempts, next_attempt_utc, claimed_utc, last_error, created_utc, sent_utc)
SELECT id, reason_key, kind, audit_id, agency_id, recipient_user_id, to_address, subject, text_body, html_body, status,
       attempts, next_attempt_utc, claimed_utc, last_error, created_utc, sent_utc
FROM outbox;

DROP TABLE outbox;
ALTER TABLE outbox_rebuilt RENAME TO outbox;

CREATE INDEX ix_outbox_due ON outbox (status, next_attempt_utc);
CREATE INDEX ix_outbox_recipient ON outbox (recipient_user_id, kind, created_utc);
CREATE INDEX ix_outbox_created ON outbox (created_utc);
