-- Login back-off as one counter row per key (an account, a client address), so that checking
-- and counting an attempt is one locked step: concurrent attempts can't all pass a check made
-- before any of them was counted. Replaces the table of single failures.
DROP TABLE login_failures;

CREATE TABLE login_throttles (
    -- 'account:' + SHA-256 of the normalized e-mail address (typed addresses of unknown
    -- accounts are not kept), 'address:' + client address, 'unknown:' + client address
    throttle_key    TEXT PRIMARY KEY,
    -- attempts that count against the key in the current window
    failures        BIGINT NOT NULL,
    -- UTC milliseconds; a key without failures for the window's length starts again at 0
    last_failure_at BIGINT NOT NULL
);
CREATE INDEX login_throttles_age ON login_throttles (last_failure_at);
