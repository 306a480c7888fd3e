-- Version 5: birth dates (for retirement), the enforcement duty of a unit, hall posts and the
-- weekly rota of who sits at which counter.

ALTER TABLE staff ADD COLUMN birth_date TEXT CHECK (birth_date IS NULL OR date(birth_date) = birth_date);

-- The department whose enforcement the unit carries out (its officers' cards must name it);
-- NULL for units without an enforcement duty.
ALTER TABLE unit ADD COLUMN enforcement_scope TEXT;

-- A counter post of the town's hall, such as 民政窗口.
CREATE TABLE hall_post (
    id         INTEGER PRIMARY KEY,
    town_id    INTEGER NOT NULL REFERENCES town (id),
    name       TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 50),
    sort_order INTEGER NOT NULL DEFAULT 0,
    UNIQUE (town_id, name)
);

-- Who sits at a post on a weekday (1 Monday … 7 Sunday), from a date until a date (NULL: open).
-- Whoever is on the rota in a week is hall staff that week, and not left for field work.
CREATE TABLE rota (
    id         INTEGER PRIMARY KEY,
    post_id    INTEGER NOT NULL REFERENCES hall_post (id),
    staff_id   INTEGER NOT NULL REFERENCES staff (id),
    weekday    INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    start_date TEXT NOT NULL CHECK (date(start_date) = start_date),
    end_date   TEXT CHECK (end_date IS NULL OR (date(end_date) = end_date AND end_date >= start_date)),
    UNIQUE (post_id, staff_id, weekday, start_date)
);
CREATE INDEX rota_staff ON rota (staff_id);
