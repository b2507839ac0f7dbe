-- Templates, their immutable published versions, sections and questions.
-- A question's key is stable across versions so that rounds stay comparable.
CREATE TABLE templates (
    id          INTEGER PRIMARY KEY,
    key         TEXT NOT NULL UNIQUE,
    title       TEXT NOT NULL,
    retired_utc TEXT,
    created_utc TEXT NOT NULL
);

CREATE TABLE template_versions (
    id            INTEGER PRIMARY KEY,
    template_id   INTEGER NOT NULL REFERENCES templates (id),
    version       INTEGER NOT NULL CHECK (version >= 1),
    status        TEXT NOT NULL CHECK (status IN ('draft', 'published')),
    title         TEXT NOT NULL,
    description   TEXT NOT NULL DEFAULT '',
    scales_json   TEXT NOT NULL DEFAULT '{}',
    created_utc   TEXT NOT NULL,
    published_utc TEXT,
    UNIQUE (template_id, version)
);

CREATE TABLE template_sections (
    id                  INTEGER PRIMARY KEY,
    template_version_id INTEGER NOT NULL REFERENCES template_versions (id) ON DELETE CASCADE,
    position            INTEGER NOT NULL,
    key                 TEXT NOT NULL,
    title               TEXT NOT NULL,
    guidance            TEXT NOT NULL DEFAULT '',
    agency_kinds        TEXT NOT NULL DEFAULT '[]',
    UNIQUE (template_version_id, key)
);

CREATE TABLE template_questions (
    id                  INTEGER PRIMARY KEY,
    template_version_id INTEGER NOT NULL REFERENCES template_versions (id) ON DELETE CASCADE,
    section_id          INTEGER NOT NULL REFERENCES template_sections (id) ON DELETE CASCADE,
    position            INTEGER NOT NULL,
    key                 TEXT NOT NULL,
    text                TEXT NOT NULL,
    guidance            TEXT NOT NULL DEFAULT '',
    type                TEXT NOT NULL CHECK (type IN ('scale', 'choice', 'multichoice', 'number', 'date', 'text')),
    scale               TEXT,
    options_json        TEXT NOT NULL DEFAULT '[]',
    required            INTEGER NOT NULL CHECK (required IN (0, 1)),
    weight              REAL NOT NULL CHECK (weight > 0),
    themes_json         TEXT NOT NULL DEFAULT '[]',
    show_if_question    TEXT,
    show_if_values_json TEXT,
    UNIQUE (template_version_id, key)
);

CREATE INDEX ix_template_questions_section ON template_questions (section_id, position);

-- A published version never changes: the database refuses it too, not only the services.
CREATE TRIGGER template_versions_published_immutable
BEFORE UPDATE ON template_versions
WHEN OLD.status = 'published'
BEGIN
    SELECT RAISE(ABORT, 'a published template version cannot be changed');
END;

CREATE TRIGGER template_versions_published_undeletable
BEFORE DELETE ON template_versions
WHEN OLD.status = 'published'
BEGIN
    SELECT RAISE(ABORT, 'a published template version cannot be deleted');
END;

CREATE TRIGGER template_sections_published_immutable
BEFORE UPDATE ON template_sections
WHEN (SELECT status FROM template_versions WHERE id = OLD.template_version_id) = 'published'
BEGIN
    SELECT RAISE(ABORT, 'a published template version cannot be changed');
END;

CREATE TRIGGER template_sections_published_undeletable
BEFORE DELETE ON template_sections
WHEN (SELECT status FROM template_versions WHERE id = OLD.template_version_id) = 'published'
BEGIN
    SELECT RAISE(ABORT, 'a published template version cannot be changed');
END;

CREATE TRIGGER template_sections_published_no_insert
BEFORE INSERT ON template_sections
WHEN (SELECT status FROM template_versions WHERE id = NEW.template_version_id) = 'published'
BEGIN
    SELECT RAISE(ABORT, 'a published template version cannot be changed');
END;

CREATE TRIGGER template_questions_published_immutable
BEFORE UPDATE ON template_questions
WHEN (SELECT status FROM template_versions WHERE id = OLD.template_version_id) = 'published'
BEGIN
    SELECT RAISE(ABORT, 'a published template version cannot be changed');
END;

CREATE TRIGGER template_questions_published_undeletable
BEFORE DELETE ON template_questions
WHEN (SELECT status FROM template_versions WHERE id = OLD.template_version_id) = 'published'
BEGIN
    SELECT RAISE(ABORT, 'a published template version cannot be changed');
END;

CREATE TRIGGER template_questions_published_no_insert
BEFORE INSERT ON template_questions
WHEN (SELECT status FROM template_versions WHERE id = NEW.template_version_id) = 'published'
BEGIN
    SELECT RAISE(ABORT, 'a published template version cannot be changed');
END;
