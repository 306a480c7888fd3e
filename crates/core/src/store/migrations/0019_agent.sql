-- Version 19: 帮办代办 (issue 16 point 11): who acts for the applicant, recorded at intake: the
-- name, the ID number (checked like the applicant's, masked wherever shown) and the relation.
-- All three or none.

ALTER TABLE request ADD COLUMN agent_name TEXT
    CHECK (agent_name IS NULL OR length(agent_name) BETWEEN 1 AND 100);
ALTER TABLE request ADD COLUMN agent_id TEXT
    CHECK (agent_id IS NULL OR length(agent_id) = 18);
ALTER TABLE request ADD COLUMN agent_relation TEXT
    CHECK (agent_relation IS NULL OR length(agent_relation) BETWEEN 1 AND 20);
