-- Version 3: service requests with their materials and timeline, request numbering, the audit
-- log, and imported holiday arrangements.

CREATE TABLE request (
    id                INTEGER PRIMARY KEY,
    town_id           INTEGER NOT NULL REFERENCES town (id),
    number            TEXT NOT NULL,
    item_id           INTEGER NOT NULL REFERENCES item (id),
    state             TEXT NOT NULL CHECK (state IN ('consulted', 'incomplete', 'accepted',
                          'refused', 'forwarded', 'decided', 'completed', 'withdrawn')),
    applicant_name    TEXT CHECK (applicant_name IS NULL OR length(applicant_name) BETWEEN 1 AND 100),
    name_initials     TEXT,
    -- 'person' (resident ID number) or 'org' (unified social credit code); NULL for a consultation.
    applicant_kind    TEXT CHECK (applicant_kind IN ('person', 'org')),
    applicant_id      TEXT,
    id_last6          TEXT,
    phone             TEXT,
    remark            TEXT CHECK (remark IS NULL OR length(remark) <= 500),
    clerk_id          INTEGER NOT NULL REFERENCES staff (id),
    created_at        TEXT NOT NULL,
    created_on        TEXT NOT NULL CHECK (date(created_on) = created_on),
    accepted_on       TEXT CHECK (accepted_on IS NULL OR date(accepted_on) = accepted_on),
    due               TEXT CHECK (due IS NULL OR date(due) = due),
    calendar_complete INTEGER NOT NULL DEFAULT 1,
    forwarded_to      TEXT,
    forwarded_on      TEXT,
    department_due    TEXT,
    result            TEXT CHECK (result IS NULL OR result IN ('approved', 'refused')),
    reason            TEXT,
    alternative       TEXT,
    closed_on         TEXT,
    picked_up_on      TEXT
);

-- Every search is within a town; equal values come out in rowid order, newest last, so that
-- "newest first, at most N" reads N index entries. Each index costs every intake a page
-- write, so there are only these: a full ID is found through its last six characters.
-- Numbers carry the town's initials, so unique overall means unique per town.
CREATE UNIQUE INDEX request_number ON request (number);
CREATE INDEX request_town_created ON request (town_id, created_on);
CREATE INDEX request_town_state ON request (town_id, state);
CREATE INDEX request_town_id_last6 ON request (town_id, id_last6);
CREATE INDEX request_town_name ON request (town_id, applicant_name);
CREATE INDEX request_town_initials ON request (town_id, name_initials);

-- Which of the item's materials the resident has handed in.
CREATE TABLE request_material (
    request_id INTEGER NOT NULL REFERENCES request (id),
    seq        INTEGER NOT NULL,
    received   INTEGER NOT NULL CHECK (received IN (0, 1)),
    PRIMARY KEY (request_id, seq)
) WITHOUT ROWID;

-- The request's timeline: every step with the authority check's answer.
CREATE TABLE request_event (
    id         INTEGER PRIMARY KEY,
    request_id INTEGER NOT NULL REFERENCES request (id),
    at         TEXT NOT NULL,
    step       TEXT NOT NULL,
    staff_id   INTEGER NOT NULL REFERENCES staff (id),
    allowed    INTEGER NOT NULL,
    basis      TEXT NOT NULL,
    note       TEXT
);
CREATE INDEX request_event_request ON request_event (request_id);

-- The last sequence number given out per town and day; numbers are never reused.
CREATE TABLE request_counter (
    town_id INTEGER NOT NULL REFERENCES town (id),
    day     TEXT NOT NULL,
    last    INTEGER NOT NULL,
    PRIMARY KEY (town_id, day)
) WITHOUT ROWID;

-- Who did what, when, on what basis. Never holds a full ID number.
CREATE TABLE audit_log (
    id             INTEGER PRIMARY KEY,
    at             TEXT NOT NULL,
    os_user        TEXT NOT NULL,
    staff_no       TEXT,
    action         TEXT NOT NULL,
    request_number TEXT,
    item_code      TEXT,
    allowed        INTEGER NOT NULL,
    basis          TEXT NOT NULL,
    detail         TEXT
);
CREATE INDEX audit_log_request ON audit_log (request_number);

-- Holiday arrangements imported after release (the built-in years ship with the program).
CREATE TABLE calendar_year (
    year   INTEGER PRIMARY KEY,
    source TEXT NOT NULL
);
CREATE TABLE calendar_day (
    date TEXT PRIMARY KEY CHECK (date(date) = date),
    kind TEXT NOT NULL CHECK (kind IN ('休', '班')),
    name TEXT NOT NULL
) WITHOUT ROWID;
