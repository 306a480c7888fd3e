-- Version 10: the audit log's index on request numbers goes. No screen or command looks up a
-- request's audit records by its number, and every intake and step paid a page write for it
-- (issue 21: fewer pages per intake where an index earns nothing). The log is walked in id
-- order, which its primary key serves.

DROP INDEX audit_log_request;
