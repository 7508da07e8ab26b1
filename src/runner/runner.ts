// The run state machine: prepares each step, waits for the associate's verdict (or runs it when policy allows),
// and writes state before and after every side effect so a killed process resumes without doing anything twice.
import { randomUUID, createHash } from 'node:crypto';
import { TandemError, toErrorShape } from '../domain/errors.ts';
import type { Decision, RecordVerdict } from '../domain/triage.ts';
import type { RunState, StepVerdict } from '../domain/run.ts';
import type { Ticket } from '../domain/ticket.ts';
import { evaluate, render } from '../maps/expressions.ts';
import { hasSideEffect, type ProcessMap, type Step } from '../maps/schema.ts';
import type { Db } from '../store/db.ts';
import type { DecisionsRepo } from '../store/decisions-repo.ts';
import type { RunsRepo, StoredRun } from '../store/runs-repo.ts';
import type { TicketsRepo } from '../store/tickets-repo.ts';
import { toTicket } from '../store/tickets-repo.ts';
import type { Executors } from './executors.ts';
import { canonicalJson, policyHit, policyScope, truthy, type PolicyHit } from './policy.ts';
import { checkPath, prepareStep, type RunContext } from './prepare.ts';

export interface RunnerDeps {
  db: Db;
  runs: RunsRepo;
  decisions: DecisionsRepo;
  tickets: TicketsRepo;
  executors: Executors;
  now: () => number;
  onChange?: (run: StoredRun) => void;
  /** After each automatic run of a step ends, well or not: where the app checks whether the step must be demoted. */
  onAutoRun?: (run: StoredRun, step: Step, ok: boolean) => void;
  /** After a person marked an automatic run of a step as reverted: the app checks for a demotion, as after a failure. */
  onRevert?: (run: StoredRun, step: Step) => void;
  /** Whether an approval must come from someone other than the person who started the run (default: yes). */
  fourEyes?: () => boolean;
  /** Test hook at each boundary of a side effect (the crash tests kill the process here). */
  failpoint?: (stepId: string, phase: FailpointPhase) => void;
}

export type FailpointPhase = 'running-written' | 'call-returned' | 'done-written';

export interface StartInput {
  ticketId: string;
  map: ProcessMap;
  fields: Record<string, unknown>;
  confidence: number;
  threshold: number;
  dryRun?: boolean;
  actor: string;
}

export interface StepDecisionInput {
  runId: string;
  stepId: string;
  decisionId: string;
  verdict: StepVerdict;
  /** The inputs as the associate edited them (verdict "edited"). */
  inputs?: Record<string, unknown>;
  reason?: string;
  decisionMs?: number;
  actor: string;
}

export interface RevertInput {
  runId: string;
  stepId: string;
  decisionId: string;
  /** What was wrong, and what the person undid by hand in the target system. */
  reason: string;
  actor: string;
}

export const AUTO_ACTOR = 'tandem (auto)';
export const SHADOW_ACTOR = 'tandem (shadow)';
/** The reason on the escalation an automatic run that failed leaves in the record (demotion counts these). */
export const AUTO_FAILED_REASON = 'automatic run failed';

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

