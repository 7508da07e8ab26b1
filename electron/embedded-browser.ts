// The embedded browser: one WebContentsView per connector inside Tandem's window, each in its own persistent
// partition, driven by playwright-core over CDP on loopback (src/connectors/browser/cdp-host.ts) and visible to the
// associate, who can take over at any moment. Thin on purpose: everything testable lives in src/.
import { app as electronApp, BrowserWindow, WebContentsView, shell } from 'electron';
import { createCdpHost, placeholderUrl, readDevToolsActivePort } from '../src/connectors/browser/cdp-host.ts';
import type { BrowserViews } from '../src/app/create-app.ts';
import type { PageHost } from '../src/connectors/browser/browser-connector.ts';

/** Must run before the app is ready: Chromium opens its debugging port on loopback only, on a port it picks. */
export function enableRemoteDebugging(): void {
  electronApp.commandLine.appendSwitch('remote-debugging-address', '127.0.0.1');
  electronApp.commandLine.appendSwitch('remote-debugging-port', process.env.TANDEM_CDP_PORT ?? '0');
}

/** The share of the window the browser takes, on the right, when shown. */
const SHARE = 0.5;

export function createEmbeddedBrowser(window: () => BrowserWindow | null): { host: PageHost; views: BrowserViews } {
  const views = new Map<string, WebContentsView>();
  let shown: string | null = null;

  function layout(): void {
    const win = window();
    if (!win || !shown) return;
    const view = views.get(shown);
    if (!view) return;
    const [width, height] = win.getContentSize() as [number, number];
    const w = Math.round(width * SHARE);
    view.setBounds({ x: width - w, y: 0, width: w, height });
  }

  function bringForward(id: string): void {
    const win = window();
    const view = views.get(id);
    if (!win || !view) return;
    for (const [other, v] of views) if (other !== id) v.setVisible(false);
    win.contentView.addChildView(view); // adding again puts it on top
    view.setVisible(true);
    shown = id;
    layout();
  }

  function create(id: string, url: string): void {
    const win = window();
    if (!win) throw new Error('Tandem’s window is not open.');
    const view = new WebContentsView({
      webPreferences: { partition: `persist:tandem-connector-${id}`, sandbox: true, contextIsolation: true, nodeIntegration: false },
    });
    // Pop-ups open in the user's own browser, never as new privileged windows.
    view.webContents.setWindowOpenHandler(({ url: target }) => {
      if (/^https?:/.test(target)) void shell.openExternal(target);
      return { action: 'deny' };
    });
    views.set(id, view);
    win.on('resize', layout);
    void view.webContents.loadURL(url);
  }

  const embedder = {
    async show(id: string, _title: string, url: string): Promise<void> {
      // A url means playwright is looking for this view (first use, or the associate opened it before): load the marker.
      if (!views.has(id)) create(id, url);
      else if (url) void views.get(id)!.webContents.loadURL(url);
      bringForward(id);
    },
  };

  return {
    host: createCdpHost({ endpoint: () => readDevToolsActivePort(electronApp.getPath('userData')), embedder }),
    views: {
      async show(id, title) {
        // A connector never used yet gets its view now, showing what it is for until a step needs it.
        if (!views.has(id)) create(id, placeholderUrl(title, `tandem-view:${id}:shown`));
        bringForward(id);
      },
      hide() {
        if (shown) views.get(shown)?.setVisible(false);
        shown = null;
      },
      shown: () => shown,
    },
  };
}
