// The `tandem` command: dispatches to one file per sub-command; exit 0 ok, 1 failed, 2 bad usage.
import { pathToFileURL } from 'node:url';
import { TandemError } from '../domain/errors.ts';
import { UsageError, write, type CliIo } from './args.ts';
import { packageVersion } from './context.ts';
import { exportCommand, help as exportHelp } from './export.ts';
import { serve, help as serveHelp } from './serve.ts';
import { mapsCommand, help as mapsHelp } from './maps.ts';
import { runCommand, help as runHelp } from './run.ts';
import { runsCommand, help as runsHelp } from './runs.ts';
import { sandboxCommand, help as sandboxHelp } from './sandbox.ts';
import { connectorsCommand, help as connectorsHelp } from './connectors.ts';
import { secretsCommand, help as secretsHelp } from './secrets.ts';
import { logCommand, help as logHelp } from './log.ts';
import { triageCommand, help as triageHelp } from './triage.ts';
import { statsCommand, help as statsHelp } from './stats.ts';
import { evalCommand, help as evalHelp } from './eval.ts';
import { stepsCommand, help as stepsHelp } from './steps.ts';
import { importCommand, help as importHelp } from './import.ts';

type Command = { run: (args: string[], io: CliIo) => Promise<number>; help: string; summary: string };

const COMMANDS: Record<string, Command> = {
  serve: { run: serve, help: serveHelp, summary: 'run the headless host (UI + API on 127.0.0.1)' },
  export: { run: exportCommand, help: exportHelp, summary: 'write the decision log as CSV or JSONL' },
  stats: { run: statsCommand, help: statsHelp, summary: 'per map and step: taken as suggested, with Wilson lower bounds; edits; reasons' },
  log: { run: logCommand, help: logHelp, summary: 'verify the decisioning record: the first changed, removed or reordered row' },
  maps: { run: mapsCommand, help: mapsHelp, summary: 'validate the workspace: every problem as file:line: path: message' },
  run: { run: runCommand, help: runHelp, summary: 'run a map on a ticket (--dry-run, --auto)' },
  runs: { run: runsCommand, help: runsHelp, summary: 'list runs; resume unfinished ones' },
  connectors: { run: connectorsCommand, help: connectorsHelp, summary: 'test every connection of the workspace (a real sign-in)' },
  secrets: { run: secretsCommand, help: secretsHelp, summary: 'set (from stdin), list or delete credentials in the OS keychain' },
  triage: { run: triageCommand, help: triageHelp, summary: 'triage tickets from a JSONL or CSV file: intent, fields, confidence, escalation' },
  sandbox: { run: sandboxCommand, help: sandboxHelp, summary: 'start the demo back office (six systems) on 127.0.0.1' },
  eval: { run: evalCommand, help: evalHelp, summary: 'measure triage on a labelled set: accuracy, macro-F1, escalation, calibration, time' },
  steps: { run: stepsCommand, help: stepsHelp, summary: 'list steps with their mode and evidence; promote or demote one (recorded, map file edited)' },
  import: { run: importCommand, help: importHelp, summary: "merge associates' exports into this record: no duplicates, tampered files refused" },
};

export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  return [
    'Usage: tandem <command> [options]',
    '',
    'Commands:',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    '',
    'Global options:',
    '  --data-dir DIR    where Tandem keeps its database (default: the per-user data folder, or $TANDEM_DATA_DIR)',
    '  --workspace DIR   the workspace folder (default: the built-in demo workspace, or $TANDEM_WORKSPACE)',
    '  --json            machine-readable output',
    '  -h, --help        help for tandem or a command',
    '  --version         print the version',
    '',
    'Exit codes: 0 success, 1 a failed check or error, 2 bad usage.',
  ].join('\n');
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? rest[0] : undefined;
    write(io.stdout, topic && COMMANDS[topic] ? COMMANDS[topic].help : usage());
    return 0;
  }
  if (name === '--version' || name === '-v') {
    write(io.stdout, packageVersion());
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    write(io.stderr, `tandem: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    write(io.stdout, command.help);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      write(io.stderr, `tandem ${name}: ${err.message}\n\n${command.help}`);
      return 2;
    }
    if (err instanceof TandemError) {
      write(io.stderr, `tandem ${name}: ${err.message}${err.hint ? `\n  ${err.hint}` : ''}`);
      return 1;
    }
    write(io.stderr, `tandem ${name}: ${(err as Error).stack ?? String(err)}`);
    return 1;
  }
}

export function processIo(): CliIo {
  // `tandem … | head` closes the pipe early: that is the reader being done, not an error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  const stopSignal = new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, stopSignal };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await runCli(process.argv.slice(2), processIo());
}
