-- A checked definition file an admin uploaded and is previewing: stored as a version only
-- when they confirm it; forgotten when discarded, stored, or a day old.
CREATE TABLE questionnaire_uploads (
    id          TEXT PRIMARY KEY,
    file_name   TEXT NOT NULL,
    source      TEXT NOT NULL,
    uploaded_at BIGINT NOT NULL,
    uploaded_by TEXT NOT NULL
);
CREATE INDEX questionnaire_uploads_uploaded_at ON questionnaire_uploads (uploaded_at);
