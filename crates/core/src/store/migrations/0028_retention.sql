-- Version 28 (issue 17, point 2; 个人信息保护法第十九条、第四十七条): a retention period the
-- administrator sets, in whole years after a request ends (办结, 不予受理 or 撤回). Once it has
-- passed, the applicant's full ID number, the phone number and the agent's ID number are replaced
-- by their masked forms; `id_key` keeps a keyed hash of the full ID (argon2id with the hall's
-- key), so that a search by the full number still finds the person, and `retained_on` says when.
-- Until a period is set (no row here) nothing is removed.

CREATE TABLE retention (
    one    INTEGER PRIMARY KEY CHECK (one = 1),
    years  INTEGER NOT NULL CHECK (years BETWEEN 1 AND 30),
    set_at TEXT NOT NULL CHECK (datetime(set_at) = set_at)
);

ALTER TABLE request ADD COLUMN id_key TEXT
    CHECK (id_key IS NULL OR length(id_key) = 64);
ALTER TABLE request ADD COLUMN retained_on TEXT
    CHECK (retained_on IS NULL OR date(retained_on) = retained_on);

-- Only retained requests have a key: the intake writes no entry here.
CREATE INDEX request_town_id_key ON request (town_id, id_key) WHERE id_key IS NOT NULL;
