-- Mail that leaves through an outbox, and accounts people manage themselves: invitation and
-- password-reset links, last login, and what each session was started from.

-- Every notice is written here in the same transaction as the event that causes it; a
-- background task delivers it over SMTP. Without an SMTP server the mails stay here and
-- admins read them on the outbox page.
CREATE TABLE outbox (
    id                TEXT PRIMARY KEY,
    created_at        BIGINT NOT NULL,
    -- the account it is for, when there is one (a mail to a typed address has none)
    recipient_user_id TEXT REFERENCES users (id),
    recipient         TEXT NOT NULL,
    -- what caused it: 'invitation', 'password_reset', 'response_returned', ...
    kind              TEXT NOT NULL,
    subject           TEXT NOT NULL,
    body_text         TEXT NOT NULL,
    body_html         TEXT NOT NULL,
    status            TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
    attempts          BIGINT NOT NULL DEFAULT 0,
    -- UTC milliseconds: not tried again before this time
    next_attempt_at   BIGINT NOT NULL,
    -- an instance that takes a mail to send it holds it until this time; if it dies
    -- half-way, another instance takes it over afterwards
    claimed_until     BIGINT NOT NULL DEFAULT 0,
    last_error        TEXT,
    sent_at           BIGINT
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_time ON outbox (created_at);

-- Single-use links: an invitation to choose a first password (7 days), a password reset
-- (1 hour). Only the SHA-256 of the random token is kept.
CREATE TABLE account_links (
    token_hash TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id),
    purpose    TEXT NOT NULL CHECK (purpose IN ('invitation', 'password_reset')),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT
);
CREATE INDEX account_links_user ON account_links (user_id, purpose);

-- An invited account has no password until its owner chooses one: password_hash is '' then
-- (no hash verifies against it).
ALTER TABLE users ADD COLUMN last_login_at BIGINT;

-- What a session was started from, for the list of active sessions on "Mijn account".
ALTER TABLE sessions ADD COLUMN user_agent TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN client_address TEXT NOT NULL DEFAULT '';
