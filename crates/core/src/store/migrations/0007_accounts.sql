-- Version 7: local accounts for the app's login. There is no default account: the first one,
-- an administrator, is made at first start (or with `bianmin account add`).
-- Times are China Standard Time, written YYYY-MM-DD HH:MM:SS.

CREATE TABLE account (
    id            INTEGER PRIMARY KEY,
    -- Compared without regard to case, so that Guanli and guanli cannot both exist.
    username      TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(username) BETWEEN 2 AND 32),
    display_name  TEXT NOT NULL CHECK (length(display_name) BETWEEN 1 AND 50),
    -- The staff member this account acts as at the counter, if any.
    staff_id      INTEGER REFERENCES staff (id),
    -- Role labels separated by commas, e.g. 窗口人员,镇领导.
    roles         TEXT NOT NULL CHECK (length(roles) > 0),
    -- An argon2id PHC string ($argon2id$v=19$m=...,t=...,p=...$salt$hash); never the password.
    password_hash TEXT NOT NULL CHECK (password_hash LIKE '$argon2%'),
    -- Consecutive failed logins since the last success or lock.
    failed_count  INTEGER NOT NULL DEFAULT 0 CHECK (failed_count >= 0),
    locked_until  TEXT CHECK (locked_until IS NULL OR datetime(locked_until) = locked_until),
    created_at    TEXT NOT NULL CHECK (datetime(created_at) = created_at),
    disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1))
);
CREATE INDEX account_staff ON account (staff_id);
