#!/usr/bin/env node
// The `tandem` command. Tandem's TypeScript runs directly on Node's type stripping, so this checks the Node version first.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  process.stderr.write(`tandem: Node ${process.versions.node} is too old; Tandem needs Node 22.18 or newer (Node 24 LTS recommended). See the README.\n`);
  process.exit(1);
}
const { runCli, processIo } = await import('../src/cli/main.ts');
process.exitCode = await runCli(process.argv.slice(2), processIo());
