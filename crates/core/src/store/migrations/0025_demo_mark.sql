-- Version 25 (issue 17): a database loaded with `init --demo` says so, and only such a database
-- receives the demo's accounts, whose password is published. A demo account must change its
-- password at its first login (the flag is cleared when its password is set).

CREATE TABLE demo_mark (
    one       INTEGER PRIMARY KEY CHECK (one = 1),
    marked_at TEXT NOT NULL CHECK (datetime(marked_at) = marked_at)
);

ALTER TABLE account ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0
    CHECK (must_change_password IN (0, 1));
