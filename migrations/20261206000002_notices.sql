-- Notices that keep a round moving: which optional ones each user switched off, which
-- deadline reminders went out, and the devices each account has logged in from.

-- Optional kinds of notice a user does not want ('round_opened', 'deadline_reminder',
-- 'comment_added', 'response_submitted'); the others always go out.
CREATE TABLE notice_opt_outs (
    user_id TEXT NOT NULL REFERENCES users (id),
    kind    TEXT NOT NULL,
    PRIMARY KEY (user_id, kind)
);

-- One row per deadline reminder queued: the key makes the reminder job send each one once,
-- however many instances run it and however often they restart. A later deadline (an
-- extension) is another key.
CREATE TABLE reminders_sent (
    user_id     TEXT NOT NULL REFERENCES users (id),
    round_id    TEXT NOT NULL REFERENCES rounds (id),
    deadline    BIGINT NOT NULL,
    days_before BIGINT NOT NULL,
    sent_at     BIGINT NOT NULL,
    PRIMARY KEY (user_id, round_id, deadline, days_before)
);

-- Browser and system in words ("Firefox op Windows") of every login: a login from one not
-- seen before is told to the account's owner.
CREATE TABLE known_devices (
    user_id       TEXT NOT NULL REFERENCES users (id),
    device        TEXT NOT NULL,
    first_seen_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, device)
);
