-- PostgreSQL: the same schema as sqlite/0018_figures_kept.sql.
-- Every write that can change an audit's figures (answers, returns' status, cases and agencies, moderation, the audit's
-- own plan and status) adds one to its counter in the same transaction: a server holding an open audit's figures
-- knows, from one number, whether they are still true, whichever server made the change.
ALTER TABLE audits ADD COLUMN changes BIGINT NOT NULL DEFAULT 0;

-- A published audit's figures, computed once as it was published and read from here by the report, the reports list,
-- trends, the Word report and the Excel summary; recomputed only by recompute-figures (which also checks them).
CREATE TABLE audit_figures (
    audit_id       BIGINT PRIMARY KEY REFERENCES audits (id),
    figures_json   TEXT NOT NULL,
    baseline_json  TEXT,
    baseline_title TEXT,
    changes        BIGINT NOT NULL,
    computed_utc   TEXT NOT NULL
);
