-- Review: who sent a response back and why, who approved it, comment threads on items, and
-- indexes for browsing the audit log.

ALTER TABLE responses ADD COLUMN returned_at BIGINT;
ALTER TABLE responses ADD COLUMN returned_by TEXT REFERENCES users (id);
ALTER TABLE responses ADD COLUMN return_reason TEXT;
ALTER TABLE responses ADD COLUMN approved_at BIGINT;
ALTER TABLE responses ADD COLUMN approved_by TEXT REFERENCES users (id);

-- A conversation about one item of one response, between reviewers and coordinators.
CREATE TABLE comment_threads (
    id          TEXT PRIMARY KEY,
    response_id TEXT NOT NULL REFERENCES responses (id),
    item_key    TEXT NOT NULL,
    resolved    BIGINT NOT NULL DEFAULT 0 CHECK (resolved IN (0, 1)),
    resolved_by TEXT REFERENCES users (id),
    resolved_at BIGINT,
    created_by  TEXT NOT NULL REFERENCES users (id),
    created_at  BIGINT NOT NULL
);
CREATE INDEX comment_threads_response ON comment_threads (response_id, item_key);

-- The messages of a thread, oldest first. Never changed once written.
CREATE TABLE comments (
    id         TEXT PRIMARY KEY,
    thread_id  TEXT NOT NULL REFERENCES comment_threads (id),
    author_id  TEXT NOT NULL REFERENCES users (id),
    body       TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX comments_thread ON comments (thread_id, created_at);

CREATE INDEX audit_events_kind ON audit_events (kind, occurred_at);
CREATE INDEX audit_events_region ON audit_events (region_code, occurred_at);
CREATE INDEX audit_events_actor ON audit_events (actor_user_id, occurred_at);
CREATE INDEX audit_events_subject ON audit_events (subject);
CREATE INDEX answer_history_time ON answer_history (changed_at);
