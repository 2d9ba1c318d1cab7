-- Measurement rounds, the regions taking part, one response per round and region, its
-- answers (one row per item) and the append-only history of every change to an answer.

CREATE TABLE rounds (
    id                    TEXT PRIMARY KEY,
    name                  TEXT NOT NULL,
    questionnaire_id      TEXT NOT NULL,
    questionnaire_version TEXT NOT NULL,
    state                 TEXT NOT NULL CHECK (state IN ('concept', 'open', 'closed', 'published')),
    opens_at              BIGINT NOT NULL,
    -- UTC milliseconds; answers are refused after it
    deadline              BIGINT NOT NULL,
    compared_round_id     TEXT REFERENCES rounds (id),
    created_at            BIGINT NOT NULL,
    FOREIGN KEY (questionnaire_id, questionnaire_version)
        REFERENCES questionnaire_versions (identifier, version)
);

-- The regions taking part in a round, as they were when it was set up.
CREATE TABLE round_regions (
    round_id      TEXT NOT NULL REFERENCES rounds (id),
    region_code   TEXT NOT NULL REFERENCES regions (code),
    region_name   TEXT NOT NULL,
    lead_gemeente TEXT NOT NULL,
    -- an extended deadline for this region only
    deadline      BIGINT,
    PRIMARY KEY (round_id, region_code)
);

CREATE TABLE responses (
    id           TEXT PRIMARY KEY,
    round_id     TEXT NOT NULL REFERENCES rounds (id),
    region_code  TEXT NOT NULL REFERENCES regions (code),
    status       TEXT NOT NULL CHECK (status IN ('open', 'submitted', 'returned', 'approved')),
    created_at   BIGINT NOT NULL,
    -- last change to an answer, and by whom
    updated_at   BIGINT,
    updated_by   TEXT REFERENCES users (id),
    submitted_at BIGINT,
    submitted_by TEXT REFERENCES users (id),
    UNIQUE (round_id, region_code)
);

-- The current answer to each item. `raw` is what was typed or chosen (JSON), kept even when it
-- does not parse; `value` is the parsed answer (JSON), NULL when the raw input is invalid.
CREATE TABLE answers (
    response_id TEXT NOT NULL REFERENCES responses (id),
    item_key    TEXT NOT NULL,
    raw         TEXT NOT NULL,
    value       TEXT,
    valid       BIGINT NOT NULL CHECK (valid IN (0, 1)),
    -- 1 for the first save, +1 for every change: a save names the version it was based on
    version     BIGINT NOT NULL,
    -- 1 while an answer taken over from the previous round awaits confirmation
    prefilled   BIGINT NOT NULL DEFAULT 0 CHECK (prefilled IN (0, 1)),
    updated_by  TEXT NOT NULL REFERENCES users (id),
    updated_at  BIGINT NOT NULL,
    PRIMARY KEY (response_id, item_key)
);

-- Every change to an answer. Only ever inserted into.
CREATE TABLE answer_history (
    id          TEXT PRIMARY KEY,
    response_id TEXT NOT NULL REFERENCES responses (id),
    item_key    TEXT NOT NULL,
    -- NULL for the first answer
    old_raw     TEXT,
    new_raw     TEXT NOT NULL,
    version     BIGINT NOT NULL,
    changed_by  TEXT NOT NULL REFERENCES users (id),
    changed_at  BIGINT NOT NULL
);
CREATE INDEX answer_history_item ON answer_history (response_id, item_key, version);

-- A save refused because a colleague changed the answer first: what this user typed is kept
-- here until they keep it or take the colleague's answer.
CREATE TABLE answer_conflicts (
    response_id  TEXT NOT NULL REFERENCES responses (id),
    item_key     TEXT NOT NULL,
    user_id      TEXT NOT NULL REFERENCES users (id),
    raw          TEXT NOT NULL,
    base_version BIGINT NOT NULL,
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (response_id, item_key, user_id)
);
