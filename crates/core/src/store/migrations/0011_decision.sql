-- Version 11: what an approver writes with a decision (issue 15): the opinion (审批意见), and for
-- an item that pays out (行政给付) the amount granted, in fen. Both come from the decide step
-- and go to the timeline; the decision form (issue 16) prints them.

ALTER TABLE request ADD COLUMN opinion TEXT CHECK (opinion IS NULL OR length(opinion) BETWEEN 1 AND 500);
ALTER TABLE request ADD COLUMN amount_fen INTEGER CHECK (amount_fen IS NULL OR amount_fen > 0);
