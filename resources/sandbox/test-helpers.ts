// Test helpers for the sandbox: a started sandbox per test and a tiny cookie-keeping browser for the web systems.
import { startSandbox, type Sandbox } from './index.ts';

export async function withSandbox(opts: Parameters<typeof startSandbox>[0] = {}): Promise<Sandbox> {
  return startSandbox({ slowMs: 0, sessionExpiryEvery: 0, ...opts });
}

/** Follows nothing by itself: each call returns status, location and body, and keeps cookies like a browser. */
export function webClient(base: string) {
  const jar = new Map<string, string>();
  async function request(method: string, path: string, form?: Record<string, string>) {
    const res = await fetch(new URL(path, base), {
      method,
      redirect: 'manual',
      headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '), ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      ...(form ? { body: new URLSearchParams(form).toString() } : {}),
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [k, v] = pair!.split('=');
      if (v) jar.set(k!, v);
      else jar.delete(k!);
    }
    return { status: res.status, location: res.headers.get('location'), body: await res.text() };
  }
  return {
    get: (path: string) => request('GET', path),
    post: (path: string, form: Record<string, string>) => request('POST', path, form),
    async login(username: string, password: string) {
      return request('POST', '/login', { username, password, next: '/' });
    },
    csrfOf: (html: string) => /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '',
  };
}
