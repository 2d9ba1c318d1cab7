-- Questionnaire versions: the definition file as loaded, immutable once stored.
CREATE TABLE questionnaire_versions (
    id               TEXT PRIMARY KEY,
    identifier       TEXT NOT NULL,
    version          TEXT NOT NULL,
    title            TEXT NOT NULL,
    previous_version TEXT,
    file_name        TEXT NOT NULL,
    -- the file exactly as loaded, and its SHA-256: the same version with other content is refused
    source           TEXT NOT NULL,
    source_sha256    TEXT NOT NULL,
    item_count       BIGINT NOT NULL,
    imported_at      BIGINT NOT NULL,
    imported_by      TEXT NOT NULL,
    UNIQUE (identifier, version)
);

-- Loads that were refused, with every problem found, so the admin can read them back.
CREATE TABLE questionnaire_import_attempts (
    id          TEXT PRIMARY KEY,
    file_name   TEXT NOT NULL,
    -- JSON array of messages, each with file name, line and item key
    problems    TEXT NOT NULL,
    attempted_at BIGINT NOT NULL,
    attempted_by TEXT NOT NULL
);
