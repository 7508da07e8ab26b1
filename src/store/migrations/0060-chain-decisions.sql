-- Tamper evidence: each decision carries a hash over its content and the previous row's hash.
-- Rows written before this migration have none; the chain starts at the first row that has one.
ALTER TABLE decisions ADD COLUMN prev_hash TEXT;
ALTER TABLE decisions ADD COLUMN hash TEXT;
CREATE UNIQUE INDEX decisions_by_hash ON decisions (hash) WHERE hash IS NOT NULL;
