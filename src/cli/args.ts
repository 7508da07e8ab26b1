// Command-line parsing shared by every sub-command: global options, usage errors (exit 2), and the IO a command writes to.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Readable, Writable } from 'node:stream';

export interface CliIo {
  stdout: Writable;
  stderr: Writable;
  /** Where secrets are read from; absent when the command runs without one. */
  stdin?: Readable;
  env: NodeJS.ProcessEnv;
  /** Resolves when the user asks a long-running command to stop (Ctrl-C, SIGTERM). */
  stopSignal: Promise<void>;
}

export class UsageError extends Error {}

export const GLOBAL_OPTIONS = {
  'data-dir': { type: 'string' },
  workspace: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const satisfies ParseArgsConfig['options'];

export function parse<O extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: O) {
  try {
    return parseArgs({ args, options: { ...GLOBAL_OPTIONS, ...options }, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

export function write(stream: Writable, text: string): void {
  stream.write(text.endsWith('\n') ? text : `${text}\n`);
}
