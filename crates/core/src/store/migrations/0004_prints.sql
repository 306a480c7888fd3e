-- Every form issued: printed on paper, or written to a PDF file from the CLI. A reprint is another
-- row with the same form number and a higher copy number.
CREATE TABLE form_print (
    id             INTEGER PRIMARY KEY,
    form_no        TEXT NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('receipt', 'notice', 'refusal', 'handover', 'staffing')),
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
CREATE INDEX form_print_request ON form_print (request_number);
