-- A template version's own names for its themes ("voice-of-child" reads "Voice of the child"), as a JSON object.
-- Versions from before read {} and show the built-in names.
ALTER TABLE template_versions ADD COLUMN theme_names_json TEXT NOT NULL DEFAULT '{}';
