-- Version 31 (issue 19): the hall's devices and the follow-up period.
--
-- A kiosk (取号机), a waiting-room screen (等候区大屏) or a rating pad (评价器) is a browser on
-- the hall LAN that an administrator opened a device session for. Only a keyed hash of its
-- token is kept (SHA-256 of the token: the token itself is 32 random bytes, so no dictionary
-- reaches it); closing a device ends its session at once. A pad belongs to one counter's clerk.
--
-- A hall may set its own follow-up period for 差评 (local rules range from 5 to 15 working
-- days); without a row the core's default applies.

CREATE TABLE device (
    id         INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64),
    town_id    INTEGER NOT NULL REFERENCES town (id),
    kind       TEXT NOT NULL CHECK (kind IN ('kiosk', 'screen', 'pad')),
    staff_no   TEXT CHECK ((kind = 'pad') = (staff_no IS NOT NULL)),
    label      TEXT NOT NULL CHECK (length(label) BETWEEN 1 AND 40),
    opened_by  TEXT NOT NULL,
    opened_at  TEXT NOT NULL,
    closed_at  TEXT
);

CREATE TABLE followup_period (
    town_id INTEGER PRIMARY KEY REFERENCES town (id),
    days    INTEGER NOT NULL CHECK (days BETWEEN 1 AND 30),
    set_at  TEXT NOT NULL
);
