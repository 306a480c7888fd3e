-- Version 21: the day the department a request was forwarded to accepted it (issue 16 point 3):
-- accept-and-forward is not acceptance, and the statutory clock starts at the department's.

ALTER TABLE request ADD COLUMN department_accepted_on TEXT
    CHECK (department_accepted_on IS NULL OR date(department_accepted_on) = department_accepted_on);
