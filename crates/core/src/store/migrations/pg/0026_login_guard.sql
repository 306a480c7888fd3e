-- Version 26 (see the SQLite migration of the same number): the first administrator's setup
-- code, and failed logins under names that do not exist.

CREATE TABLE setup_code (
    one       BIGINT PRIMARY KEY CHECK (one = 1),
    code_hash TEXT COLLATE "C" NOT NULL CHECK (length(code_hash) = 64),
    made_at   TEXT COLLATE "C" NOT NULL
);

CREATE TABLE login_failure (
    name_key     TEXT COLLATE "C" PRIMARY KEY CHECK (length(name_key) = 64),
    failed_count BIGINT NOT NULL CHECK (failed_count >= 0),
    locked_until TEXT COLLATE "C"
);
