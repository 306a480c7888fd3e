-- Version 14: the form kinds of issue 16 (DESIGN.md, "The hall"): collection (收件凭证), guide
-- (办事指引), decision (决定书), extension, suspension and pledge (告知承诺书) beside the first five.
-- SQLite cannot change a CHECK constraint in place, so the table is made again with the same
-- columns, rows and index.

CREATE TABLE form_print_v14 (
    id             INTEGER PRIMARY KEY,
    form_no        TEXT NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('receipt', 'collection', 'notice', 'refusal',
                                                 'guide', 'decision', 'extension', 'suspension',
                                                 'pledge', 'handover', 'staffing')),
    town_id        INTEGER NOT NULL REFERENCES town (id),
    request_number TEXT,
    department     TEXT,
    staff_no       TEXT,
    os_user        TEXT NOT NULL,
    at             TEXT NOT NULL,
    copy           INTEGER NOT NULL CHECK (copy >= 1),
    route          TEXT NOT NULL,
    pages          INTEGER NOT NULL,
    bytes          INTEGER NOT NULL,
    UNIQUE (form_no, copy)
);
INSERT INTO form_print_v14 (id, form_no, kind, town_id, request_number, department, staff_no,
                            os_user, at, copy, route, pages, bytes)
    SELECT id, form_no, kind, town_id, request_number, department, staff_no, os_user, at, copy,
           route, pages, bytes
    FROM form_print;
DROP TABLE form_print;
ALTER TABLE form_print_v14 RENAME TO form_print;
CREATE INDEX form_print_request ON form_print (request_number);
