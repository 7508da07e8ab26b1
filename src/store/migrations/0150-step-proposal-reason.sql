-- An associate's edit that a rule sends to a lead waits on the step (run_steps.inputs) with the reason they gave;
-- the reason is recorded with their verdict once the lead approved and the step ran, so it is never lost on the way.
ALTER TABLE run_steps ADD COLUMN proposal_reason TEXT CHECK (proposal_reason IS NULL OR length(trim(proposal_reason)) > 0);
