-- A question key asked in two templates with different words is two measures on trends and in baseline comparisons,
-- unless a scrutineer confirms it is one: each row is that confirmation (the template keys in ordinal order).
CREATE TABLE same_measures (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    question_key TEXT NOT NULL,
    template_key TEXT NOT NULL,
    other_template_key TEXT NOT NULL,
    confirmed_by_name TEXT NOT NULL,
    confirmed_utc TEXT NOT NULL,
    UNIQUE (question_key, template_key, other_template_key)
);
