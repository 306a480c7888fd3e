-- Version 6: the audit log becomes append-only and chained. Each record carries the hash of the
-- one before it and its own hash over its fields and that link, so an edited or missing record
-- breaks the chain (`bianmin audit verify`). Existing records are chained by the program right
-- after this migration, in id order.

ALTER TABLE audit_log ADD COLUMN prev_hash TEXT;
ALTER TABLE audit_log ADD COLUMN hash TEXT;

-- Records are never changed or deleted (they are kept far longer than the 184 days required).
-- Chaining the records that predate this version is the one update allowed: it fills a missing
-- hash and changes nothing else.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
WHEN OLD.hash IS NOT NULL
  OR NEW.id IS NOT OLD.id OR NEW.at IS NOT OLD.at OR NEW.os_user IS NOT OLD.os_user
  OR NEW.staff_no IS NOT OLD.staff_no OR NEW.action IS NOT OLD.action
  OR NEW.request_number IS NOT OLD.request_number OR NEW.item_code IS NOT OLD.item_code
  OR NEW.allowed IS NOT OLD.allowed OR NEW.basis IS NOT OLD.basis OR NEW.detail IS NOT OLD.detail
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
