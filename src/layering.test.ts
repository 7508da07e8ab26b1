// The house's layering, enforced: src/ never imports a host or the UI; renderer/ reaches the core only for contract types.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    // This file quotes bad imports as test data; it is checked by its own last test instead.
    .filter((e) => e.isFile() && /\.(ts|tsx)$/.test(e.name) && e.name !== 'layering.test.ts')
    .map((e) => join(e.parentPath, e.name));
}

const IMPORT = /(?:^|\n)\s*(import|export)\s+(type\s+)?(?:[^'"]*?\s+from\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

export function importsOf(text: string): { spec: string; typeOnly: boolean }[] {
  const out: { spec: string; typeOnly: boolean }[] = [];
  for (const m of text.matchAll(IMPORT)) out.push({ spec: (m[3] ?? m[4])!, typeOnly: Boolean(m[2]) });
  return out;
}

/** Why a core file's import breaks the layering, or null when it is fine. */
export function coreViolation(spec: string): string | null {
  if (/^(electron|react|react-dom|zustand)(\/|$)/.test(spec)) return `imports the host/UI package "${spec}"`;
  if (/^(\.\.\/)+(electron|renderer)\//.test(spec)) return `imports host/UI code "${spec}"`;
  return null;
}

/** The renderer may take only types from the core, and only from the contract. */
export function rendererViolation(spec: string, typeOnly: boolean): string | null {
  if (!/(^|\/)src\//.test(spec)) return null;
  if (!/(^|\/)src\/contract\//.test(spec)) return `reaches into the core beyond the contract: "${spec}"`;
  return typeOnly ? null : `imports values from the contract (types only): "${spec}"`;
}

describe('layering', () => {
  it('keeps src/ free of electron, react, zustand and host/UI code', () => {
    const problems: string[] = [];
    for (const file of sourceFiles(join(ROOT, 'src'))) {
      for (const { spec } of importsOf(readFileSync(file, 'utf8'))) {
        const why = coreViolation(spec);
        if (why) problems.push(`${relative(ROOT, file)} ${why}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('lets only the demo wiring reach the sandbox', () => {
    const problems: string[] = [];
    for (const file of sourceFiles(join(ROOT, 'src'))) {
      if (relative(ROOT, file).startsWith(join('src', 'demo'))) continue;
      for (const { spec } of importsOf(readFileSync(file, 'utf8'))) {
        if (/resources\/sandbox/.test(spec) && !/\.test\.ts$/.test(file)) problems.push(`${relative(ROOT, file)} imports the sandbox: "${spec}"`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('keeps renderer/ on contract types only', () => {
    const problems: string[] = [];
    for (const file of sourceFiles(join(ROOT, 'renderer'))) {
      for (const { spec, typeOnly } of importsOf(readFileSync(file, 'utf8'))) {
        const why = rendererViolation(spec, typeOnly);
        if (why) problems.push(`${relative(ROOT, file)} ${why}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('catches the imports it exists to catch', () => {
    const text = "import { app } from 'electron';\nimport type { X } from '../../renderer/api.ts';\nconst r = await import('react');\nimport { z } from 'zod';";
    expect(importsOf(text).map((i) => coreViolation(i.spec))).toEqual([
      'imports the host/UI package "electron"',
      'imports host/UI code "../../renderer/api.ts"',
      'imports the host/UI package "react"',
      null,
    ]);
    expect(rendererViolation('../src/contract/index.ts', true)).toBeNull();
    expect(rendererViolation('../src/contract/index.ts', false)).toMatch(/types only/);
    expect(rendererViolation('../../src/store/db.ts', true)).toMatch(/beyond the contract/);
  });
});
