-- Version 1: towns, their units, quotas and staff with a dated status history.
-- Dates are ISO 8601 text (YYYY-MM-DD) in China Standard Time.

CREATE TABLE town (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 100)
);

-- A body inside the township. managed_by names who manages its people and money:
-- the township itself, or a city department (the 条块 split).
CREATE TABLE unit (
    id         INTEGER PRIMARY KEY,
    town_id    INTEGER NOT NULL REFERENCES town (id),
    name       TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    kind       TEXT NOT NULL CHECK (kind IN ('行政', '事业', '混合')),
    managed_by TEXT NOT NULL CHECK (length(managed_by) BETWEEN 1 AND 100),
    sort_order INTEGER NOT NULL DEFAULT 0,
    UNIQUE (town_id, name)
);

-- Authorised headcount of a unit, by kind, for a span of dates (effective_to NULL: open).
CREATE TABLE quota (
    id             INTEGER PRIMARY KEY,
    unit_id        INTEGER NOT NULL REFERENCES unit (id),
    kind           TEXT NOT NULL CHECK (kind IN ('行政', '事业')),
    posts          INTEGER NOT NULL CHECK (posts >= 0),
    effective_from TEXT NOT NULL CHECK (date(effective_from) = effective_from),
    effective_to   TEXT CHECK (effective_to IS NULL OR date(effective_to) = effective_to),
    UNIQUE (unit_id, kind, effective_from)
);

-- A person. unit_id is the home unit, where the person holds a post of this town's quota;
-- NULL for staff seconded in, whose quota is elsewhere (home_body names where).
CREATE TABLE staff (
    id        INTEGER PRIMARY KEY,
    no        TEXT NOT NULL UNIQUE CHECK (length(no) BETWEEN 1 AND 32),
    name      TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 50),
    gender    TEXT NOT NULL CHECK (gender IN ('男', '女')),
    town_id   INTEGER NOT NULL REFERENCES town (id),
    unit_id   INTEGER REFERENCES unit (id),
    home_body TEXT
);

-- What a person is doing over a span of dates. A person is present in the town only on dates
-- covered by one of these periods. seconded_in periods name the host unit.
CREATE TABLE staff_status (
    id         INTEGER PRIMARY KEY,
    staff_id   INTEGER NOT NULL REFERENCES staff (id),
    status     TEXT NOT NULL
               CHECK (status IN ('on_duty', 'seconded_out', 'seconded_in', 'long_leave', 'retired')),
    unit_id    INTEGER REFERENCES unit (id),
    other_body TEXT,
    start_date TEXT NOT NULL CHECK (date(start_date) = start_date),
    end_date   TEXT CHECK (end_date IS NULL OR (date(end_date) = end_date AND end_date >= start_date)),
    CHECK ((status = 'seconded_in') = (unit_id IS NOT NULL)),
    UNIQUE (staff_id, start_date)
);

CREATE INDEX unit_town ON unit (town_id);
CREATE INDEX staff_town ON staff (town_id);
CREATE INDEX staff_status_staff ON staff_status (staff_id);
