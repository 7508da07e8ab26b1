// Electron main process: one window on the typed contract; every IPC input validated by the same dispatcher the HTTP host uses.
import { app as electronApp, BrowserWindow, dialog, ipcMain, shell } from 'electron';
import { join } from 'node:path';
import { openApp, type OpenedApp } from '../src/app/open-app.ts';
import type { App } from '../src/app/create-app.ts';
import { TandemError } from '../src/domain/errors.ts';
import { createEmbeddedBrowser, enableRemoteDebugging } from './embedded-browser.ts';

const INVOKE_CHANNEL = 'tandem:invoke';
const EVENT_CHANNEL = 'tandem:event';

let opened: OpenedApp | null = null;
let mainWindow: BrowserWindow | null = null;

// Browser steps drive views inside this window over CDP on loopback; the switch must be set before 'ready'.
enableRemoteDebugging();
const embedded = createEmbeddedBrowser(() => mainWindow);

function resourcesRoot(): string {
  // Packaged: electron-builder copies resources/ beside the app; in development it is the repository's.
  return electronApp.isPackaged ? process.resourcesPath : join(electronApp.getAppPath(), 'resources');
}

function startCore(): Promise<OpenedApp> {
  return openApp({
    dataDir: process.env.TANDEM_DATA_DIR ?? electronApp.getPath('userData'),
    workspaceDir: process.env.TANDEM_WORKSPACE ?? join(resourcesRoot(), 'demo-workspace'),
    host: 'electron',
    version: electronApp.getVersion(),
    migrationsDir: join(import.meta.dirname, 'migrations'),
    resourcesDir: resourcesRoot(),
    notice: (line) => console.warn(`Tandem: ${line}`),
    embedded,
    // The Export dialog's Save: a native save dialog over the main window; the core writes the file.
    chooseExportPath: async (suggestedName) => {
      const ext = suggestedName.endsWith('.csv') ? 'csv' : 'jsonl';
      const options = {
        title: 'Export the decisioning record',
        defaultPath: join(electronApp.getPath('downloads'), suggestedName),
        filters: [ext === 'csv' ? { name: 'CSV (spreadsheet)', extensions: ['csv'] } : { name: 'JSON Lines', extensions: ['jsonl'] }],
      };
      const result = mainWindow ? await dialog.showSaveDialog(mainWindow, options) : await dialog.showSaveDialog(options);
      return result.canceled || !result.filePath ? null : result.filePath;
    },
  });
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1360,
    height: 860,
    minWidth: 960,
    minHeight: 600,
    title: 'Tandem',
    show: false,
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  });
  win.once('ready-to-show', () => win.show());
  // Links to the outside open in the user's browser, never inside Tandem's privileged window.
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https?:/.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.webContents.on('will-navigate', (event, url) => {
    if (!url.startsWith(process.env.ELECTRON_RENDERER_URL ?? 'file://')) event.preventDefault();
  });
  // A screen with unsaved work (the map builder) cancels the page's unload; Electron would then refuse to close the
  // window without a word, so ask here, as a browser does.
  win.webContents.on('will-prevent-unload', (event) => {
    const choice = dialog.showMessageBoxSync(win, {
      type: 'question',
      buttons: ['Leave and drop the changes', 'Stay'],
      defaultId: 1,
      cancelId: 1,
      title: 'Unsaved changes',
      message: 'This screen has changes that are not saved.',
      detail: 'Leaving drops them. Stay to review and save them first.',
    });
    if (choice === 0) event.preventDefault();
  });
  if (process.env.ELECTRON_RENDERER_URL) void win.loadURL(process.env.ELECTRON_RENDERER_URL);
  else void win.loadFile(join(import.meta.dirname, '../renderer/index.html'));
  return win;
}

electronApp.whenReady().then(
  async () => {
    try {
      opened = await startCore();
    } catch (err) {
      const message = err instanceof TandemError ? `${err.message}\n\n${err.hint ?? ''}` : String(err);
      dialog.showErrorBox('Tandem cannot start', message);
      electronApp.exit(1);
      return;
    }
    const running: App = opened.app;
    ipcMain.handle(INVOKE_CHANNEL, (_event, name: unknown, input: unknown) => running.invoke(String(name), input));
    running.events.onAny((event, payload) => {
      for (const win of BrowserWindow.getAllWindows()) win.webContents.send(EVENT_CHANNEL, event, payload);
    });
    mainWindow = createWindow();
    electronApp.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) mainWindow = createWindow();
    });
  },
  (err: unknown) => {
    console.error('Tandem could not start Electron:', err);
    electronApp.exit(1);
  },
);

electronApp.on('window-all-closed', () => {
  if (process.platform !== 'darwin') electronApp.quit();
});

electronApp.on('will-quit', () => {
  void opened?.close();
  opened = null;
});
