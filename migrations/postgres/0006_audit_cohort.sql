-- PostgreSQL: the same schema as sqlite/0006_audit_cohort.sql.
-- The cohort list an audit's sample was drawn from (pseudonymised references and their attributes), so the same
-- cohort, criteria and seed can always be shown to give the same sample.
CREATE TABLE audit_cohort (
    audit_id        BIGINT NOT NULL REFERENCES audits (id) ON DELETE CASCADE,
    position        BIGINT NOT NULL,
    ref             TEXT NOT NULL,
    attributes_json TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (audit_id, position)
);

ALTER TABLE audits ADD COLUMN cohort_file TEXT;
ALTER TABLE audits ADD COLUMN sample_size BIGINT;

CREATE INDEX ix_answers_updated ON answers (return_id, updated_utc);
