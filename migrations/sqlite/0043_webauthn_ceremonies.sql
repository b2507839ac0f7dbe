-- A passkey ceremony (registering one, or signing in or confirming a sign-in with one): the options the server sent,
-- with its challenge, kept until the browser answers. Taking a ceremony deletes it, so a challenge is answered once;
-- one not answered in time is worth nothing (and is swept by the next ceremony).
CREATE TABLE webauthn_ceremonies (
    id           TEXT PRIMARY KEY,
    kind         TEXT NOT NULL,
    user_id      BIGINT,
    options_json TEXT NOT NULL,
    expires_utc  TEXT NOT NULL
);
