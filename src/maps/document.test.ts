import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../testing/temp-dirs.ts';
import { applyValue, readMapDocument } from './document.ts';
import { MapSchema } from './schema.ts';

const COMMENTED = `# Update account email: the CRM has no API, so its web page is used.
id: update_account_email
version: 4   # bumped by every save
intent:
  title: Update account email
  description: The customer wants the email on their account changed.
  examples: [change my email, "use my new address"]

fields:
  # The new one is the one that matters.
  - name: new_email
    type: email
    required: true
steps:
  # First the CRM…
  - id: edit_crm
    block: browser
    connector: crm   # web only
    actions:
      - goto: "/customers?q={{ $encodeUrlComponent(ticket.requester.email) }}"
      - click: { role: link, name: Edit }
      - fill: { target: { label: Email }, value: '{{ fields.new_email }}' }

  # …then the customer hears about it.
  - id: reply
    block: reply
    body: |
      Hi {{ ticket.requester.name }},

      Done.
`;

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

describe('the builder model of a map file', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => (dir = tempDir()));
  afterEach(() => dir.cleanup());

  it('round-trips a commented map through the model unchanged, byte for byte', () => {
    const file = join(dir.path, 'm.yaml');
    writeFileSync(file, COMMENTED);
    const doc = readMapDocument(file, 'maps/m.yaml');
    expect(MapSchema.safeParse(doc.value).success).toBe(true);
    expect(applyValue(doc.text, clone(doc.value))).toBe(COMMENTED);
  });

  it('round-trips every demo map unchanged', () => {
    const maps = join(import.meta.dirname, '..', '..', 'resources', 'demo-workspace', 'maps');
    const files = readdirSync(maps);
    expect(files.length).toBeGreaterThan(5);
    for (const name of files) {
      const doc = readMapDocument(join(maps, name), name);
      expect(applyValue(doc.text, clone(doc.value)), name).toBe(doc.text);
    }
  });

  it('changes only what changed: comments, quotes and blank lines stay, and a moved step takes its comment along', () => {
    const value = clone(parseDocument(COMMENTED).toJS() as Record<string, unknown>) as { version: number; steps: Record<string, unknown>[] };
    value.version = 5;
    (value.steps[0]!.actions as Record<string, unknown>[])[1] = { click: { role: 'button', name: 'Save' } };
    value.steps.reverse();
    const out = applyValue(COMMENTED, value as unknown as Record<string, unknown>);
    expect(out).toContain('version: 5   # bumped by every save');
    expect(out).toContain("value: '{{ fields.new_email }}' }");
    expect(out).toContain('connector: crm   # web only');
    expect(out).toContain('- click: { role: button, name: Save }');
    expect(out.indexOf('- id: reply')).toBeLessThan(out.indexOf('- id: edit_crm'));
    // The comment above a step travels with it.
    expect(out.indexOf('# First the CRM…')).toBeGreaterThan(out.indexOf('- id: reply'));
    expect(out.indexOf('# First the CRM…')).toBeLessThan(out.indexOf('- id: edit_crm'));
    expect(parseDocument(out).toJS()).toEqual(value);
  });

  it('removes a key without touching its neighbours, and adds new keys at the end of their map', () => {
    const value = clone(parseDocument(COMMENTED).toJS() as Record<string, unknown>) as { steps: Record<string, unknown>[] };
    delete value.steps[0]!.connector;
    value.steps[1]!.status = 'solved';
    const out = applyValue(COMMENTED, value as unknown as Record<string, unknown>);
    expect(out).not.toContain('connector: crm');
    expect(out).toContain('    status: solved\n');
    expect(out.split('\n').filter((l) => l.startsWith('#') || l.includes(' # ')).length).toBe(COMMENTED.split('\n').filter((l) => l.startsWith('#') || l.includes(' # ')).length - 1);
  });

  it('starts a new map from an empty file', () => {
    const file = join(dir.path, 'new.yaml');
    const doc = readMapDocument(file, 'maps/new.yaml');
    expect(doc).toMatchObject({ exists: false, text: '', value: {} });
    const out = applyValue('', { id: 'x', version: 1, intent: { title: 'X', description: 'x', examples: ['do x'] }, steps: [] });
    expect(parseDocument(out).toJS()).toEqual({ id: 'x', version: 1, intent: { title: 'X', description: 'x', examples: ['do x'] }, steps: [] });
  });

  it('refuses a file that is not YAML, saying how to fix it', () => {
    const file = join(dir.path, 'bad.yaml');
    writeFileSync(file, 'id: [unclosed\n');
    expect(() => readMapDocument(file, 'maps/bad.yaml')).toThrow(/maps\/bad.yaml is not valid YAML/);
    expect(readFileSync(file, 'utf8')).toBe('id: [unclosed\n');
  });
});
