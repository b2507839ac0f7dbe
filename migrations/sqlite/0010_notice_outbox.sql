-- Reminders and notices by e-mail. An account may have an address; every message is written to the outbox, with the
-- reason it is sent (its reason key, unique: a reason is never written, so never sent, twice) before it is sent.
ALTER TABLE users ADD COLUMN email TEXT;

-- status: pending (to send at next_attempt_utc), sending (claimed by one sender), sent, failed (to retry at
-- next_attempt_utc), dead (not retried: out of tries, or in doubt; an administrator may retry it).
CREATE TABLE outbox (
    id                INTEGER PRIMARY KEY,
    reason_key        TEXT NOT NULL UNIQUE,
    kind              TEXT NOT NULL
                      CHECK (kind IN ('opening', 'reminder', 'overdue-returns', 'amendment', 'overdue-actions', 'test')),
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

CREATE INDEX ix_outbox_due ON outbox (status, next_attempt_utc);
CREATE INDEX ix_outbox_recipient ON outbox (recipient_user_id, kind, created_utc);
CREATE INDEX ix_outbox_created ON outbox (created_utc);
