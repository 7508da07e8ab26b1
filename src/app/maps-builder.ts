// The map builder's commands: list maps with their health, open one as a draft, check it live, try it on a ticket or on
// the decision log, save it back through the YAML document model, and record a browser block.
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import type { Handlers } from '../contract/index.ts';
import { valueDifferences } from '../domain/edits.ts';
import { TandemError } from '../domain/errors.ts';
import type { Ticket } from '../domain/ticket.ts';
import type { Decision } from '../domain/triage.ts';
import { computeStats } from '../decisions/stats.ts';
import { BLOCK_INFO } from '../maps/blocks.ts';
import { availableAt, checkDraft } from '../maps/check.ts';
import { compactDiff, diffLines } from '../maps/diff.ts';
import { applyValue, hashText, readMapDocument, writeAtomically } from '../maps/document.ts';
import { hasSideEffect, type ProcessMap } from '../maps/schema.ts';
import { dryRun, type LookupPort } from '../runner/dry-run.ts';
import type { RunContext } from '../runner/prepare.ts';
import type { Db } from '../store/db.ts';
import type { DecisionsRepo } from '../store/decisions-repo.ts';
import { toTicket, type TicketsRepo } from '../store/tickets-repo.ts';
import type { RunsRepo } from '../store/runs-repo.ts';
import { extractFields } from '../triage/fields.ts';
import { ticketText } from '../triage/local-triage.ts';
import type { Workspace } from '../workspace/load.ts';
import type { Recorder } from '../connectors/browser/recorder.ts';
import { templatize } from '../maps/templatize.ts';

export interface MapsBuilderDeps {
  workspace(): Workspace;
  /** Reads the workspace again after a save, so runs and triage use the file as it now is. */
  reload(): void;
  db: Db;
  decisions: DecisionsRepo;
  tickets: TicketsRepo;
  /** The decided runs, whose fields and lookups a replay over history reuses. */
  runs: Pick<RunsRepo, 'latestForTicket'>;
  lookup: LookupPort;
  recorder: Recorder | null;
  /** Who saves (the record's actor for a mode change) and when. */
  user(): string;
  now(): number;
  /** What the record says of a step for graduation: the evidence line and whether it is recommended for auto. */
  graduation(mapId: string, stepId: string): { why: string; recommended: boolean };
}

type MapsHandlers = Pick<Handlers, 'maps.list' | 'maps.open' | 'maps.check' | 'maps.save' | 'maps.tryIt' | 'maps.tryHistory' | 'maps.recordStart' | 'maps.recordPoll' | 'maps.recordStop'>;

