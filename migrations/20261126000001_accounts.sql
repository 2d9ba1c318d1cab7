-- Regions, users, sessions, login throttling and the audit log.
-- Portable across SQLite and PostgreSQL: ids are made by the application (UUID text),
-- times are UTC milliseconds since 1970 (BIGINT), flags are BIGINT 0/1.

CREATE TABLE regions (
    code          TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    lead_gemeente TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);

CREATE TABLE users (
    id               TEXT PRIMARY KEY,
    email            TEXT NOT NULL,
    -- lower-cased and trimmed: e-mail addresses are unique regardless of case
    email_normalized TEXT NOT NULL UNIQUE,
    display_name     TEXT NOT NULL,
    role             TEXT NOT NULL CHECK (role IN ('admin', 'reviewer', 'coordinator')),
    region_code      TEXT REFERENCES regions (code),
    -- argon2id PHC string
    password_hash    TEXT NOT NULL,
    active           BIGINT NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL,
    -- coordinators belong to exactly one region; nobody else belongs to one
    CHECK ((role = 'coordinator' AND region_code IS NOT NULL)
        OR (role <> 'coordinator' AND region_code IS NULL))
);
CREATE INDEX users_region ON users (region_code);

CREATE TABLE sessions (
    -- SHA-256 of the cookie value: a copy of the database does not hold usable session ids
    id_hash      TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id),
    created_at   BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Failed logins, counted per account and per client address for back-off.
CREATE TABLE login_failures (
    id           TEXT PRIMARY KEY,
    throttle_key TEXT NOT NULL,
    failed_at    BIGINT NOT NULL
);
CREATE INDEX login_failures_key ON login_failures (throttle_key, failed_at);

-- Append-only record of who did what.
CREATE TABLE audit_events (
    id            TEXT PRIMARY KEY,
    occurred_at   BIGINT NOT NULL,
    actor_user_id TEXT,
    -- e-mail address of the actor, or 'cli' for the command line
    actor_label   TEXT NOT NULL,
    kind          TEXT NOT NULL,
    region_code   TEXT,
    subject       TEXT,
    -- JSON object with the details of the event
    details       TEXT NOT NULL
);
CREATE INDEX audit_events_time ON audit_events (occurred_at);
