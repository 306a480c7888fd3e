-- Version 32 (see the SQLite migration of the same number): the department's answer kept on
-- the request, and the index by town and day taken in holding every column the report reads.

ALTER TABLE request
    ADD COLUMN answered_on TEXT COLLATE "C" CHECK (is_iso_date(answered_on));

UPDATE request SET answered_on = (
    SELECT min(substr(e.at, 1, 10)) FROM request_event e
    WHERE e.request_id = request.id AND e.step = '部门办理结果' AND e.allowed
) WHERE forwarded_to IS NOT NULL;

DROP INDEX request_town_created;
CREATE INDEX request_report ON request (town_id, created_on, id)
    INCLUDE (item_id, clerk_id, state, accepted_on, closed_on, mode, forwarded_to, forwarded_on,
             due, department_due, answered_on);
