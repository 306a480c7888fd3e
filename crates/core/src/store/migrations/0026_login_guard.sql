-- Version 26 (issue 17): the first administrator of a new database is made with a one-time
-- setup code that `bianmin init` prints (only its SHA-256 is kept), not by whoever opens the app
-- first. Failed logins under a name that does not exist count and lock like a real account's;
-- they are kept under a keyed fingerprint of the name (HMAC with the hall's key), never the name,
-- which may be a password typed into the wrong field.

CREATE TABLE setup_code (
    one       INTEGER PRIMARY KEY CHECK (one = 1),
    code_hash TEXT NOT NULL CHECK (length(code_hash) = 64),
    made_at   TEXT NOT NULL CHECK (datetime(made_at) = made_at)
);

CREATE TABLE login_failure (
    name_key     TEXT PRIMARY KEY CHECK (length(name_key) = 64),
    failed_count INTEGER NOT NULL CHECK (failed_count >= 0),
    locked_until TEXT CHECK (locked_until IS NULL OR datetime(locked_until) = locked_until)
);
