/**
 * A minimal browser in Node for driving single sign-on by hand: a cookie jar (cookies are per host,
 * not per port, as in browsers; paths and deletions honoured), redirects followed one at a time so
 * a test can stop at Parley's callback and tamper with it, and the test provider's forms.
 */
import { TEST_PROVIDER_PASSWORD, type TestLogin } from './accounts.js';

interface Cookie {
  value: string;
  path: string;
}

export class NodeBrowser {
  readonly #jar = new Map<string, Cookie>();

  /** The value of a cookie in the jar. */
  cookie(name: string): string | undefined {
    return this.#jar.get(name)?.value;
  }

  /** `Cookie:` header for Parley's API helpers (the session cookie, if any). */
  sessionCookie(): string | undefined {
    const value = this.cookie('parley_session');
    return value ? `parley_session=${value}` : undefined;
  }

  async request(url: string, init: { method?: string; form?: URLSearchParams } = {}): Promise<Response> {
    const target = new URL(url);
    const cookies = [...this.#jar].filter(([, c]) => target.pathname === c.path || target.pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`));
    const res = await fetch(target, {
      method: init.method ?? (init.form ? 'POST' : 'GET'),
      redirect: 'manual',
      headers: cookies.length > 0 ? { cookie: cookies.map(([name, c]) => `${name}=${c.value}`).join('; ') } : {},
      ...(init.form ? { body: init.form } : {}),
    });
    for (const header of res.headers.getSetCookie()) this.#store(header);
    return res;
  }

  #store(header: string): void {
    const [pair = '', ...attributes] = header.split(';').map((part) => part.trim());
    const eq = pair.indexOf('=');
    if (eq <= 0) return;
    const name = pair.slice(0, eq);
    const value = pair.slice(eq + 1);
    let path = '/';
    let expired = value === '';
    for (const attribute of attributes) {
      const [key = '', val = ''] = attribute.split('=');
      if (key.toLowerCase() === 'path') path = val || '/';
      if (key.toLowerCase() === 'max-age' && Number(val) <= 0) expired = true;
      if (key.toLowerCase() === 'expires' && Date.parse(val) <= Date.now()) expired = true;
    }
    if (expired) this.#jar.delete(name);
    else this.#jar.set(name, { value, path });
  }
}

export function locationOf(res: Response, base: string): string {
  const location = res.headers.get('location');
  if (!location) throw new Error(`expected a redirect, got HTTP ${res.status}`);
  return new URL(location, base).href;
}

/**
 * Goes through a provider's login and consent pages as `login`, from an authorization URL, and
 * returns the URL the provider sends the browser back to at Parley (unvisited). `deny`: refuses consent.
 */
export async function throughProvider(browser: NodeBrowser, authorizeUrl: string, parleyUrl: string, login: TestLogin, options: { deny?: boolean } = {}): Promise<string> {
  let url = authorizeUrl;
  for (let hop = 0; hop < 20; hop += 1) {
    if (url.startsWith(`${parleyUrl}/`)) return url;
    const res = await browser.request(url);
    if (res.status >= 300 && res.status < 400) {
      url = locationOf(res, url);
      continue;
    }
    const html = await res.text();
    if (res.status !== 200) throw new Error(`provider: HTTP ${res.status} ${html}`);
    const actions = [...html.matchAll(/<form method="post" action="([^"]+)"/g)].map((m) => m[1] ?? '');
    const action = actions.find((a) => a.endsWith('/login')) ?? actions.find((a) => a.endsWith(options.deny ? '/abort' : '/confirm'));
    if (!action) throw new Error(`provider page without the expected form: ${html}`);
    const form = action.endsWith('/login') ? new URLSearchParams({ login, password: TEST_PROVIDER_PASSWORD }) : new URLSearchParams();
    const posted = await browser.request(new URL(action, url).href, { form });
    url = locationOf(posted, url);
  }
  throw new Error('too many redirects at the provider');
}

/** Starts a single sign-on at Parley and goes through the provider as `login`; returns Parley's callback URL, unvisited. */
export async function signInAtProvider(browser: NodeBrowser, parleyUrl: string, login: TestLogin, next?: string): Promise<string> {
  const start = await browser.request(`${parleyUrl}/api/auth/oidc/start${next ? `?next=${encodeURIComponent(next)}` : ''}`);
  if (start.status !== 302) throw new Error(`start: HTTP ${start.status} ${await start.text()}`);
  return throughProvider(browser, locationOf(start, parleyUrl), parleyUrl, login);
}
