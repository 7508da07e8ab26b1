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

export function createSessions(app: string, users: Record<string, string>, opts: { expireEvery?: number } = {}) {
  const sessions = new Map<string, Session>();
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
        const s: Session = { id: randomBytes(18).toString('hex'), user: username, csrf: randomBytes(18).toString('hex'), requests: 0 };
        sessions.set(s.id, s);
        return redirect(safeNext, { 'set-cookie': `${cookie}=${s.id}; HttpOnly; SameSite=Lax; Path=/` });
      })
      .on('POST', '/logout', (req) => {
        const s = current(req);
        if (s) sessions.delete(s.id);
        return redirect('/login', { 'set-cookie': `${cookie}=; Max-Age=0; Path=/` });
      });
  }

  return { require, mount, current };
}

export const isReply = (x: Session | Reply): x is Reply => 'status' in x;