export function createMapsBuilder(deps: MapsBuilderDeps): MapsHandlers {
  const mapsDir = () => join(deps.workspace().root, 'maps');
  const connectorInfo = () => deps.workspace().connectors.map((c) => ({ id: c.id, type: c.type }));

  /** The file of a map: the one it was loaded from, one whose id matches (a hand edit that does not load yet), or a new one. */
  function fileOf(mapId: string): { file: string; name: string } {
    const ws = deps.workspace();
    const known = ws.mapFiles[mapId];
    if (known) return { file: known, name: relative(ws.root, known) };
    for (const name of yamlFiles(mapsDir())) {
      try {
        if (readMapDocument(join(mapsDir(), name), name).value.id === mapId) return { file: join(mapsDir(), name), name: `maps/${name}` };
      } catch {
        // A broken file is reported by the loader; it is not this map.
      }
    }
    const name = `${mapId.replaceAll('_', '-')}.yaml`;
    return { file: join(mapsDir(), name), name: `maps/${name}` };
  }

  function evidenceOf(mapId: string, stepId: string): { evidence: string; recommended: boolean } {
    const g = deps.graduation(mapId, stepId);
    return { evidence: g.why, recommended: g.recommended };
  }

  function parseDraft(value: unknown): ProcessMap {
    const { issues, map } = checkDraft(value, connectorInfo());
    if (!map || issues.length > 0) {
      const first = issues[0]!;
      throw new TandemError('bad_input', `The map is not ready: ${first.path ? `${first.path}: ` : ''}${first.message}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''}.`, { hint: first.hint ?? 'Fix what the builder marks in red.' });
    }
    return map;
  }

  function ticket(id: string): Ticket {
    const row = deps.tickets.get(id);
    if (!row) throw new TandemError('not_found', `Ticket ${id} is not in this workspace.`, { hint: 'Pick another ticket.' });
    return toTicket(row);
  }

  function contextFor(map: ProcessMap, t: Ticket): RunContext {
    return {
      ticket: { id: t.id, externalId: t.externalId, source: t.source, subject: t.subject, body: t.body, requester: t.requester, channel: t.channel },
      fields: extractFields(map, ticketText(t)),
      steps: {},
    };
  }

  return {
    'maps.list': () => {
      const ws = deps.workspace();
      const stats = computeStats(deps.db).steps;
      const loaded = new Map(ws.maps.map((m) => [m.id, m]));
      const rows = ws.maps.map((m) => {
        const steps = m.steps.map((s) => {
          const st = stats.find((x) => x.mapId === m.id && x.stepId === s.id);
          return { id: s.id, title: s.title ?? s.id, block: s.block, mode: s.mode, sideEffect: hasSideEffect(s), n: st?.n ?? 0, asSuggested: st ? st.asSuggested.rate : null, lower: st ? st.asSuggested.lower : null };
        });
        return { id: m.id, file: relative(ws.root, ws.mapFiles[m.id] ?? ''), title: m.intent.title, description: m.intent.description, version: m.version, loads: true, problems: [] as string[], steps };
      });
      // Files that do not load still belong in the list: the builder is one way to fix them.
      for (const name of yamlFiles(mapsDir())) {
        const rel = `maps/${name}`;
        if (rows.some((r) => r.file === rel)) continue;
        const problems = ws.problems.filter((p) => p.file === rel).map((p) => `${p.line === null ? '' : `line ${p.line}: `}${p.path ? `${p.path}: ` : ''}${p.message}`);
        let id = basename(name).replace(/\.ya?ml$/, '').replaceAll('-', '_');
        let title = id;
        let version = 0;
        try {
          const v = readMapDocument(join(mapsDir(), name), rel).value as { id?: unknown; version?: unknown; intent?: { title?: unknown } };
          if (typeof v.id === 'string') id = v.id;
          if (typeof v.intent?.title === 'string') title = v.intent.title;
          if (typeof v.version === 'number') version = v.version;
        } catch {
          // Shown with its problem; opening it says why it cannot be edited here.
        }
        if (loaded.has(id)) continue;
        rows.push({ id, file: rel, title, description: '', version, loads: false, problems, steps: [] });
      }
      return rows;
    },

    'maps.open': ({ mapId }) => {
      const { file, name } = fileOf(mapId);
      const doc = readMapDocument(file, name);
      // A new map starts from an empty file: only its id is known.
      const value = doc.exists ? doc.value : { id: mapId };
      const ws = deps.workspace();
      return {
        mapId,
        file: name,
        exists: doc.exists,
        text: doc.text,
        hash: doc.hash,
        value,
        blocks: BLOCK_INFO,
        connectors: ws.connectors.map((c) => ({ id: c.id, type: c.type, title: c.title })),
      };
    },

    'maps.check': ({ value }) => {
      const { issues } = checkDraft(value, connectorInfo());
      return { issues, available: availableAt(value) };
    },

    'maps.save': ({ mapId, value, baseHash, confirm, reason }) => {
      const { file, name } = fileOf(mapId);
      const raw = value as Record<string, unknown>;
      if (raw.id !== mapId) throw new TandemError('bad_input', `The map's id is "${String(raw.id)}", but this is the builder of ${mapId}.`, { hint: 'Keep the id; start a new map for another one.' });
      const current = readMapDocument(file, name);
      if (current.hash !== baseHash) {
        throw new TandemError('connector_conflict', `${name} changed on disk since you opened it (someone edited it by hand, or in another window).`, {
          hint: 'Nothing was saved. Reload the map to see the change, then make your edits again.',
        });
      }
      const oldVersion = typeof current.value.version === 'number' ? current.value.version : 0;
      const next = { ...raw, version: oldVersion + 1 };
      // Keys keep the file's order; a brand-new map gets the order a reader expects.
      const ordered = current.exists ? next : orderNew(next);
      parseDraft(ordered);
      const text = applyValue(current.text, ordered);
      const diff = compactDiff(diffLines(current.text, text));
      const modeChanges = changedModes(current.exists ? current.value : {}, ordered).map((c) => ({ ...c, ...evidenceOf(mapId, c.stepId) }));
      if (!confirm) return { saved: false, file: name, version: next.version, diff, hash: current.hash, modeChanges };
      // Switching a step to run on its own (or back) is the decision Insights records on promotion: the builder is no
      // way around it — it asks why, and records who, when, why and on what evidence.
      if (modeChanges.length > 0 && !reason?.trim()) {
        throw new TandemError('bad_input', `This save changes how ${modeChanges.map((c) => `${c.stepId} runs (${c.from} → ${c.to})`).join(', ')}: say why.`, {
          hint: 'The reason is recorded with the change, beside what the record shows of the step. Nothing was saved.',
        });
      }
      writeAtomically(file, text);
      const ORDER = ['manual', 'suggest', 'shadow', 'auto'];
      for (const c of modeChanges) {
        deps.decisions.insert({
          id: randomUUID(), ticketId: null, kind: 'promotion', triageId: null, runId: null, stepId: c.stepId, mapId, mapVersion: next.version,
          actor: deps.user(), decidedAt: deps.now(), suggested: JSON.stringify(c.from), final: JSON.stringify(c.to),
          verdict: ORDER.indexOf(c.to) >= ORDER.indexOf(c.from) ? 'promoted' : 'demoted', confidence: 1, reason: `${reason!.trim()} — evidence: ${c.evidence} (saved in the map builder)`, decisionMs: null,
        });
      }
      deps.reload();
      return { saved: true, file: name, version: next.version, diff, hash: hashText(text), modeChanges };
    },

    'maps.tryIt': async ({ value, ticketId, lookups }) => {
      const map = parseDraft(value);
      const t = ticket(ticketId);
      const result = await dryRun(map, contextFor(map, t), lookups === false ? null : deps.lookup);
      return { ticket: { id: t.id, subject: t.subject, requester: t.requester }, ...result };
    },

    'maps.tryHistory': async ({ value, limit }) => {
      const map = parseDraft(value);
      const all = deps.decisions.list({ limit: 5000 });
      // The test set: tickets a person decided for this intent, newest first.
      const decided: string[] = [];
      for (const d of all) {
        if (!d.ticketId || decided.includes(d.ticketId)) continue;
        if ((d.kind === 'triage' && d.final === map.id) || (d.kind === 'step' && d.mapId === map.id)) decided.push(d.ticketId);
        if (decided.length >= limit) break;
      }
      const tickets = [];
      const summary = { tickets: 0, compared: 0, same: 0, differ: 0, newSteps: 0 };
      for (const ticketId of decided) {
        const row = deps.tickets.get(ticketId);
        if (!row) continue;
        const t = toTicket(row);
        // Replay what the associate faced: the fields the decided run used and its lookups' answers at the time, not
        // today's (the refund made then leaves nothing to refund now). Lookups the run did not make are asked now.
        const decidedRun = deps.runs.latestForTicket(ticketId);
        const original = decidedRun?.mapId === map.id ? decidedRun : undefined;
        const recorded = Object.fromEntries(
          (original?.steps ?? []).filter((s) => s.state === 'done' && s.outputs && typeof s.outputs === 'object').map((s) => [s.stepId, s.outputs as Record<string, unknown>]),
        );
        const ctx = contextFor(map, t);
        const run = await dryRun(map, original ? { ...ctx, fields: { ...ctx.fields, ...original.fields } } : ctx, deps.lookup, undefined, recorded);
        const stepDecisions = all.filter((d) => d.ticketId === ticketId && d.kind === 'step' && d.mapId === map.id);
        const steps = run.steps.map((s) => {
          const d = latest(stepDecisions.filter((x) => x.stepId === s.stepId));
          const did = d ? parseJson(d.final) : null;
          let verdict: 'same' | 'differs' | 'new' | 'not_reached';
          if (s.inputs === null) verdict = 'not_reached';
          else if (!d) verdict = 'new';
          else verdict = d.verdict !== 'rejected' && d.verdict !== 'manual' && d.verdict !== 'skipped' && sameJson(s.inputs, did) ? 'same' : 'differs';
          if (verdict === 'same') summary.same++;
          if (verdict === 'differs') summary.differ++;
          if (verdict === 'new') summary.newSteps++;
          if (verdict === 'same' || verdict === 'differs') summary.compared++;
          return { stepId: s.stepId, title: s.title, state: s.state, suggested: s.inputs, associate: d ? { verdict: d.verdict, actor: d.actor, final: did, reason: d.reason } : null, verdict, differences: verdict === 'differs' ? valueDifferences(s.inputs, did) : [] };
        });
        summary.tickets++;
        tickets.push({ ticketId, subject: t.subject, outcome: run.outcome, escalation: run.escalation, steps });
      }
      return { summary, tickets };
    },

    'maps.recordStart': async ({ connectorId, path }) => {
      if (!deps.recorder) throw new TandemError('not_supported', 'Recording needs a browser, and this host has none.', { hint: 'Install Chromium (apt-get install chromium) or set TANDEM_CHROMIUM, then restart Tandem.' });
      const c = deps.workspace().connectors.find((x) => x.id === connectorId);
      if (!c || c.type !== 'browser') throw new TandemError('not_found', `There is no browser connector "${connectorId}" in this workspace.`, { hint: 'Pick a connector of type browser.' });
      return deps.recorder.start(connectorId, path);
    },

    'maps.recordPoll': ({ sessionId }) => {
      if (!deps.recorder) throw new TandemError('not_found', 'No recording is going on.');
      return deps.recorder.poll(sessionId);
    },

    'maps.recordStop': async ({ sessionId, value, stepIndex, ticketId }) => {
      if (!deps.recorder) throw new TandemError('not_found', 'No recording is going on.');
      const recorded = await deps.recorder.stop(sessionId);
      // Typed values that are the ticket's or an earlier step's become references, so the block works for the next ticket.
      const candidates: { expr: string; value: unknown }[] = [];
      const refs = availableAt(value)[Math.min(stepIndex, availableAt(value).length - 1)] ?? [];
      if (ticketId) {
        const t = ticket(ticketId);
        const parsed = checkDraft(value, connectorInfo()).map;
        const fields = parsed ? extractFields(parsed, ticketText(t)) : {};
        const scope: Record<string, unknown> = { ticket: { id: t.id, externalId: t.externalId, subject: t.subject, requester: t.requester, channel: t.channel }, fields };
        for (const r of refs) {
          const v = r.expr.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), scope);
          if (v !== undefined && v !== null && v !== '') candidates.push({ expr: r.expr, value: v });
        }
      }
      const actions = templatize(recorded.actions, candidates);
      return { connector: recorded.connector, actions, skipped: recorded.skipped };
    },
  };
}

