-- Version 24 (see the SQLite migration of the same number): the highest audit id ever issued,
-- which only rises.

CREATE TABLE audit_high (
    one     BIGINT PRIMARY KEY CHECK (one = 1),
    last_id BIGINT NOT NULL CHECK (last_id >= 0)
);

INSERT INTO audit_high (one, last_id) SELECT 1, coalesce(max(id), 0) FROM audit_log;

CREATE FUNCTION audit_high_only_rises() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.one = OLD.one AND NEW.last_id >= OLD.last_id THEN
        RETURN NEW;
    END IF;
    -- The mark of an empty log may be replaced: `migrate-to` fills a new server's from the file.
    IF TG_OP = 'DELETE' AND OLD.last_id = 0 THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit_high only rises';
END
$$;
CREATE TRIGGER audit_high_only_rises BEFORE UPDATE ON audit_high
    FOR EACH ROW EXECUTE FUNCTION audit_high_only_rises();
CREATE TRIGGER audit_high_no_delete BEFORE DELETE ON audit_high
    FOR EACH ROW EXECUTE FUNCTION audit_high_only_rises();
CREATE TRIGGER audit_high_no_truncate BEFORE TRUNCATE ON audit_high
    FOR EACH STATEMENT EXECUTE FUNCTION audit_high_only_rises();
