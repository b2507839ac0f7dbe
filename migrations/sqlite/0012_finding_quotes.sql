-- Short evidence quotes a scrutineer attaches to a finding: chosen from the returns' evidence notes, edited to remove
-- anything identifying, and read in the report as the scrutineer's curated words. The source is kept for the
-- scrutineer's own reference (never shown in the report).
CREATE TABLE finding_quotes (
    id                 INTEGER PRIMARY KEY,
    finding_id         INTEGER NOT NULL REFERENCES findings (id) ON DELETE CASCADE,
    position           INTEGER NOT NULL DEFAULT 0,
    text               TEXT NOT NULL,
    source_return_id   INTEGER REFERENCES agency_returns (id) ON DELETE SET NULL,
    source_question_id INTEGER REFERENCES template_questions (id),
    created_by         INTEGER REFERENCES users (id),
    created_utc        TEXT NOT NULL
);

CREATE INDEX ix_finding_quotes_finding ON finding_quotes (finding_id, position);
