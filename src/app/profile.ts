// The associate's own settings on this machine (not the team's workspace): the name their decisions are recorded
// under. Kept in the data folder as profile.json; the OS account name is the default.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TandemError } from '../domain/errors.ts';

export const PROFILE_FILE = 'profile.json';

export interface Profile {
  name?: string;
}

/** The saved profile, or nothing when there is none or it cannot be read (the default name is used then). */
export function readProfile(dataDir: string): Profile {
  const file = join(dataDir, PROFILE_FILE);
  if (!existsSync(file)) return {};
  try {
    const raw = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    const name = raw && typeof raw === 'object' ? (raw as { name?: unknown }).name : undefined;
    return typeof name === 'string' && checkName(name) === null ? { name: name.trim() } : {};
  } catch {
    return {};
  }
}

/** Why a name cannot be an associate's, or null when it can. */
export function checkName(name: string): string | null {
  const n = name.trim();
  if (n.length === 0) return 'Your name cannot be empty: the record says who decided each step.';
  if (n.length > 80) return `Your name is ${n.length} characters long; 80 is the most.`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(n)) return 'Your name cannot hold line breaks or other control characters.';
  if (/^tandem\s*\(/i.test(n)) return `"${n}" is how the record names Tandem itself (its automatic and shadow runs); pick another name.`;
  return null;
}

/** Saves the name (written whole, then moved into place: a crash never leaves half a file) and returns it trimmed. */
export function saveName(dataDir: string, name: string): string {
  const problem = checkName(name);
  if (problem) throw new TandemError('bad_input', problem, { hint: 'Use the name your team knows you by, e.g. "Ann Lee".' });
  const file = join(dataDir, PROFILE_FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify({ ...readProfile(dataDir), name: name.trim() }, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, file);
  return name.trim();
}
