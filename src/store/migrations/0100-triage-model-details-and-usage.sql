-- A model's reading says more than an intent (every ask, where each field came from, language, urgency, why it must
-- go to a person) and costs tokens: both are kept per reading, so cost per ticket can be summed from the record.
ALTER TABLE triage ADD COLUMN details TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(details));
ALTER TABLE triage ADD COLUMN prompt_tokens INTEGER NOT NULL DEFAULT 0 CHECK (prompt_tokens >= 0);
ALTER TABLE triage ADD COLUMN completion_tokens INTEGER NOT NULL DEFAULT 0 CHECK (completion_tokens >= 0);
-- millionths of the configured price's currency (the price per 1k tokens is set per workspace; default 0)
ALTER TABLE triage ADD COLUMN cost_micros INTEGER NOT NULL DEFAULT 0 CHECK (cost_micros >= 0);