function orderNew(v: Record<string, unknown>): Record<string, unknown> {
  const order = ['id', 'version', 'intent', 'escalate_below', 'fields', 'policy', 'steps'];
  const out: Record<string, unknown> = {};
  for (const k of order) if (v[k] !== undefined) out[k] = v[k];
  for (const [k, x] of Object.entries(v)) if (!(k in out) && x !== undefined) out[k] = x;
  return out;
}

function yamlFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
    .map((e) => e.name)
    .sort();
}

function latest(ds: Decision[]): Decision | undefined {
  return ds.sort((a, b) => b.decidedAt - a.decidedAt)[0];
}

function parseJson(s: string): unknown {
  try {
    return JSON.parse(s) as unknown;
  } catch {
    return s;
  }
}

function sameJson(a: unknown, b: unknown): boolean {
  const norm = (x: unknown): unknown => (Array.isArray(x) ? x.map(norm) : x && typeof x === 'object' ? Object.fromEntries(Object.entries(x).sort(([p], [q]) => (p < q ? -1 : 1)).map(([k, v]) => [k, norm(v)])) : x);
  return JSON.stringify(norm(a)) === JSON.stringify(norm(b));
}

/** Steps (by id) present before and after whose mode differs; a step's mode is `suggest` unless it says otherwise. */
function changedModes(before: unknown, after: unknown): { stepId: string; from: string; to: string }[] {
  const modes = (value: unknown) => {
    const steps = value && typeof value === 'object' && Array.isArray((value as { steps?: unknown }).steps) ? ((value as { steps: unknown[] }).steps as Record<string, unknown>[]) : [];
    return new Map(steps.filter((s) => s && typeof s.id === 'string').map((s) => [s.id as string, typeof s.mode === 'string' ? s.mode : 'suggest']));
  };
  const was = modes(before);
  return [...modes(after)].filter(([id, mode]) => was.has(id) && was.get(id) !== mode).map(([stepId, to]) => ({ stepId, from: was.get(stepId)!, to }));
}