export function createRunner(deps: RunnerDeps) {
  const { db, runs, decisions, tickets, executors, now } = deps;
  // One chain of work per run: two clicks never advance the same run at once.
  const locks = new Map<string, Promise<unknown>>();
  function exclusive<T>(runId: string, task: () => Promise<T>): Promise<T> {
    const prev = locks.get(runId) ?? Promise.resolve();
    const next = prev.then(task, task);
    const tail = next.catch(() => undefined);
    locks.set(runId, tail);
    void tail.then(() => locks.get(runId) === tail && locks.delete(runId));
    return next;
  }

  function load(runId: string): StoredRun {
    const run = runs.get(runId);
    if (!run) throw new TandemError('not_found', `There is no run ${runId}.`, { hint: 'Reload the ticket.' });
    return run;
  }

  function ticketOf(run: StoredRun): Ticket {
    const row = tickets.get(run.ticketId);
    if (!row) throw new TandemError('not_found', `Ticket ${run.ticketId} of run ${run.id} is gone.`);
    return toTicket(row);
  }

  function contextOf(run: StoredRun): RunContext {
    const t = ticketOf(run);
    const steps: Record<string, Record<string, unknown>> = {};
    for (const s of run.steps) if (s.outputs && typeof s.outputs === 'object') steps[s.stepId] = s.outputs as Record<string, unknown>;
    return {
      ticket: { id: t.id, externalId: t.externalId, source: t.source, subject: t.subject, body: t.body, requester: t.requester, channel: t.channel },
      fields: run.fields,
      steps,
    };
  }

  function setRunState(run: StoredRun, state: RunState, escalation: string | null = null): void {
    runs.setState(run.id, state, escalation, now());
    if (run.dryRun) return;
    const ticketState = state === 'escalated' ? 'escalated' : state === 'done' ? 'done' : state === 'cancelled' ? 'triaged' : 'in_progress';
    tickets.setState(run.ticketId, ticketState);
  }

  function changed(runId: string): StoredRun {
    const run = load(runId);
    deps.onChange?.(run);
    return run;
  }

  function recordStep(run: StoredRun, step: Step, verdict: RecordVerdict, actor: string, suggested: unknown, final: unknown, extra: { id?: string; reason?: string | undefined; decisionMs?: number | undefined; kind?: Decision['kind'] } = {}): void {
    decisions.insert({
      id: extra.id ?? randomUUID(),
      ticketId: run.ticketId,
      kind: extra.kind ?? 'step',
      triageId: null,
      runId: run.id,
      stepId: step.id,
      mapId: run.mapId,
      mapVersion: run.mapVersion,
      actor,
      decidedAt: now(),
      suggested: JSON.stringify(suggested ?? null),
      final: JSON.stringify(final ?? null),
      verdict,
      confidence: run.confidence,
      reason: extra.reason?.trim() ? extra.reason.trim() : null,
      decisionMs: extra.decisionMs ?? null,
    });
  }

  /**
   * Policy rules are the runner's, never the model's: evaluated before every step that changes something, against
   * exactly the inputs it would send. An approval covers only the inputs the lead saw: an edit after it asks again.
   */
  function policyFor(run: StoredRun, step: Step, ctx: RunContext, inputs: Record<string, unknown>): Promise<PolicyHit | null> {
    return policyHit(run.map.policy, policyScope(ctx, step.id, inputs), () => approvedFor(run, step.id, inputs));
  }

  /** Did a lead approve this step (an `approval` block: at all; any other step: with exactly these inputs)? */
  function approved(run: StoredRun, stepId: string): boolean {
    return decisions.forRun(run.id).some((d) => d.kind === 'approval' && d.stepId === stepId && d.verdict === 'approved');
  }

  function approvedFor(run: StoredRun, stepId: string, inputs: Record<string, unknown>): boolean {
    const wanted = canonicalJson(inputs);
    return decisions.forRun(run.id).some((d) => d.kind === 'approval' && d.stepId === stepId && d.verdict === 'approved' && canonicalJson(parseJson(d.final)) === wanted);
  }

  async function execute(run: StoredRun, step: Step, inputs: Record<string, unknown>, key: string | null, ctx: RunContext): Promise<Record<string, unknown>> {
    const env = { ticketId: run.ticketId, runId: run.id, stepId: step.id, idempotencyKey: key, ...(step.timeout_ms ? { timeoutMs: step.timeout_ms } : {}) };
    switch (step.block) {
      case 'http': {
        const res = await executors.http(inputs, env);
        const scope = { ...ctx, status: res.status, body: res.body, headers: res.headers };
        const outputs: Record<string, unknown> = { status: res.status };
        for (const [name, expr] of Object.entries(step.outputs)) outputs[name] = (await evaluate(expr, scope, `Output "${name}" of step "${step.id}"`)) ?? null;
        return outputs;
      }
      case 'browser':
        return executors.browser(inputs, env);
      case 'reply':
        return executors.reply(inputs, ctx, env);
      default:
        return {};
    }
  }

  /**
   * Shadow mode: what Tandem would have sent on its own (nothing when the run's confidence is under its threshold,
   * as in auto) beside what the associate sent; written with the associate's verdict, in the same transaction.
   */
  function recordShadow(run: StoredRun, step: Step, suggested: unknown, sent: unknown, decisionMs: number | undefined): void {
    const would = JSON.stringify(run.confidence >= run.threshold ? (suggested ?? null) : null);
    const did = JSON.stringify(sent ?? null);
    decisions.insert({
      id: randomUUID(), ticketId: run.ticketId, kind: 'shadow', triageId: null, runId: run.id, stepId: step.id, mapId: run.mapId, mapVersion: run.mapVersion,
      actor: SHADOW_ACTOR, decidedAt: now(), suggested: would, final: did, verdict: would === did ? 'accepted' : 'overridden', confidence: run.confidence,
      reason: run.confidence >= run.threshold ? null : `confidence ${run.confidence} is under ${run.threshold}: would have suggested, not run`, decisionMs: decisionMs ?? null,
    });
  }

  /** Runs one prepared side-effect step: "running" is on disk before the call, the outcome right after. */
  async function runPrepared(run: StoredRun, step: Step, inputs: Record<string, unknown>, key: string | null, autoRun = false): Promise<boolean> {
    const ctx = contextOf(run);
    try {
      deps.failpoint?.(step.id, 'running-written');
      const outputs = await execute(run, step, inputs, key, ctx);
      deps.failpoint?.(step.id, 'call-returned');
      runs.updateStep(run.id, step.id, { state: 'done', outputs, error: null }, now());
      deps.failpoint?.(step.id, 'done-written');
      return true;
    } catch (err) {
      const error = toErrorShape(err);
      db.transaction(() => {
        runs.updateStep(run.id, step.id, { state: 'failed', error }, now());
        // An automatic run that fails is Tandem handing the ticket to a person: that is in the record, with the error.
        if (autoRun) recordStep(run, step, 'escalated', AUTO_ACTOR, inputs, error, { kind: 'escalation', reason: `${AUTO_FAILED_REASON}: ${error.message}` });
        setRunState(run, 'escalated', `Step "${step.title ?? step.id}" failed: ${error.message}`);
      })();
      return false;
    }
  }

  async function advanceOnce(runId: string): Promise<StoredRun> {
    for (;;) {
      const run = load(runId);
      if (run.state !== 'running') return run;
      const current = run.steps.find((s) => s.state === 'pending');
      if (!current) {
        setRunState(run, 'done');
        return changed(runId);
      }
      const step = run.map.steps[current.idx]!;
      const ctx = contextOf(run);
      const t = now();
      // In a dry run, what a simulated step would have answered is unknown, not missing: later steps mark it, not fail.
      const prep = run.dryRun ? { simulated: new Set(run.steps.filter((s) => s.simulated).map((s) => s.stepId)) } : {};
      try {
        if (step.when && !truthy(await evaluate(step.when, ctx, `The "when" of step "${step.id}"`))) {
          runs.updateStep(run.id, step.id, { state: 'skipped', note: 'its "when" did not hold' }, t);
          continue;
        }
        switch (step.block) {
          case 'set': {
            const outputs: Record<string, unknown> = {};
            for (const [name, expr] of Object.entries(step.values)) outputs[name] = (await evaluate(expr, ctx, `Value "${name}" of step "${step.id}"`)) ?? null;
            runs.updateStep(run.id, step.id, { state: 'done', outputs }, t);
            continue;
          }
          case 'condition': {
            if (truthy(await evaluate(step.if, ctx, `The condition of step "${step.id}"`))) {
              runs.updateStep(run.id, step.id, { state: 'done', outputs: {} }, t);
              continue;
            }
            const otherwise = step.else;
            if ('skip_to' in otherwise) {
              db.transaction(() => {
                runs.updateStep(run.id, step.id, { state: 'done', outputs: {}, note: `did not hold: skipping to ${otherwise.skip_to}` }, t);
                for (const s of run.steps) if (s.idx > current.idx && s.state === 'pending' && run.map.steps.findIndex((m) => m.id === otherwise.skip_to) > s.idx) runs.updateStep(run.id, s.stepId, { state: 'skipped', note: `skipped by ${step.id}` }, t);
              })();
              continue;
            }
            const message = String(await render('escalate' in otherwise ? otherwise.escalate : otherwise.finish, ctx, `The message of step "${step.id}"`));
            db.transaction(() => {
              runs.updateStep(run.id, step.id, { state: 'done', outputs: {}, note: message }, t);
              if ('escalate' in otherwise) setRunState(run, 'escalated', message);
              else {
                for (const s of run.steps) if (s.idx > current.idx && s.state === 'pending') runs.updateStep(run.id, s.stepId, { state: 'skipped', note: `finished by ${step.id}` }, t);
                setRunState(run, 'done');
              }
            })();
            return changed(runId);
          }
          case 'approval': {
            if (!truthy(await evaluate(step.needed_when, ctx, `The approval rule of step "${step.id}"`))) {
              runs.updateStep(run.id, step.id, { state: 'skipped', note: 'no approval needed' }, t);
              continue;
            }
            if (approved(run, step.id)) {
              runs.updateStep(run.id, step.id, { state: 'done', outputs: { approved_by: decisions.forRun(run.id).find((d) => d.kind === 'approval' && d.stepId === step.id)?.actor ?? null } }, t);
              continue;
            }
            const prepared = await prepareStep(step, ctx, prep);
            if (run.dryRun) {
              runs.updateStep(run.id, step.id, { state: 'done', suggested: prepared.inputs, outputs: { approved_by: null }, note: `would wait for a lead: ${String(prepared.inputs.reason)}` }, t);
              continue;
            }
            db.transaction(() => {
              runs.updateStep(run.id, step.id, { state: 'awaiting_approval', suggested: prepared.inputs }, t);
              setRunState(run, 'waiting');
            })();
            return changed(runId);
          }
        }

        const sideEffect = hasSideEffect(step);
        if (!sideEffect && step.block === 'http' && step.mode !== 'manual') {
          // Lookups change nothing, so they run at once: the associate opens a ticket with the facts gathered.
          const prepared = await prepareStep(step, ctx, prep);
          runs.updateStep(run.id, step.id, { state: 'running', suggested: prepared.inputs, inputs: prepared.inputs, attempt: true }, t);
          if (!(await runPrepared(run, step, prepared.inputs, null))) return changed(runId);
          continue;
        }

        const prepared = await prepareStep(step, ctx, prep);
        if (sideEffect) {
          const rule = await policyFor(run, step, ctx, prepared.inputs);
          if (rule) {
            if (run.dryRun) {
              runs.updateStep(run.id, step.id, { state: rule.then === 'approval' ? 'done' : 'skipped', suggested: prepared.inputs, note: `policy ${rule.id}: ${rule.reason}` }, t);
              if (rule.then !== 'approval') {
                setRunState(run, 'escalated', `Policy ${rule.id}: ${rule.reason}`);
                return changed(runId);
              }
              continue;
            }
            db.transaction(() => {
              if (rule.then === 'approval') {
                runs.updateStep(run.id, step.id, { state: 'awaiting_approval', suggested: prepared.inputs, inputs: null, proposalReason: null, note: `policy ${rule.id}: ${rule.reason}` }, t);
                setRunState(run, 'waiting');
              } else {
                runs.updateStep(run.id, step.id, { state: rule.then === 'block' ? 'failed' : 'pending', suggested: prepared.inputs, note: `policy ${rule.id}: ${rule.reason}`, error: rule.then === 'block' ? { code: 'policy_blocked', message: rule.reason } : null }, t);
                setRunState(run, 'escalated', `Policy ${rule.id}: ${rule.reason}`);
              }
            })();
            return changed(runId);
          }
        }

        if (run.dryRun) {
          runs.updateStep(run.id, step.id, { state: 'done', suggested: prepared.inputs, inputs: prepared.inputs, outputs: {}, note: 'simulated: nothing was sent' }, t);
          continue;
        }
        if (!sideEffect && step.mode === 'auto') {
          // A browser read set to run alone changes nothing: it runs at once, as a lookup does (it used to wait for a
          // verdict with a note claiming the confidence was too low).
          runs.updateStep(run.id, step.id, { state: 'running', suggested: prepared.inputs, inputs: prepared.inputs, attempt: true }, t);
          if (!(await runPrepared(run, step, prepared.inputs, null))) return changed(runId);
          continue;
        }
        if (sideEffect && step.mode === 'auto' && run.confidence >= run.threshold) {
          db.transaction(() => {
            recordStep(run, step, 'auto', AUTO_ACTOR, prepared.inputs, prepared.inputs);
            runs.updateStep(run.id, step.id, { state: 'running', suggested: prepared.inputs, inputs: prepared.inputs, ...(prepared.idempotencyKey ? { idempotencyKey: prepared.idempotencyKey } : {}), attempt: true }, t);
          })();
          const ok = await runPrepared(run, step, prepared.inputs, prepared.idempotencyKey, true);
          try {
            deps.onAutoRun?.(load(runId), step, ok);
          } catch {
            // Checking for a demotion must never undo a run that happened; the check runs again after the next one.
          }
          if (!ok) return changed(runId);
          continue;
        }
        db.transaction(() => {
          const fellBack =
            step.mode === 'auto'
              ? { note: `confidence ${run.confidence} is under ${run.threshold}: suggested instead of run` }
              : step.mode === 'shadow' && sideEffect
                ? { note: run.confidence >= run.threshold ? 'shadow: Tandem would send this on its own; your verdict is recorded beside it' : `shadow: confidence ${run.confidence} is under ${run.threshold}, Tandem would only suggest` }
                : {};
          runs.updateStep(run.id, step.id, { state: 'awaiting_verdict', suggested: prepared.inputs, inputs: null, proposalReason: null, ...(prepared.idempotencyKey ? { idempotencyKey: prepared.idempotencyKey } : {}), ...fellBack }, t);
          setRunState(run, 'waiting');
        })();
        return changed(runId);
      } catch (err) {
        const error = toErrorShape(err);
        db.transaction(() => {
          runs.updateStep(run.id, step.id, { state: 'failed', error }, t);
          setRunState(run, 'escalated', `Step "${step.title ?? step.id}" could not be prepared: ${error.message}`);
        })();
        return changed(runId);
      }
    }
  }

  return {
    async start(input: StartInput): Promise<StoredRun> {
      if (!input.dryRun) {
        const open = runs.openForTicket(input.ticketId);
        if (open) return open; // a second start returns the run that is already going
      }
      const id = randomUUID();
      runs.create({ id, ticketId: input.ticketId, map: input.map, dryRun: input.dryRun ?? false, fields: input.fields, confidence: input.confidence, threshold: input.threshold, createdBy: input.actor, now: now() });
      const run = load(id);
      const missing = input.map.fields.filter((f) => f.required && (input.fields[f.name] === undefined || input.fields[f.name] === null || input.fields[f.name] === ''));
      // A dry run shows what would happen, escalations included.
      if (missing.length > 0) {
        setRunState(run, 'escalated', `Tandem could not find ${missing.map((f) => f.name).join(', ')} in the ticket; a person must supply ${missing.length === 1 ? 'it' : 'them'}.`);
        return changed(id);
      }
      if (input.confidence < input.threshold) {
        setRunState(run, 'escalated', `Triage confidence ${Math.round(input.confidence * 100)}% is under this map's ${Math.round(input.threshold * 100)}%.`);
        return changed(id);
      }
      // Rules that escalate or forbid are checked before anything runs too (e.g. "no map covers this": always escalate).
      const ctx = contextOf(run);
      for (const rule of input.map.policy) {
        if (rule.then === 'approval') continue;
        let holds = false;
        try {
          holds = truthy(await evaluate(rule.when, ctx, `Policy "${rule.id}"`));
        } catch {
          holds = false; // a rule about step outputs cannot hold before the steps ran; it is checked again before each change
        }
        if (holds) {
          setRunState(run, 'escalated', `Policy ${rule.id}: ${rule.reason}`);
          return changed(id);
        }
      }
      setRunState(run, 'running');
      return exclusive(id, () => advanceOnce(id)).then(() => changed(id));
    },

    advance(runId: string): Promise<StoredRun> {
      return exclusive(runId, () => advanceOnce(runId));
    },

    decide(input: StepDecisionInput): Promise<StoredRun> {
      return exclusive(input.runId, async () => {
        const run = load(input.runId);
        const current = run.steps.find((s) => s.stepId === input.stepId);
        if (!current) throw new TandemError('not_found', `Run ${run.id} has no step "${input.stepId}".`);
        const step = run.map.steps[current.idx]!;
        const prior = decisions.forStep(run.id, step.id);
        if (prior?.id === input.decisionId) return run; // the same call, retried
        if (current.error?.code === 'policy_blocked') {
          throw new TandemError('policy_blocked', `Step "${step.title ?? step.id}" is blocked by policy: ${current.error.message}`, { hint: 'A lead decides escalated runs; the policy is not overridden from here.' });
        }
        const retry = current.state === 'failed' || current.state === 'uncertain';
        // While a lead has not answered, the associate may still revise the step (an amount that needs no approval),
        // skip it, do it by hand or escalate; accepting it as it stands would only ask again.
        const waitingForLead = current.state === 'awaiting_approval' && step.block !== 'approval';
        if (waitingForLead && input.verdict === 'accepted') {
          throw new TandemError('already_decided', `Step "${step.title ?? step.id}" waits for a lead's approval: accepting it again changes nothing.`, {
            hint: 'Edit it (E) so it needs no approval, skip it (S), do it by hand (H) or escalate (X); the lead’s answer comes back here.',
          });
        }
        if (!retry && current.state !== 'awaiting_verdict' && !waitingForLead) {
          throw new TandemError('already_decided', `Step "${step.title ?? step.id}" is ${current.state.replace('_', ' ')}, not waiting for a decision.`, { hint: 'Reload the ticket to see where the run stands.' });
        }
        if (['done', 'cancelled', 'failed'].includes(run.state) || (run.state === 'escalated' && !retry)) {
          // An escalated run waits for a lead: the step an associate escalated must not run behind the lead's back.
          throw new TandemError('already_decided', `This run is ${run.state}${run.escalation ? ` (${run.escalation})` : ''}: step "${step.title ?? step.id}" no longer waits for your verdict.`, {
            hint: run.state === 'escalated' ? 'A lead approves it or hands it back to you from Escalations; nothing was written.' : 'Reload the ticket to see where the run stands; nothing was written.',
          });
        }
        const suggested = (current.suggested ?? {}) as Record<string, unknown>;
        const t = now();
        // Sending the approved edit: the reason given when it was proposed is the verdict's, unless a new one is given.
        const why = input.reason?.trim() ? input.reason : (current.proposalReason ?? undefined);
        const decide = (verdict: RecordVerdict, final: unknown) => {
          if (prior?.verdict === 'escalated') {
            // The step's own verdict was the escalation; what the associate does once a lead handed it back is recorded
            // beside it, so no step ever acts without a decision.
            recordStep(run, step, verdict, input.actor, suggested, final, { id: input.decisionId, reason: input.reason ?? 'after a lead handed the escalation back', decisionMs: input.decisionMs, kind: 'escalation' });
            return;
          }
          if (prior) return;
          recordStep(run, step, verdict, input.actor, suggested, final, { id: input.decisionId, reason: verdict === 'edited' ? why : input.reason, decisionMs: input.decisionMs });
          if (step.mode === 'shadow' && hasSideEffect(step)) recordShadow(run, step, suggested, verdict === 'accepted' || verdict === 'edited' ? final : null, input.decisionMs);
        };

        switch (input.verdict) {
          case 'skipped':
            db.transaction(() => {
              decide('skipped', null);
              runs.updateStep(run.id, step.id, { state: 'skipped', note: input.reason ?? 'skipped by the associate', error: null }, t);
              setRunState(run, 'running');
            })();
            return advanceOnce(run.id);
          case 'manual':
            db.transaction(() => {
              decide('manual', input.inputs ?? null);
              runs.updateStep(run.id, step.id, { state: 'done', outputs: input.inputs ?? {}, note: `done by hand by ${input.actor}`, error: null }, t);
              setRunState(run, 'running');
            })();
            return advanceOnce(run.id);
          case 'escalated':
            if (!input.reason?.trim()) throw new TandemError('bad_input', 'Say why you escalate, so the lead knows what to decide.');
            db.transaction(() => {
              decide('escalated', null);
              setRunState(run, 'escalated', `${input.actor}: ${input.reason!.trim()}`);
            })();
            return changed(run.id);
          case 'accepted':
          case 'edited': {
            if (step.block === 'manual') {
              db.transaction(() => {
                decide('manual', null);
                runs.updateStep(run.id, step.id, { state: 'done', outputs: {}, note: `ticked off by ${input.actor}`, error: null }, t);
                setRunState(run, 'running');
              })();
              return advanceOnce(run.id);
            }
            // On screen, and so what an accept sends: the associate's edit a lead approved (inputs) over Tandem's suggestion.
            const shown = (current.inputs as Record<string, unknown> | null) ?? suggested;
            const edited = (input.verdict === 'edited' && input.inputs !== undefined) || (!retry && canonicalJson(shown) !== canonicalJson(suggested));
            const inputs = input.verdict === 'edited' && input.inputs !== undefined ? { ...input.inputs, connector: suggested.connector } : retry && current.inputs ? (current.inputs as Record<string, unknown>) : shown;
            // An edited path is checked as a prepared one is: no empty or "null" part reaches the system.
            if (step.block === 'http' && edited) checkPath(`Your edit of step "${step.title ?? step.id}"`, step.path, String(inputs.path ?? ''));
            if (hasSideEffect(step)) {
              const rule = await policyFor(run, step, contextOf(run), inputs);
              if (rule && rule.then !== 'approval') {
                const what = edited ? `Your edit of step "${step.title ?? step.id}"` : `Step "${step.title ?? step.id}"`;
                throw new TandemError('policy_blocked', `${what} breaks policy ${rule.id}: ${rule.reason}`, {
                  hint: `${edited ? 'Change the values, or escalate' : 'Escalate'} (X) so a lead decides; nothing was sent or written.`,
                });
              }
              if (rule) {
                // Nothing is sent and no verdict is written yet: the step waits for a lead with exactly what would be sent.
                db.transaction(() => {
                  runs.updateStep(run.id, step.id, { state: 'awaiting_approval', inputs, proposalReason: input.reason ?? null, note: `policy ${rule.id}: ${rule.reason} (${input.actor}${edited ? '’s edit' : ''} waits for a lead${input.reason?.trim() ? `: “${input.reason.trim()}”` : ''})`, error: null }, t);
                  setRunState(run, 'waiting');
                })();
                return changed(run.id);
              }
            }
            // An edit is a different request: it gets its own key, so the system never replays the unedited one.
            const baseKey = run.idempotencyKeys[step.id] ?? null;
            const key = baseKey && edited ? `${baseKey}-${createHash('sha256').update(JSON.stringify(inputs)).digest('hex').slice(0, 12)}` : baseKey;
            db.transaction(() => {
              decide(edited ? 'edited' : 'accepted', inputs);
              runs.updateStep(run.id, step.id, { state: 'running', inputs, error: null, proposalReason: null, attempt: true, ...(key ? { idempotencyKey: key } : {}) }, t);
              setRunState(run, 'running');
            })();
            // Heard at once: a step can run for minutes (a browser sign-in waiting for a one-time code), and until now
            // the UI still showed it as "Your call" in a run "Waiting for you".
            changed(run.id);
            if (!(await runPrepared(load(run.id), step, inputs, key))) return changed(run.id);
            return advanceOnce(run.id);
          }
        }
      });
    },

    /** A lead's answer to an approval step, or to a policy that asked for one. */
    approve(input: { runId: string; stepId: string; decisionId: string; approve: boolean; reason?: string; actor: string }): Promise<StoredRun> {
      return exclusive(input.runId, async () => {
        const run = load(input.runId);
        const current = run.steps.find((s) => s.stepId === input.stepId);
        if (!current || current.state !== 'awaiting_approval') throw new TandemError('already_decided', `Step "${input.stepId}" is not waiting for an approval.`, { hint: 'Reload the escalations.' });
        const step = run.map.steps[current.idx]!;
        if ((deps.fourEyes?.() ?? true) && input.actor.trim().toLowerCase() === run.createdBy.trim().toLowerCase()) {
          // Four eyes: the rule asks for a second person's judgement, so the one who started the run cannot give it.
          throw new TandemError('policy_blocked', `${input.actor} started this run, so ${input.actor} cannot also ${input.approve ? 'approve' : 'reject'} "${step.title ?? step.id}": an approval is a second person’s.`, {
            hint: 'A lead answers it from their own Tandem (or under their own name: Settings → Associate). A one-person team can set approvals: { four_eyes: false } in tandem.yaml. Nothing was written.',
          });
        }
        // An associate's edit waiting for a lead: the approval covers exactly it, and the step goes back to the associate
        // (approved: to send it; rejected: with Tandem's suggestion again), never on to a new preparation that loses it.
        const proposal = step.block !== 'approval' && current.inputs ? (current.inputs as Record<string, unknown>) : null;
        if (proposal) {
          const who = input.actor;
          db.transaction(() => {
            recordStep(run, step, input.approve ? 'approved' : 'rejected', who, current.suggested, proposal, { id: input.decisionId, reason: input.reason, kind: 'approval' });
            runs.updateStep(run.id, step.id, input.approve
              ? { state: 'awaiting_verdict', note: `${who} approved the edited values: accept to send them` }
              : { state: 'awaiting_verdict', inputs: null, proposalReason: null, note: `${who} rejected the edited values${input.reason ? `: ${input.reason}` : ''}; Tandem's suggestion is back` }, now());
            setRunState(run, 'waiting');
          })();
          return changed(run.id);
        }
        db.transaction(() => {
          recordStep(run, step, input.approve ? 'approved' : 'rejected', input.actor, current.suggested, current.suggested, { id: input.decisionId, reason: input.reason, kind: 'approval' });
          if (input.approve) {
            // Back to pending: the step is prepared again and, if it changes something, waits for the associate's accept.
            runs.updateStep(run.id, step.id, step.block === 'approval' ? { state: 'done', outputs: { approved_by: input.actor }, note: `approved by ${input.actor}` } : { state: 'pending', note: `approved by ${input.actor}` }, now());
            setRunState(run, 'running');
          } else if (step.block === 'approval') {
            runs.updateStep(run.id, step.id, { state: 'skipped', note: `rejected by ${input.actor}${input.reason ? `: ${input.reason}` : ''}` }, now());
            setRunState(run, 'escalated', `${input.actor} rejected "${step.title ?? step.id}"${input.reason ? `: ${input.reason}` : ''}`);
          } else {
            // A step a rule sent for approval goes back to the associate with the lead's answer: they change it, skip it
            // or escalate, without the lead having to hand the run back as well.
            runs.updateStep(run.id, step.id, { state: 'awaiting_verdict', inputs: null, note: `${input.actor} rejected it${input.reason ? `: ${input.reason}` : ''} — change it (E), skip it (S) or escalate (X)` }, now());
            setRunState(run, 'waiting');
          }
        })();
        if (!input.approve) return changed(run.id);
        return advanceOnce(run.id);
      });
    },

    /** A lead hands an escalated run back: it continues where it stopped (a failed step waits for a new verdict). */
    returnToAssociate(input: { runId: string; decisionId: string; note: string; actor: string }): Promise<StoredRun> {
      return exclusive(input.runId, async () => {
        const run = load(input.runId);
        if (run.state !== 'escalated') throw new TandemError('already_decided', 'This run is not escalated.');
        const at = run.steps.find((s) => s.state !== 'done' && s.state !== 'skipped');
        decisions.insert({
          id: input.decisionId, ticketId: run.ticketId, kind: 'escalation', triageId: null, runId: run.id, stepId: at?.stepId ?? null, mapId: run.mapId, mapVersion: run.mapVersion,
          actor: input.actor, decidedAt: now(), suggested: JSON.stringify(run.escalation), final: JSON.stringify(input.note), verdict: 'returned', confidence: run.confidence, reason: input.note, decisionMs: null,
        });
        db.transaction(() => {
          if (at && at.state === 'failed' && !decisions.forStep(run.id, at.stepId)) runs.updateStep(run.id, at.stepId, { state: 'pending', note: `returned by ${input.actor}: ${input.note}` }, now());
          else if (at && at.state === 'failed') runs.updateStep(run.id, at.stepId, { state: 'failed', note: `returned by ${input.actor}: ${input.note}` }, now());
          setRunState(run, 'running');
        })();
        const after = load(run.id);
        if (after.steps.some((s) => s.state === 'failed' || s.state === 'awaiting_verdict' || s.state === 'uncertain')) {
          setRunState(after, 'waiting');
          return changed(run.id);
        }
        return advanceOnce(run.id);
      });
    },

    /**
     * After a crash: a step caught mid-call is re-sent only where the system de-duplicates it (an idempotency key);
     * anything else is marked uncertain and the associate says whether it happened.
     */
    resume(runId: string): Promise<StoredRun> {
      return exclusive(runId, async () => {
        const run = load(runId);
        for (const s of run.steps.filter((x) => x.state === 'running')) {
          const step = run.map.steps[s.idx]!;
          const key = run.idempotencyKeys[s.stepId] ?? null;
          if (!hasSideEffect(step) || (step.block === 'http' && key)) {
            runs.updateStep(run.id, s.stepId, { state: 'running', attempt: true, note: 'resumed after a restart' }, now());
            const autoRun = decisions.forStep(run.id, s.stepId)?.verdict === 'auto';
            if (!(await runPrepared(run, step, (s.inputs ?? s.suggested ?? {}) as Record<string, unknown>, key, autoRun))) return changed(runId);
          } else {
            db.transaction(() => {
              runs.updateStep(run.id, s.stepId, { state: 'uncertain', note: 'Tandem stopped while this step was running: check in the system whether it happened, then mark it done by hand or run it again.' }, now());
              setRunState(run, 'waiting');
            })();
            return changed(runId);
          }
        }
        const fresh = load(runId);
        if (fresh.state === 'running') return advanceOnce(runId);
        return fresh;
      });
    },

    /**
     * A person supplies or corrects the run's fields (an order id Tandem could not find) while nothing has changed yet;
     * the run then starts over from its first step with the new values.
     */
    supplyFields(input: { runId: string; decisionId: string; fields: Record<string, unknown>; actor: string }): Promise<StoredRun> {
      return exclusive(input.runId, async () => {
        const run = load(input.runId);
        if (!['escalated', 'waiting'].includes(run.state)) throw new TandemError('already_decided', `This run is ${run.state}; its fields can no longer change.`);
        const changedSomething = run.steps.some((s) => s.sideEffect && (s.state === 'done' || s.state === 'running' || s.state === 'uncertain') && !s.simulated);
        if (changedSomething) throw new TandemError('bad_input', 'A step of this run already changed something, so its fields can no longer change.', { hint: 'Edit the next step’s inputs instead (E).' });
        const fields = { ...run.fields, ...input.fields };
        db.transaction(() => {
          decisions.insert({
            id: input.decisionId, ticketId: run.ticketId, kind: 'escalation', triageId: null, runId: run.id, stepId: null, mapId: run.mapId, mapVersion: run.mapVersion,
            actor: input.actor, decidedAt: now(), suggested: JSON.stringify(run.fields), final: JSON.stringify(fields), verdict: 'edited', confidence: run.confidence, reason: 'fields supplied by a person', decisionMs: null,
          });
          runs.setFields(run.id, fields, now());
          for (const s of run.steps) runs.updateStep(run.id, s.stepId, { state: 'pending', error: null, outputs: null, note: '' }, now());
          setRunState(run, 'running');
        })();
        const missing = run.map.fields.filter((f) => f.required && (fields[f.name] === undefined || fields[f.name] === null || fields[f.name] === ''));
        if (missing.length > 0) {
          setRunState(load(run.id), 'escalated', `Still missing: ${missing.map((f) => f.name).join(', ')}.`);
          return changed(run.id);
        }
        return advanceOnce(run.id);
      });
    },

    /**
     * A person found that a step Tandem ran on its own was wrong and undid its effect by hand in the target system
     * (Tandem undoes nothing itself): the record gets a `revert` decision with who, when and why. Only a finished
     * automatic run, and only once; on any error nothing is written.
     */
    revert(input: RevertInput): Promise<StoredRun> {
      return exclusive(input.runId, async () => {
        const run = load(input.runId);
        const current = run.steps.find((s) => s.stepId === input.stepId);
        if (!current) throw new TandemError('not_found', `Run ${run.id} has no step "${input.stepId}".`, { hint: `Its steps: ${run.steps.map((s) => s.stepId).join(', ')}.` });
        const step = run.map.steps[current.idx]!;
        const named = `step "${step.id}" of run ${run.id}`;
        const Named = `Step "${step.id}" of run ${run.id}`;
        const prior = decisions.revertOf(run.id, step.id);
        if (prior?.id === input.decisionId) return run; // the same call, retried
        if (prior) {
          throw new TandemError('already_decided', `${Named} was already marked as reverted by ${prior.actor} on ${new Date(prior.decidedAt).toISOString()}: an automatic run is reverted once.`, {
            hint: `The reason recorded: ${prior.reason ?? '(none)'}. Nothing was written.`,
          });
        }
        const reason = input.reason.trim();
        if (!reason) throw new TandemError('bad_input', `Say why ${named} is marked as reverted: what was wrong, and what you undid by hand.`, { hint: 'The reason is recorded with the revert, and the lead reads it in Review.' });
        const verdict = decisions.forStep(run.id, step.id);
        if (!verdict || verdict.verdict !== 'auto' || verdict.actor !== AUTO_ACTOR) {
          throw new TandemError('bad_input', `${Named} was not run automatically by Tandem (${verdict ? `its verdict is ${verdict.verdict}, by ${verdict.actor}` : 'it has no verdict'}): only an automatic run can be marked as reverted.`, {
            hint: 'What a person decided is reviewed in Insights → Review; nothing was written.',
          });
        }
        if (current.state !== 'done') {
          throw new TandemError('bad_input', `${Named} ran automatically but is ${current.state.replace('_', ' ')}, not done: only a finished automatic run can be marked as reverted.`, {
            hint: current.state === 'failed' ? 'A failed automatic run already counts against the step; nothing was written.' : 'Wait until it has finished; nothing was written.',
          });
        }
        db.transaction(() => {
          decisions.insert({
            id: input.decisionId, ticketId: run.ticketId, kind: 'revert', triageId: null, runId: run.id, stepId: step.id, mapId: run.mapId, mapVersion: run.mapVersion,
            // suggested: what Tandem sent on its own; final: nothing of it stands.
            actor: input.actor, decidedAt: now(), suggested: verdict.final, final: 'null', verdict: 'reverted', confidence: run.confidence, reason, decisionMs: null,
          });
          runs.updateStep(run.id, step.id, { state: 'done', note: `reverted by ${input.actor}: ${reason}` }, now());
        })();
        const after = changed(run.id);
        try {
          deps.onRevert?.(after, step);
        } catch {
          // As after a failed run: checking for a demotion never undoes what was recorded; the next check runs again.
        }
        return after;
      });
    },

    cancel(runId: string, actor: string): Promise<StoredRun> {
      return exclusive(runId, async () => {
        const run = load(runId);
        if (['done', 'cancelled', 'failed'].includes(run.state)) return run;
        setRunState(run, 'cancelled', `cancelled by ${actor}`);
        return changed(runId);
      });
    },
  };
}
export type Runner = ReturnType<typeof createRunner>;
