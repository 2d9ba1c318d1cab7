-- Two-factor sign-in with TOTP (RFC 6238): required for admins and reviewers, optional for
-- coordinators.

-- The secret (base32), set when its owner confirmed it with a code; never shown again.
ALTER TABLE users ADD COLUMN totp_secret TEXT;
ALTER TABLE users ADD COLUMN totp_enabled_at BIGINT;
-- The last time step whose code was accepted: each code works once.
ALTER TABLE users ADD COLUMN totp_last_step BIGINT NOT NULL DEFAULT 0;
-- The demo's public accounts (their passwords are printed for everyone) need no second
-- factor; every other admin and reviewer does.
ALTER TABLE users ADD COLUMN two_factor_exempt BIGINT NOT NULL DEFAULT 0;

-- How far a session is: 'full' (signed in), 'code' (password right, the code is asked),
-- 'setup' (password right, two-factor sign-in must be set up first). Only 'full' sessions
-- reach anything but the login steps.
ALTER TABLE sessions ADD COLUMN stage TEXT NOT NULL DEFAULT 'full';
-- The secret being set up in this session, until it is confirmed with a code.
ALTER TABLE sessions ADD COLUMN pending_secret TEXT;
-- New recovery codes, shown once on the next page and then removed.
ALTER TABLE sessions ADD COLUMN pending_recovery TEXT;

-- Single-use recovery codes for when the phone is lost: only their SHA-256 is kept.
CREATE TABLE recovery_codes (
    user_id   TEXT NOT NULL REFERENCES users (id),
    code_hash TEXT NOT NULL,
    used_at   BIGINT,
    PRIMARY KEY (user_id, code_hash)
);
