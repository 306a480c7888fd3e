-- Version 21 (see the SQLite migration of the same number): the department's acceptance date.

ALTER TABLE request
    ADD COLUMN department_accepted_on TEXT COLLATE "C" CHECK (is_iso_date(department_accepted_on));
