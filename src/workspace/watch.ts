// Watches a workspace folder so a change made by hand — a map edited in an editor, tandem.yaml's graduation settings,
// a connector file — takes effect without restarting Tandem. Bursts of events (an editor's save writes, renames and
// touches several times) are folded into one reload after a short quiet spell.
import { watch, type FSWatcher } from 'node:fs';
import { basename } from 'node:path';

export interface WorkspaceWatcher {
  close(): void;
}

/** Files a workspace is made of; editors' swap, backup and lock files are not. */
export function isWorkspaceFile(name: string): boolean {
  const base = basename(name);
  if (base.startsWith('.') || base.startsWith('#') || base.endsWith('~')) return false;
  return /\.(ya?ml|json|csv|jsonl)$/i.test(base);
}

export function watchWorkspace(root: string, onChange: (files: string[]) => void, quietMs = 300): WorkspaceWatcher {
  let timer: NodeJS.Timeout | null = null;
  const changed = new Set<string>();
  let watcher: FSWatcher | null = null;
  try {
    watcher = watch(root, { recursive: true, persistent: false }, (_event, file) => {
      if (!file || !isWorkspaceFile(String(file))) return;
      changed.add(String(file));
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = null;
        const files = [...changed];
        changed.clear();
        onChange(files);
      }, quietMs);
      timer.unref?.();
    });
    // A folder that disappears or a watch the system refuses (too many watches) only means no live reload.
    watcher.on('error', () => watcher?.close());
  } catch {
    watcher = null;
  }
  return {
    close() {
      if (timer) clearTimeout(timer);
      watcher?.close();
    },
  };
}
