-- PostgreSQL: the same schema as sqlite/0021_answer_field_times_and_amendments.sql.
-- When an answer's value and its evidence note last changed, each on its own: a workbook upload finds what changed in
-- the app after the workbook was downloaded from these, not from the audit log.
ALTER TABLE answers ADD COLUMN value_updated_utc TEXT;
ALTER TABLE answers ADD COLUMN evidence_updated_utc TEXT;
-- Filled from the audit log's lines for each field (every save wrote one, in its transaction); an answer with no such
-- line (an imported package's) takes its row's time, which at worst flags a cell as changed that was not.
UPDATE answers SET
    value_updated_utc = COALESCE((
        SELECT MAX(l.at_utc) FROM audit_log l JOIN template_questions q ON q.id = answers.question_id
        WHERE l.entity = 'answer' AND l.action IN ('update', 'update-from-workbook')
          AND l.entity_id = CAST(answers.return_id AS TEXT) || '/' || q.key),
        CASE WHEN value IS NOT NULL THEN updated_utc END),
    evidence_updated_utc = COALESCE((
        SELECT MAX(l.at_utc) FROM audit_log l JOIN template_questions q ON q.id = answers.question_id
        WHERE l.entity = 'evidence' AND l.action IN ('update', 'update-from-workbook')
          AND l.entity_id = CAST(answers.return_id AS TEXT) || '/' || q.key),
        CASE WHEN evidence IS NOT NULL THEN updated_utc END);

-- Each sending back for amendment gets a number of its own (its notice is sent once per number). It starts from the
-- audit log line of the latest sending back, so that a notice already sent for it under that number is not sent again.
ALTER TABLE agency_returns ADD COLUMN amendment_number BIGINT NOT NULL DEFAULT 0;
UPDATE agency_returns r SET amendment_number = COALESCE((
    SELECT MAX(l.id) FROM audit_log l
    WHERE l.entity = 'return' AND l.entity_id = CAST(r.id AS TEXT) AND l.action = 'return-for-amendment'), 0);
