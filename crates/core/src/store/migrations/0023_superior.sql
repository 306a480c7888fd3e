-- Version 23: each town names its superior government (上级人民政府), which hears appeals against
-- the town's own acts (行政复议法 2023 第二十四条); empty until named.

ALTER TABLE town ADD COLUMN superior TEXT NOT NULL DEFAULT '' CHECK (length(superior) <= 100);
