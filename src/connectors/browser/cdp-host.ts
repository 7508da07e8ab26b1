// The embedded browser's pages: playwright-core drives, over CDP on a loopback port, the view the desktop app shows for
// each connector (its own persistent partition), so the associate watches every step and can take over at any moment.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { TandemError } from '../../domain/errors.ts';
import type { BrowserConnector, PageHost } from './browser-connector.ts';

/** What the desktop host does for us: a visible view per connector, in a partition of its own, kept while Tandem runs. */
export interface ViewEmbedder {
  /** Shows the connector's view, creating it (and loading `url`) the first time; later calls only bring it forward. */
  show(connectorId: string, title: string, url: string): Promise<void>;
}

export interface CdpHostOptions {
  /** The CDP endpoint (http://127.0.0.1:<port>), known once the host process is up. */
  endpoint: () => Promise<string> | string;
  embedder: ViewEmbedder;
  /** How long to wait for a new view to appear over CDP. */
  findTimeoutMs?: number;
}

/** The page a view shows before its first step: what it is for, and a marker to find it by over CDP. */
export function placeholderUrl(title: string, marker: string): string {
  const html = `<!doctype html><meta charset="utf-8"><title>${escape(title)} · Tandem</title><body style="font-family:system-ui;color:#555;margin:2em"><p>${escape(title)} opens here when a step needs it. You can take over at any time.</p><!-- ${marker} -->`;
  return `data:text/html;charset=utf-8,${encodeURIComponent(html)}`;
}

export function createCdpHost(options: CdpHostOptions): PageHost {
  let browser: Promise<Browser> | null = null;
  const pages = new Map<string, Page>();

  function connect(): Promise<Browser> {
    browser ??= (async () => {
      const endpoint = await options.endpoint();
      if (!/^(https?|wss?):\/\/(127\.0\.0\.1|\[::1\]|localhost)[:/]/.test(endpoint)) {
        throw new TandemError('not_supported', `The embedded browser's debugging endpoint must be on this machine's loopback, not ${endpoint}.`);
      }
      return chromium.connectOverCDP(endpoint);
    })().catch((err: unknown) => {
      browser = null;
      throw err instanceof TandemError
        ? err
        : new TandemError('connector_unreachable', `Tandem could not reach its embedded browser: ${String((err as Error).message).split('\n')[0]}`, {
            hint: 'Restart Tandem; if it persists, do browser steps by hand (H).',
          });
    });
    return browser;
  }

  async function find(b: Browser, marker: string): Promise<Page | undefined> {
    const deadline = Date.now() + (options.findTimeoutMs ?? 10_000);
    while (Date.now() < deadline) {
      for (const ctx of b.contexts()) for (const p of ctx.pages()) if (decodeURIComponent(p.url()).includes(marker)) return p;
      await new Promise((r) => setTimeout(r, 100));
    }
    return undefined;
  }

  return {
    keepsPages: true,
    async page(c: BrowserConnector): Promise<Page> {
      const known = pages.get(c.id);
      if (known && !known.isClosed()) {
        await options.embedder.show(c.id, c.title, '');
        return known;
      }
      const b = await connect();
      const marker = `tandem-view:${c.id}:${randomBytes(8).toString('hex')}`;
      await options.embedder.show(c.id, c.title, placeholderUrl(c.title, marker));
      const page = await find(b, marker);
      if (!page) {
        throw new TandemError('connector_unreachable', `Tandem opened ${c.title}'s view but could not take hold of it.`, { hint: 'Restart Tandem; meanwhile do the step by hand (H).' });
      }
      pages.set(c.id, page);
      return page;
    },
    async close(): Promise<void> {
      pages.clear();
      const b = browser;
      browser = null;
      // Disconnects only: the views belong to the desktop app and close with its window.
      if (b) await b.then((x) => x.close()).catch(() => undefined);
    },
  };
}

/**
 * Chromium (and Electron) started with `--remote-debugging-port=0` pick a free port and write it, with the browser's
 * path, to DevToolsActivePort in the user-data folder.
 */
export function readDevToolsActivePort(userDataDir: string): string {
  let text: string;
  try {
    text = readFileSync(join(userDataDir, 'DevToolsActivePort'), 'utf8');
  } catch (err) {
    throw new TandemError('connector_unreachable', 'The embedded browser has not published its debugging port yet.', { hint: 'Restart Tandem.', cause: err });
  }
  const [port] = text.split('\n');
  if (!port || !/^\d+$/.test(port.trim())) throw new TandemError('connector_unreachable', 'The embedded browser published an unreadable debugging port.', { hint: 'Restart Tandem.' });
  return `http://127.0.0.1:${port.trim()}`;
}

function escape(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}
