// Source definitions at load: presets found by name, a broken sources/*.yaml reported with file, line and path, nothing half-loaded.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir, writeFiles } from '../testing/temp-dirs.ts';
import { loadWorkspace } from './load.ts';
import { presetNames } from './sources.ts';

const CONNECTOR = { id: 'desk', title: 'Desk', type: 'http', base_url: 'https://desk.example.com/api' };

describe('ticket sources in tandem.yaml', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => dir.cleanup());

  it('ships the Zendesk preset, and reads the older `type: zendesk` as that preset', () => {
    expect(presetNames()).toContain('zendesk');
    writeFiles(dir.path, { 'tandem.yaml': { name: 'T', sources: [{ id: 'zd', type: 'zendesk', connector: 'desk' }] }, 'connectors/desk.yaml': CONNECTOR });
    const ws = loadWorkspace(dir.path);
    expect(ws.problems).toEqual([]);
    expect(ws.httpSources).toEqual([expect.objectContaining({ id: 'zd', connector: 'desk', origin: 'preset zendesk' })]);
    expect(ws.httpSources[0]!.definition.operations.reply).toBeDefined();
  });

  it('reports a broken definition where it is written, and keeps the source out rather than half-loaded', () => {
    writeFiles(dir.path, {
      'tandem.yaml': { name: 'T', sources: [{ id: 'desk', type: 'http', connector: 'desk', definition: 'sources/desk.yaml' }] },
      'connectors/desk.yaml': CONNECTOR,
      'sources/desk.yaml': [
        'title: Desk',
        'list:',
        '  request: { path: tickets }',
        '  items: response.body.tickets[',
        'ticket:',
        '  id: item.id',
        '  subject: item.subject',
        '  body: item.body',
        '  requester_name: item.name',
        '  created_at: item.created',
        '',
      ].join('\n'),
    });
    const ws = loadWorkspace(dir.path);
    expect(ws.httpSources).toEqual([]);
    expect(ws.problems).toEqual([expect.objectContaining({ file: 'sources/desk.yaml', line: 6, path: 'ticket.requester_email' })]);

    writeFiles(dir.path, { 'sources/desk.yaml': 'title: Desk\nlist:\n  request: { path: tickets }\n  items: response.body.tickets[\nticket: { id: a, subject: b, body: c, requester_name: d, requester_email: e, created_at: f }\n' });
    const again = loadWorkspace(dir.path);
    expect(again.problems).toEqual([expect.objectContaining({ file: 'sources/desk.yaml', line: 4, path: 'list.items', message: expect.stringContaining('is not a valid expression') })]);
  });

  it('says which presets exist, and that preset and definition exclude each other', () => {
    writeFiles(dir.path, {
      'tandem.yaml': {
        name: 'T',
        sources: [
          { id: 'a', type: 'http', connector: 'desk', preset: 'freshdesk' },
          { id: 'b', type: 'http', connector: 'desk', preset: 'zendesk', definition: 'sources/b.yaml' },
          { id: 'c', type: 'http', connector: 'nope', preset: 'zendesk' },
          { id: 'd', type: 'http', connector: 'desk', definition: 'sources/missing.yaml' },
        ],
      },
      'connectors/desk.yaml': CONNECTOR,
    });
    const ws = loadWorkspace(dir.path);
    expect(ws.problems.map((p) => [p.path, p.message])).toEqual([
      ['sources[0].preset', 'there is no preset "freshdesk"'],
      ['sources[1]', 'an http source needs exactly one of `preset` or `definition`'],
      ['sources[2].connector', 'no connector "nope" in connectors/'],
      ['sources[3].definition', 'no file "sources/missing.yaml" in the workspace'],
    ]);
    expect(ws.problems[0]!.hint).toContain('zendesk');
  });
});
