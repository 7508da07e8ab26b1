// Secrets: a four-method store over the OS keychain, or in memory for this session when no keychain is usable.

export interface SecretStore {
  /** 'persisted' in the OS keychain, or 'in-memory' for this session only. */
  readonly type: 'persisted' | 'in-memory';
  /** Why secrets are not persisted, in the platform's own words; null when they are. Shown once. */
  readonly notice: string | null;
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<boolean>;
  keys(): Promise<string[]>;
}

/** Serialises calls per key so a set racing a delete on one key never interleaves (VS Code's secret storage does the same). */
export class KeyQueue {
  readonly #tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const next = previous.then(task, task);
    const tail = next.catch(() => undefined);
    this.#tails.set(key, tail);
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return next;
  }
}

export function createMemoryStore(notice: string | null): SecretStore {
  const values = new Map<string, string>();
  return {
    type: 'in-memory',
    notice,
    get: async (key) => values.get(key),
    set: async (key, value) => void values.set(key, value),
    delete: async (key) => values.delete(key),
    keys: async () => [...values.keys()].sort(),
  };
}
