-- A calibration exercise: one anonymised case (a published template version and an evidence summary written by a
-- scrutineer, case content) graded blind by the auditors taking part, from any agency. Open, then closed by a
-- scrutineer; nobody but scrutineers sees another auditor's grades or the reference until it is closed.
CREATE TABLE calibration_exercises (
    id                   INTEGER PRIMARY KEY,
    title                TEXT NOT NULL,
    template_version_id  INTEGER NOT NULL REFERENCES template_versions (id),
    summary              TEXT NOT NULL,
    state                TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'closed')),
    planned_by           INTEGER REFERENCES users (id),
    planned_by_name      TEXT NOT NULL,
    planned_utc          TEXT NOT NULL,
    closed_by            INTEGER REFERENCES users (id),
    closed_name          TEXT,
    closed_utc           TEXT
);

CREATE INDEX ix_calibration_exercises_version ON calibration_exercises (template_version_id);

-- The auditors taking part; submitted_utc is set when an auditor has finished grading.
CREATE TABLE calibration_participants (
    exercise_id    INTEGER NOT NULL REFERENCES calibration_exercises (id) ON DELETE CASCADE,
    user_id        INTEGER NOT NULL REFERENCES users (id),
    submitted_utc  TEXT,
    PRIMARY KEY (exercise_id, user_id)
);

-- An auditor's grade of a graded question (an option value of its scale).
CREATE TABLE calibration_grades (
    exercise_id   INTEGER NOT NULL REFERENCES calibration_exercises (id) ON DELETE CASCADE,
    user_id       INTEGER NOT NULL REFERENCES users (id),
    question_key  TEXT NOT NULL,
    value         TEXT NOT NULL,
    saved_utc     TEXT NOT NULL,
    PRIMARY KEY (exercise_id, user_id, question_key)
);

-- The scrutineer's reference grade of a graded question.
CREATE TABLE calibration_references (
    exercise_id   INTEGER NOT NULL REFERENCES calibration_exercises (id) ON DELETE CASCADE,
    question_key  TEXT NOT NULL,
    value         TEXT NOT NULL,
    set_by_name   TEXT NOT NULL,
    set_utc       TEXT NOT NULL,
    PRIMARY KEY (exercise_id, question_key)
);
