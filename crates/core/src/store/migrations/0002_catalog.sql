-- Version 2: the service-item catalogue, each town's authority mode per item, entrustment
-- letters, staff roles and credentials.

-- One kind of request the hall handles. Time limits are working days; NULL days with
-- on_the_spot = 1 means 当场办结.
CREATE TABLE item (
    id                   INTEGER PRIMARY KEY,
    code                 TEXT NOT NULL UNIQUE CHECK (length(code) BETWEEN 1 AND 64),
    name                 TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    initials             TEXT NOT NULL,
    item_type            TEXT NOT NULL,
    department           TEXT NOT NULL CHECK (length(department) BETWEEN 1 AND 100),
    legal_basis          TEXT NOT NULL,
    statutory_days       INTEGER CHECK (statutory_days IS NULL OR statutory_days > 0),
    promised_days        INTEGER CHECK (promised_days IS NULL OR promised_days > 0),
    fee                  TEXT NOT NULL,
    post                 TEXT NOT NULL
);

-- What a town may do with an item.
CREATE TABLE town_item (
    town_id INTEGER NOT NULL REFERENCES town (id),
    item_id INTEGER NOT NULL REFERENCES item (id),
    mode    TEXT NOT NULL CHECK (mode IN ('delegated', 'entrusted', 'forward', 'city_only')),
    PRIMARY KEY (town_id, item_id)
);

CREATE TABLE material (
    id        INTEGER PRIMARY KEY,
    item_id   INTEGER NOT NULL REFERENCES item (id),
    seq       INTEGER NOT NULL CHECK (seq > 0),
    name      TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    form      TEXT NOT NULL CHECK (form IN ('原件', '复印件', '原件和复印件')),
    copies    INTEGER NOT NULL CHECK (copies > 0),
    mandatory INTEGER NOT NULL CHECK (mandatory IN (0, 1)),
    UNIQUE (item_id, seq),
    UNIQUE (item_id, name)
);

-- An entrustment letter from a city department to a town.
CREATE TABLE letter (
    id         INTEGER PRIMARY KEY,
    town_id    INTEGER NOT NULL REFERENCES town (id),
    number     TEXT NOT NULL CHECK (length(number) BETWEEN 1 AND 100),
    issuer     TEXT NOT NULL CHECK (length(issuer) BETWEEN 1 AND 100),
    valid_from TEXT NOT NULL CHECK (date(valid_from) = valid_from),
    valid_to   TEXT NOT NULL CHECK (date(valid_to) = valid_to AND valid_to >= valid_from),
    UNIQUE (town_id, number)
);

CREATE TABLE letter_item (
    letter_id INTEGER NOT NULL REFERENCES letter (id),
    item_id   INTEGER NOT NULL REFERENCES item (id),
    PRIMARY KEY (letter_id, item_id)
);

CREATE TABLE staff_role (
    staff_id INTEGER NOT NULL REFERENCES staff (id),
    role     TEXT NOT NULL CHECK (role IN ('窗口人员', '审批人员', '镇领导', '管理员')),
    PRIMARY KEY (staff_id, role)
);

-- A credential such as a 行政执法证; scope names the department whose enforcement it covers.
CREATE TABLE credential (
    id         INTEGER PRIMARY KEY,
    staff_id   INTEGER NOT NULL REFERENCES staff (id),
    kind       TEXT NOT NULL CHECK (length(kind) BETWEEN 1 AND 50),
    number     TEXT NOT NULL UNIQUE CHECK (length(number) BETWEEN 1 AND 64),
    scope      TEXT NOT NULL,
    valid_from TEXT NOT NULL CHECK (date(valid_from) = valid_from),
    valid_to   TEXT NOT NULL CHECK (date(valid_to) = valid_to AND valid_to >= valid_from)
);

CREATE INDEX material_item ON material (item_id);
CREATE INDEX letter_item_item ON letter_item (item_id);
CREATE INDEX credential_staff ON credential (staff_id);
