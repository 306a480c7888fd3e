-- Version 32: the performance report over a county's year (issue 20). The day a forwarded
-- request's department answered (its first allowed 部门办理结果 step) is kept on the request, and
-- the index by town and day taken in also holds every column the report reads, so that a
-- county's year is read from the index alone. It replaces the index on (town_id, created_on),
-- which it serves as well: an intake still writes one entry to it.

ALTER TABLE request ADD COLUMN answered_on TEXT
    CHECK (answered_on IS NULL OR date(answered_on) = answered_on);

UPDATE request SET answered_on = (
    SELECT min(substr(e.at, 1, 10)) FROM request_event e
    WHERE e.request_id = request.id AND e.step = '部门办理结果' AND e.allowed
) WHERE forwarded_to IS NOT NULL;

DROP INDEX request_town_created;
CREATE INDEX request_report ON request (town_id, created_on, item_id, clerk_id, state,
    accepted_on, closed_on, mode, forwarded_to, forwarded_on, due, department_due, answered_on);
