-- PostgreSQL: as sqlite/0007_answers_by_question.sql.
-- Answers are stored against their template question's id instead of its key text: a million answers no longer carry
-- a million copies of the key, and aggregation reads a number per row instead of a string. The key stays the stable
-- identity across versions (template_questions.key); an answer belongs to a question of its audit's template version.
CREATE TABLE answers_by_question (
    return_id   BIGINT NOT NULL REFERENCES agency_returns (id) ON DELETE CASCADE,
    question_id BIGINT NOT NULL REFERENCES template_questions (id),
    value       TEXT,
    evidence    TEXT,
    updated_utc TEXT NOT NULL,
    updated_by  BIGINT REFERENCES users (id),
    PRIMARY KEY (return_id, question_id)
);

INSERT INTO answers_by_question (return_id, question_id, value, evidence, updated_utc, updated_by)
SELECT a.return_id, q.id, a.value, a.evidence, a.updated_utc, a.updated_by
FROM answers a
JOIN agency_returns r ON r.id = a.return_id
JOIN audits au ON au.id = r.audit_id
JOIN template_questions q ON q.template_version_id = au.template_version_id AND q.key = a.question_key;

DROP TABLE answers;
ALTER TABLE answers_by_question RENAME TO answers;
CREATE INDEX ix_answers_updated ON answers (return_id, updated_utc);
