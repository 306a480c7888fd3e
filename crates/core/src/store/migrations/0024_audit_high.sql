-- Version 24 (issue 17): an audit record's id is never issued twice, also after the newest
-- records were cut from the file. The highest id ever issued is kept apart and only rises; each
-- append takes the next one, so a cut leaves a gap in the ids that `audit verify` finds once a
-- record follows it. Like the log's own, these triggers are checked at every open.

CREATE TABLE audit_high (
    one     INTEGER PRIMARY KEY CHECK (one = 1),
    last_id INTEGER NOT NULL CHECK (last_id >= 0)
);

INSERT INTO audit_high (one, last_id) SELECT 1, coalesce(max(id), 0) FROM audit_log;

CREATE TRIGGER audit_high_only_rises BEFORE UPDATE ON audit_high
WHEN NEW.one IS NOT OLD.one OR NEW.last_id < OLD.last_id
BEGIN
    SELECT RAISE(ABORT, 'audit_high only rises');
END;

-- The mark of an empty log (0) may be replaced: `migrate-to` fills a new server's from the file.
CREATE TRIGGER audit_high_no_delete BEFORE DELETE ON audit_high
WHEN OLD.last_id > 0
BEGIN
    SELECT RAISE(ABORT, 'audit_high only rises');
END;
