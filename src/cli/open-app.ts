// The CLI's way into the app: the shared opening, with notices on stderr.
import { openApp as open, type OpenedApp } from '../app/open-app.ts';
import { write, type CliIo } from './args.ts';
import { packageVersion, type Locations } from './context.ts';

export type { OpenedApp } from '../app/open-app.ts';

export function openApp(where: Locations, io: CliIo, options: { quiet?: boolean } = {}): Promise<OpenedApp> {
  return open({ ...where, host: 'headless', version: packageVersion(), env: io.env, notice: (line) => (options.quiet && line.startsWith('keychain:') ? undefined : write(io.stderr, line)) });
}
