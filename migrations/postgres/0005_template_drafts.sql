-- PostgreSQL: the same schema as sqlite/0005_template_drafts.sql.
-- A draft version is a work in progress: it is kept whole as a template document (it may not validate yet) and is
-- written out as sections and questions only when it is published.
ALTER TABLE template_versions ADD COLUMN draft_json TEXT;
