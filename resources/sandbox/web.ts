// Shared pieces of the sandbox's web-only systems: a page layout, a login with session cookie and CSRF token, and the session check.
import { randomBytes } from 'node:crypto';
import { escapeHtml, html, redirect, type Reply, type Request, type Router } from './kit.ts';

export interface Session {
  id: string;
  user: string;
  csrf: string;
  requests: number;
}

export function page(app: string, title: string, body: string, session?: Session): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} · ${escapeHtml(app)}</title>
<style>
body{font-family:system-ui,sans-serif;margin:0;background:#f4f5f7;color:#1f2430}
header{background:#2d3a4a;color:#fff;padding:10px 20px;display:flex;gap:16px;align-items:center}
header a{color:#dfe6ef} main{padding:20px;max-width:980px}
table{border-collapse:collapse;background:#fff;width:100%} td,th{border-bottom:1px solid #e3e6ea;padding:6px 10px;text-align:left}
form{background:#fff;padding:14px;border-radius:6px;margin:12px 0;display:flex;flex-direction:column;gap:8px;max-width:520px}
label{display:flex;flex-direction:column;gap:4px;font-size:14px} input,select,textarea{font:inherit;padding:6px}
.error{color:#b42318;background:#fde7e5;padding:8px;border-radius:4px} .ok{color:#137a4b;background:#e3f5ec;padding:8px;border-radius:4px}
.notes li{margin:6px 0}
</style></head><body><header><strong>${escapeHtml(app)}</strong>${session ? `<span>Signed in as ${escapeHtml(session.user)}</span><form method="post" action="/logout" style="all:unset"><input type="hidden" name="csrf" value="${session.csrf}"><button type="submit">Sign out</button></form>` : ''}</header><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`;
}

export function createSessions(app: string, users: Record<string, string>, opts: { expireEvery?: number; oneTimeCode?: readonly string[] } = {}) {
  const sessions = new Map<string, Session>();
  // Sign-ins waiting for a one-time code (2FA), by challenge id; the code is what the user's phone would show.
  const challenges = new Map<string, { user: string; code: string; next: string; tries: number }>();
  const latestCode = new Map<string, string>();
  const needsCode = new Set(opts.oneTimeCode ?? []);
  const cookie = `${app.toLowerCase().replace(/\W+/g, '_')}_session`;

  function current(req: Request): Session | null {
    const s = sessions.get(req.cookies[cookie] ?? '');
    return s ?? null;
  }

  /** The session for an authenticated page, or the redirect to log in (and, every Nth request, a forced expiry). */
  function require(req: Request): Session | Reply {
    const s = current(req);
    const back = encodeURIComponent(req.path + (req.query.size ? `?${req.query.toString()}` : ''));
    if (!s) return redirect(`/login?next=${back}`);
    s.requests++;
    if (opts.expireEvery && s.requests % opts.expireEvery === 0) {
      sessions.delete(s.id);
      return redirect(`/login?expired=1&next=${back}`);
    }
    if (req.method === 'POST' && req.body.csrf !== s.csrf) return html(403, page(app, 'Forbidden', '<p class="error">The form expired or did not come from this site (CSRF token missing or wrong). Reload the page and try again.</p>', s));
    return s;
  }

  function mount(router: Router): void {
    router
      .on('GET', '/login', (req) => {
        const expired = req.query.get('expired') ? '<p class="error" role="alert">Your session expired. Please sign in again.</p>' : '';
        const failed = req.query.get('failed') ? '<p class="error" role="alert">Wrong username or password.</p>' : '';
        const next = escapeHtml(req.query.get('next') ?? '/');
        return html(200, page(app, 'Sign in', `${expired}${failed}<form method="post" action="/login"><input type="hidden" name="next" value="${next}">
<label>Username <input name="username" autocomplete="username" required></label>
<label>Password <input name="password" type="password" autocomplete="current-password" required></label>
<button type="submit">Sign in</button></form>`));
      })
      .on('POST', '/login', (req) => {
        const username = String(req.body.username ?? '');
        const next = String(req.body.next ?? '/');
        const safeNext = next.startsWith('/') && !next.startsWith('//') ? next : '/';
        if (users[username] === undefined || users[username] !== String(req.body.password ?? '')) return redirect(`/login?failed=1&next=${encodeURIComponent(safeNext)}`);
        if (needsCode.has(username)) {
          const challenge = randomBytes(12).toString('hex');
          const code = String(randomBytes(4).readUInt32BE() % 1_000_000).padStart(6, '0');
          challenges.set(challenge, { user: username, code, next: safeNext, tries: 0 });
          latestCode.set(username, code);
          return redirect(`/login/code?challenge=${challenge}`);
        }
        return startSession(username, safeNext);
      })
      .on('GET', '/login/code', (req) => {
        const challenge = req.query.get('challenge') ?? '';
        if (!challenges.has(challenge)) return redirect('/login');
        const failed = req.query.get('failed') ? '<p class="error" role="alert">That code is not right. Try again.</p>' : '';
        return html(200, page(app, 'Two-step verification', `${failed}<p>Enter the 6-digit code from your authenticator app.</p><form method="post" action="/login/code"><input type="hidden" name="challenge" value="${escapeHtml(challenge)}">
<label>One-time code <input name="code" inputmode="numeric" autocomplete="one-time-code" required></label>
<button type="submit">Verify</button></form>`));
      })
      .on('POST', '/login/code', (req) => {
        const challenge = String(req.body.challenge ?? '');
        const c = challenges.get(challenge);
        if (!c) return redirect('/login?failed=1');
        if (String(req.body.code ?? '').trim() !== c.code) {
          c.tries++;
          if (c.tries >= 5) {
            challenges.delete(challenge);
            return redirect(`/login?failed=1&next=${encodeURIComponent(c.next)}`);
          }
          return redirect(`/login/code?challenge=${challenge}&failed=1`);
        }
        challenges.delete(challenge);
        return startSession(c.user, c.next);
      })
      .on('POST', '/logout', (req) => {
        const s = current(req);
        if (s) sessions.delete(s.id);
        return redirect('/login', { 'set-cookie': `${cookie}=; Max-Age=0; Path=/` });
      });
  }

  function startSession(username: string, next: string): Reply {
    const s: Session = { id: randomBytes(18).toString('hex'), user: username, csrf: randomBytes(18).toString('hex'), requests: 0 };
    sessions.set(s.id, s);
    return redirect(next, { 'set-cookie': `${cookie}=${s.id}; HttpOnly; SameSite=Lax; Path=/` });
  }

  return {
    require,
    mount,
    current,
    /** The code the user's authenticator would show for their latest sign-in (the demo's stand-in for a phone). */
    latestCode: (user: string) => latestCode.get(user),
    /** Ends every session, as an admin or a timeout would. */
    endAll: () => sessions.clear(),
  };
}

export const isReply = (x: Session | Reply): x is Reply => 'status' in x;
