-- Version 30 (issue 19): the hall's front. A resident takes a ticket for a hall post (A012: the
-- post's letter and its number of the day), waits, is called to a counter, served and finished;
-- the requests taken in for them are linked to the ticket. Ratings (好差评) are one per request
-- or per visit; a 不满意 or 非常不满意 opens a follow-up for the leader, due in working days.
-- Tickets hold no personal data.

CREATE TABLE ticket (
    id          INTEGER PRIMARY KEY,
    town_id     INTEGER NOT NULL REFERENCES town (id),
    day         TEXT NOT NULL CHECK (date(day) = day),
    post_id     INTEGER NOT NULL REFERENCES hall_post (id),
    number      TEXT NOT NULL CHECK (length(number) BETWEEN 2 AND 8),
    priority    TEXT CHECK (priority IS NULL OR length(priority) BETWEEN 1 AND 20),
    taken_at    TEXT NOT NULL,
    rank        INTEGER NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('waiting', 'called', 'finished', 'skipped')),
    called_at   TEXT,
    calls       INTEGER NOT NULL DEFAULT 0,
    staff_no    TEXT,
    counter     INTEGER,
    finished_at TEXT,
    skipped_at  TEXT,
    requests    TEXT NOT NULL DEFAULT '',
    UNIQUE (town_id, day, number)
);
CREATE INDEX ticket_day ON ticket (town_id, day, state);

CREATE TABLE rating (
    id             INTEGER PRIMARY KEY,
    town_id        INTEGER NOT NULL REFERENCES town (id),
    request_number TEXT UNIQUE,
    ticket_id      INTEGER UNIQUE REFERENCES ticket (id),
    staff_no       TEXT,
    item           TEXT,
    grade          INTEGER NOT NULL CHECK (grade BETWEEN 1 AND 5),
    reasons        TEXT NOT NULL DEFAULT '',
    comment        TEXT CHECK (comment IS NULL OR length(comment) <= 500),
    at             TEXT NOT NULL,
    CHECK (request_number IS NOT NULL OR ticket_id IS NOT NULL)
);
CREATE INDEX rating_town ON rating (town_id, at);

CREATE TABLE followup (
    id           INTEGER PRIMARY KEY,
    rating_id    INTEGER NOT NULL UNIQUE REFERENCES rating (id),
    due          TEXT NOT NULL CHECK (date(due) = due),
    contacted_at TEXT,
    verified_at  TEXT,
    fixed_at     TEXT,
    closed_at    TEXT,
    closed_by    TEXT,
    result       TEXT CHECK (result IS NULL OR length(result) BETWEEN 1 AND 500)
);
