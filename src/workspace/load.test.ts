import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { demoWorkspaceDir } from '../app/paths.ts';
import { formatProblem } from '../domain/workspace.ts';
import { SMALL_WORKSPACE, tempDir, writeFiles } from '../testing/temp-dirs.ts';
import { loadWorkspace } from './load.ts';

describe('loadWorkspace', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => {
    dir = tempDir();
    writeFiles(dir.path, SMALL_WORKSPACE);
  });
  afterEach(() => dir.cleanup());

  it('loads the built-in demo workspace without a single problem', () => {
    const ws = loadWorkspace(demoWorkspaceDir());
    expect(ws.problems.map(formatProblem)).toEqual([]);
    expect(ws.maps.map((m) => m.id).sort()).toEqual(
      ['cancel_subscription', 'change_shipping_address', 'damaged_item', 'other', 'refund_request', 'update_account_email', 'where_is_my_order'].sort(),
    );
    expect(ws.connectors.map((c) => c.id).sort()).toEqual(['billing', 'crm', 'helpdesk', 'logistics', 'orders', 'payments']);
  });

  it('learns from the labelled splits tandem.yaml names, and names a split it cannot read', () => {
    const demo = loadWorkspace(demoWorkspaceDir());
    expect(demo.settings.triage.learn_from).toEqual(['train']);
    expect(demo.learned).toHaveLength(100);
    expect(demo.learned[0]).toMatchObject({ id: 'T-0001', intents: ['update_account_email', 'where_is_my_order'] });

    writeFiles(dir.path, {
      'tandem.yaml': 'name: Test team\ntriage:\n  escalate_below: 0.4\n  learn_from:\n    - past\n    - nowhere\n',
      'tickets/past.yaml': { tickets: [{ id: 'P-1', subject: 'Refund', body: 'refund order 123456 please', requester: { name: 'A', email: 'a@example.com' }, created_at: '2026-11-01T00:00:00Z' }, { id: 'P-2', subject: 'Gift', body: 'gift cards?', requester: { name: 'B', email: 'b@example.com' }, created_at: '2026-11-01T00:00:00Z' }] },
      'tickets/labels/past.yaml': { labels: [{ id: 'P-1', intents: ['refund_request'] }, { id: 'P-2', intents: ['no_such_map'] }] },
    });
    const ws = loadWorkspace(dir.path);
    // A label for an intent without a map teaches nothing; the rest is learned.
    expect(ws.learned.map((c) => c.id)).toEqual(['P-1']);
    expect(ws.problems.map(formatProblem)).toEqual([expect.stringMatching(/^tandem\.yaml:6: triage\.learn_from\[1\]: There is no .*nowhere\.yaml/)]);
    expect(ws.maps).toHaveLength(3);
  });

  it('reports a wrong field with its file, line and path, and keeps the valid rest', () => {
    writeFiles(dir.path, {
      'maps/broken.yaml': 'id: broken\nversion: 1\nintent:\n  title: Broken\n  description: has a bad step\n  examples: [a broken map]\nsteps:\n  - id: one\n    block: teleport\n',
    });
    const ws = loadWorkspace(dir.path);
    expect(ws.maps.map((m) => m.id).sort()).toEqual(['other', 'refund_request', 'where_is_my_order']);
    expect(ws.problems).toHaveLength(1);
    expect(ws.problems[0]).toMatchObject({ file: join('maps', 'broken.yaml'), line: 9, path: 'steps[0].block' });
    expect(ws.problems[0]!.message).toMatch(/http|browser/);
  });

  it('reports YAML syntax errors at their line', () => {
    writeFiles(dir.path, { 'maps/bad-yaml.yaml': 'id: x\nversion: 1\nintent:\n  title: "unterminated\n' });
    const ws = loadWorkspace(dir.path);
    expect(ws.problems).toHaveLength(1);
    expect(ws.problems[0]).toMatchObject({ file: join('maps', 'bad-yaml.yaml') });
    expect(ws.problems[0]!.line).toBeGreaterThanOrEqual(4);
    expect(ws.problems[0]!.message).toMatch(/not valid YAML/);
  });

  it('skips one bad ticket and keeps the others in the same file', () => {
    writeFiles(dir.path, {
      'tickets/more.yaml': {
        tickets: [
          { id: 'B-1', subject: 's', body: 'b', requester: { name: 'C', email: 'not-an-email' }, channel: 'email', created_at: '2026-11-19T08:00:00Z' },
          { id: 'B-2', subject: 's', body: 'b', requester: { name: 'D', email: 'd@example.com' }, channel: 'email', created_at: '2026-11-19T08:00:00Z' },
          { id: 'A-1', subject: 'dup', body: 'b', requester: { name: 'E', email: 'e@example.com' }, channel: 'email', created_at: '2026-11-19T08:00:00Z' },
        ],
      },
    });
    const ws = loadWorkspace(dir.path);
    expect(ws.tickets.map((t) => t.id).sort()).toEqual(['A-1', 'A-2', 'B-2']);
    expect(ws.problems.map((p) => [p.file, p.path])).toEqual([
      [join('tickets', 'more.yaml'), 'tickets[0].requester.email'],
      [join('tickets', 'more.yaml'), 'tickets[2].id'],
    ]);
    expect(ws.problems[0]!.line).toBe(7); // the line of `email: not-an-email`
  });

  it('refuses two maps with one id, naming the first file', () => {
    writeFiles(dir.path, { 'maps/zz-copy.yaml': SMALL_WORKSPACE['maps/refund.yaml']! });
    const ws = loadWorkspace(dir.path);
    expect(ws.problems).toEqual([expect.objectContaining({ file: join('maps', 'zz-copy.yaml'), message: expect.stringContaining(join('maps', 'refund.yaml')) as string })]);
  });

  it('says what to do when tandem.yaml is missing, and when the folder does not exist', () => {
    writeFiles(dir.path, {});
    const empty = tempDir();
    try {
      expect(loadWorkspace(empty.path).problems[0]).toMatchObject({ file: 'tandem.yaml', message: 'is missing' });
      expect(() => loadWorkspace(join(empty.path, 'nope'))).toThrow(/does not exist/);
    } finally {
      empty.cleanup();
    }
  });

  it('changes mapsVersion when what triage reads changes, and not for a version bump alone', () => {
    const a = loadWorkspace(dir.path).mapsVersion;
    expect(loadWorkspace(dir.path).mapsVersion).toBe(a);
    writeFiles(dir.path, { 'maps/other.yaml': { ...(SMALL_WORKSPACE['maps/other.yaml'] as object), version: 2 } });
    expect(loadWorkspace(dir.path).mapsVersion).toBe(a);
    const other = SMALL_WORKSPACE['maps/other.yaml'] as { intent: { examples: string[] } };
    writeFiles(dir.path, { 'maps/other.yaml': { ...other, intent: { ...other.intent, examples: [...other.intent.examples, 'can I pay by invoice'] } } });
    expect(loadWorkspace(dir.path).mapsVersion).not.toBe(a);
  });
});
