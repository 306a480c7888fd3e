-- Version 19 (see the SQLite migration of the same number): 帮办代办.

ALTER TABLE request
    ADD COLUMN agent_name TEXT CHECK (agent_name IS NULL OR length(agent_name) BETWEEN 1 AND 100),
    ADD COLUMN agent_id TEXT COLLATE "C" CHECK (agent_id IS NULL OR length(agent_id) = 18),
    ADD COLUMN agent_relation TEXT
        CHECK (agent_relation IS NULL OR length(agent_relation) BETWEEN 1 AND 20);
