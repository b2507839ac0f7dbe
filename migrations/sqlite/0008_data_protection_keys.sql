-- The key ring that protects sign-in cookies and antiforgery tokens: in the database, so every server on it accepts
-- what any of them issued, and a restore brings the keys back with the data.
CREATE TABLE data_protection_keys (
    id            INTEGER PRIMARY KEY,
    friendly_name TEXT NOT NULL,
    xml           TEXT NOT NULL,
    created_utc   TEXT NOT NULL
);
