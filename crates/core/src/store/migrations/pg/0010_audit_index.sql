-- Version 10 (see the SQLite migration of the same number): the audit log's index on request
-- numbers goes; nothing looks a request's audit records up by its number, and every intake and
-- step paid a page write for it.

DROP INDEX audit_log_request;
