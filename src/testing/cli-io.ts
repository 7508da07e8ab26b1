// Test helper: the streams `runCli` writes to, captured as text.
import { PassThrough } from 'node:stream';
import type { CliIo } from '../cli/args.ts';
import { runCli } from '../cli/main.ts';

export function captureIo(env: NodeJS.ProcessEnv = {}, options: { tty?: boolean } = {}): { io: CliIo; out(): string; err(): string } {
  const stdout = new PassThrough();
  const stderr = Object.assign(new PassThrough(), { isTTY: options.tty ?? false });
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  return { io: { stdout, stderr, env, stopSignal: new Promise<void>(() => {}) }, out: () => out, err: () => err };
}

/** Runs `tandem <argv>` in-process: the exit code and what it printed. */
export async function runCaptured(argv: string[], options: { env?: NodeJS.ProcessEnv; tty?: boolean } = {}): Promise<{ code: number; out: string; err: string }> {
  const c = captureIo(options.env, options);
  const code = await runCli(argv, c.io);
  return { code, out: c.out(), err: c.err() };
}
