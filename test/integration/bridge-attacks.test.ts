/**
 * The browser bridge under attack: every API route, spelled every way a router or a proxy might
 * normalise it, sent byte for byte, with no token, a wrong token, another origin, another Host or a
 * cross-site fetch. Nothing may reach a handler, and no answer may carry data. Then a walk over the
 * route table proves every API route sits behind the authentication hook.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi, type MockInstance } from 'vitest';
import { fixedClock, parseAsOf } from '../../electron/core/app/clock';
import type { Workspace } from '../../electron/core/workspace/workspace';
import { startBrowserHost, type BrowserHost } from '../../electron/host/browser-host';
import type { BridgeRoute } from '../../electron/host/http/bridge';
import { HandlerRegistry } from '../../electron/host/registry';
import { channels } from '../../shared/api/contract';
import { DEMO_AS_OF, demoWorkspace, tempDir } from '../support/workspace';

const SHELL_MARKER = 'valdrix-app-shell-marker';

let workspace: Workspace;
let host: BrowserHost;
let port: number;
let token: string;
let staticDir: string;
let uploadDir: string;
let invoke: MockInstance<HandlerRegistry['invoke']>;
let subscribe: MockInstance;

beforeAll(async () => {
  workspace = demoWorkspace().workspace;
  // A built renderer, so that the static routes and any fallback are part of what is attacked.
  staticDir = tempDir('valdrix-attack-static-');
  fs.writeFileSync(path.join(staticDir, 'index.html'), `<!doctype html><title>${SHELL_MARKER}</title>`);
  fs.mkdirSync(path.join(staticDir, 'assets'));
  fs.writeFileSync(path.join(staticDir, 'assets', 'app.js'), 'console.log(1);');
  host = await startBrowserHost({ workspace, clock: fixedClock(parseAsOf(DEMO_AS_OF)), staticDir });
  port = host.bridge.port;
  token = host.bridge.token;
  uploadDir = path.join(workspace.paths.dir, 'uploads');
  invoke = vi.spyOn(HandlerRegistry.prototype, 'invoke');
  subscribe = vi.spyOn(host.events, 'subscribe');
});
afterAll(async () => {
  vi.restoreAllMocks();
  await host.close();
  workspace.close();
});

interface RawReply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * One request with the target sent exactly as given (http.request's `path` is not parsed or
 * normalised), every header under the test's control. An event stream is cut after its first bytes.
 */
function raw(method: string, target: string, headers: Record<string, string>, body?: string): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: target, headers, setHost: false, agent: false });
    const timer = setTimeout(() => req.destroy(new Error(`no answer to ${method} ${target}`)), 5_000);
    req.on('response', (res) => {
      let data = '';
      const finish = () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: data });
      };
      if (method === 'HEAD' || String(res.headers['content-type']).includes('event-stream')) {
        // No body to wait for, or one that never ends: the status and headers tell enough.
        req.destroy();
        finish();
        return;
      }
      res.on('data', (chunk: Buffer) => (data += chunk.toString()));
      res.on('end', finish);
      res.on('error', () => undefined);
    });
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    if (body !== undefined) req.write(body);
    req.end();
  });
}

interface ApiRoute {
  label: string;
  method: string;
  segments: string[];
  query?: string;
  contentType: string;
  body?: string;
}

const apiRoutes = (): ApiRoute[] => [
  ...channels.map((channel) => ({
    label: `invoke ${channel}`,
    method: 'POST',
    segments: ['api', 'invoke', channel],
    contentType: 'application/json',
    body: '{}',
  })),
  { label: 'events', method: 'GET', segments: ['api', 'events'], contentType: 'application/json' },
  {
    label: 'upload',
    method: 'POST',
    segments: ['api', 'upload'],
    query: 'batch=attack0001&name=attack.csv',
    contentType: 'application/octet-stream',
    body: 'BilledCost\n1\n',
  },
];

const hex = (char: string) => `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;
const encodeFirst = (segment: string) => `%${segment.charCodeAt(0).toString(16)}${segment.slice(1)}`;
const encodeAll = (segment: string) => [...segment].map(hex).join('');

/** The path part of every spelling of a route; `tail` goes after the query string. */
function spellings(segments: string[]): { label: string; path: string; tail?: string }[] {
  const [, ...rest] = segments;
  const last = segments.at(-1)!;
  const allButLast = segments.slice(0, -1);
  const join = (parts: string[]) => `/${parts.join('/')}`;
  return [
    { label: 'plain', path: join(segments) },
    { label: 'encoded first letter', path: join([encodeFirst('api'), ...rest]) },
    { label: 'encoded second segment', path: join(['api', encodeFirst(rest[0]!), ...rest.slice(1)]) },
    { label: 'encoded last segment', path: join([...allButLast, encodeFirst(last)]) },
    { label: 'fully encoded', path: join(segments.map(encodeAll)) },
    { label: 'encoded slashes', path: `/${segments.join('%2F')}` },
    { label: 'encoded slashes, lower case', path: `/${segments.join('%2f')}` },
    { label: 'leading double slash', path: `/${join(segments)}` },
    { label: 'double slash inside', path: `/api//${rest.join('/')}` },
    { label: 'double slash before the last segment', path: `${join(allButLast)}//${last}` },
    { label: 'leading dot segment', path: `/.${join(segments)}` },
    { label: 'climbing back', path: `/x/..${join(segments)}` },
    { label: 'dot segment inside', path: `/api/./${rest.join('/')}` },
    { label: 'climbing back inside', path: `/api/x/../${rest.join('/')}` },
    { label: 'encoded dot segment', path: `/%2e${join(segments)}` },
    { label: 'encoded climb', path: `/x/%2e%2e${join(segments)}` },
    { label: 'upper case', path: join(segments.map((s) => s.toUpperCase())) },
    { label: 'mixed case', path: join(['Api', ...rest]) },
    { label: 'upper case second segment', path: join(['api', rest[0]!.toUpperCase(), ...rest.slice(1)]) },
    { label: 'trailing slash', path: `${join(segments)}/` },
    { label: 'backslashes', path: `/${segments.join('\\')}` },
    { label: 'semicolon parameter', path: `${join(segments)};x=1` },
    { label: 'encoded NUL', path: `${join(segments)}%00` },
    { label: 'query string', path: join(segments), tail: '' },
    { label: 'fragment', path: join(segments), tail: '#frag' },
    { label: 'absolute form', path: `http://127.0.0.1:${port}${join(segments)}` },
    { label: 'absolute form, foreign host', path: `http://evil.example${join(segments)}` },
  ];
}

/** Ways of asking without the right to: each must be refused whatever the spelling. */
function attackers(): { label: string; headers: Record<string, string>; query?: string }[] {
  const auth = `Bearer ${token}`;
  const wrong = `Bearer ${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
  const local = `127.0.0.1:${port}`;
  return [
    { label: 'no token', headers: { host: local } },
    { label: 'wrong token', headers: { host: local, authorization: wrong } },
    { label: 'token in the query string', headers: { host: local }, query: `token=${token}` },
    { label: 'token without "Bearer"', headers: { host: local, authorization: token } },
    { label: 'foreign Origin', headers: { host: local, authorization: auth, origin: 'https://evil.example' } },
    { label: 'null Origin', headers: { host: local, authorization: auth, origin: 'null' } },
    {
      label: 'Origin of another local port',
      headers: { host: local, authorization: auth, origin: 'http://127.0.0.1:1' },
    },
    { label: 'foreign Host', headers: { host: 'evil.example', authorization: auth } },
    { label: 'rebinding Host with our port', headers: { host: `evil.example:${port}`, authorization: auth } },
    { label: 'no Host', headers: { authorization: auth } },
    { label: 'cross-site fetch', headers: { host: local, authorization: auth, 'sec-fetch-site': 'cross-site' } },
    { label: 'same-site fetch', headers: { host: local, authorization: auth, 'sec-fetch-site': 'same-site' } },
  ];
}

function target(spelling: { path: string; tail?: string }, ...queries: (string | undefined)[]): string {
  const query = queries.filter(Boolean).join('&');
  const extra = spelling.tail === '' ? 'q=1' : '';
  const all = [query, extra].filter(Boolean).join('&');
  return `${spelling.path}${all ? `?${all}` : ''}${spelling.tail ?? ''}`;
}

/** What a refusal may look like: a refusing status, no handler run, no data in the body. */
function refusalProblem(reply: RawReply): string | null {
  if (![400, 401, 403, 404].includes(reply.status)) return `HTTP ${reply.status}`;
  if (reply.body.includes('"ok":true')) return 'a successful envelope';
  if (reply.body.includes(SHELL_MARKER)) return 'the app shell';
  if (reply.body.includes(workspace.paths.dir)) return 'the workspace path';
  if (String(reply.headers['content-type']).includes('event-stream')) return 'an event stream';
  return null;
}

function uploadedFiles(): string[] {
  if (!fs.existsSync(uploadDir)) return [];
  return fs.readdirSync(uploadDir, { recursive: true, encoding: 'utf8' });
}

describe('browser bridge under attack', () => {
  it('the plain spelling with the token works (so the matrix below is not vacuous)', async () => {
    const auth = { host: `127.0.0.1:${port}`, authorization: `Bearer ${token}` };
    invoke.mockClear();
    subscribe.mockClear();
    const info = await raw('POST', '/api/invoke/app.info', { ...auth, 'content-type': 'application/json' }, '{}');
    expect(info.status).toBe(200);
    expect(invoke).toHaveBeenCalledTimes(1);
    const events = await raw('GET', '/api/events', auth);
    expect(events.status).toBe(200);
    expect(subscribe).toHaveBeenCalledTimes(1);
    // Same-origin fetches from the app itself carry these headers and pass.
    const browserLike = await raw(
      'POST',
      '/api/invoke/app.info',
      {
        ...auth,
        'content-type': 'application/json',
        origin: `http://127.0.0.1:${port}`,
        'sec-fetch-site': 'same-origin',
      },
      '{}',
    );
    expect(browserLike.status).toBe(200);
  });

  it('no spelling of any API route reaches a handler without the token, the Host and the Origin', async () => {
    invoke.mockClear();
    subscribe.mockClear();
    const before = uploadedFiles();
    const failures: string[] = [];
    let sent = 0;
    for (const route of apiRoutes()) {
      for (const spelling of spellings(route.segments)) {
        for (const attacker of attackers()) {
          const url = target(spelling, route.query, attacker.query);
          const headers = { ...attacker.headers, 'content-type': route.contentType };
          const calls = invoke.mock.calls.length + subscribe.mock.calls.length;
          let problem: string | null;
          try {
            const reply = await raw(route.method, url, headers, route.body);
            problem = refusalProblem(reply);
          } catch (error) {
            problem = `no answer (${(error as Error).message})`;
          }
          sent++;
          if (invoke.mock.calls.length + subscribe.mock.calls.length > calls) problem = 'reached a handler';
          if (problem) failures.push(`${route.label} | ${spelling.label} | ${attacker.label}: ${problem} (${url})`);
        }
      }
    }
    const bySpelling = new Map<string, number>();
    for (const failure of failures) {
      const spelling = failure.split(' | ')[1]!;
      bySpelling.set(spelling, (bySpelling.get(spelling) ?? 0) + 1);
    }
    const summary = [...bySpelling].map(([spelling, count]) => `${spelling}: ${count}`).join('; ');
    expect(failures.slice(0, 40), `${failures.length} of ${sent} requests got through (${summary})`).toEqual([]);
    expect(sent).toBeGreaterThan(8000);
    expect(invoke).not.toHaveBeenCalled();
    expect(subscribe).not.toHaveBeenCalled();
    expect(uploadedFiles()).toEqual(before);
  });

  it('other methods on API paths are refused the same way', async () => {
    invoke.mockClear();
    const failures: string[] = [];
    for (const route of apiRoutes().filter((r) => ['invoke app.info', 'events', 'upload'].includes(r.label))) {
      for (const method of ['GET', 'HEAD', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'POST']) {
        if (method === route.method) continue;
        for (const spelling of spellings(route.segments).slice(0, 6)) {
          const url = target(spelling, route.query);
          let problem: string | null;
          try {
            problem = refusalProblem(
              await raw(method, url, { host: `127.0.0.1:${port}`, 'content-type': route.contentType }),
            );
          } catch (error) {
            problem = `no answer (${(error as Error).message})`;
          }
          if (problem) failures.push(`${method} ${url}: ${problem}`);
        }
      }
    }
    expect(invoke).not.toHaveBeenCalled();
    expect(failures).toEqual([]);
  });

  it('paths that are neither a built file nor an API route are denied with no data', async () => {
    const local = { host: `127.0.0.1:${port}` };
    const denied = [
      ['GET', '/etc/passwd'],
      ['GET', '/../../../../etc/passwd'],
      ['GET', '/%2e%2e/%2e%2e/%2e%2e/etc/passwd'],
      ['GET', '/assets/..%2f..%2f..%2fetc%2fpasswd'],
      ['GET', '/.env'],
      ['GET', '/api'],
      ['GET', '/api/'],
      ['GET', '/API/events'],
      ['GET', '//api/events'],
      ['GET', '/favicon.ico'],
      ['GET', '/index.html/x'],
      ['POST', '/'],
      ['POST', '/index.html'],
      ['PUT', '/assets/app.js'],
      ['POST', '/settings'],
    ] as const;
    const failures: string[] = [];
    for (const [method, url] of denied) {
      const reply = await raw(method, url, local);
      if (![401, 403, 404].includes(reply.status) || reply.body.includes(SHELL_MARKER) || reply.body.includes('root:'))
        failures.push(`${method} ${url}: HTTP ${reply.status} ${reply.body.slice(0, 60)}`);
    }
    expect(failures).toEqual([]);
    // The built files themselves are served, with the CSP on the page.
    const page = await raw('GET', '/', local);
    expect(page.status).toBe(200);
    expect(page.body).toContain(SHELL_MARKER);
    expect(page.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect((await raw('GET', '/assets/app.js', local)).status).toBe(200);
    // Even the static files need this server's Host (DNS rebinding).
    expect((await raw('GET', '/', { host: 'evil.example' })).status).toBe(403);
  });

  it('every API route in the route table sits behind the authentication hook', async () => {
    const routes: readonly BridgeRoute[] = host.bridge.routes;
    expect(routes.length).toBeGreaterThan(0);
    const key = (r: BridgeRoute) => `${r.method} ${r.url}`;
    expect(routes.map(key)).toEqual(
      expect.arrayContaining(['POST /api/invoke/:channel', 'GET /api/events', 'POST /api/upload']),
    );
    // Anything that looks like an API path, in any case or encoding, belongs to the API scope.
    for (const route of routes) {
      const looksLikeApi = /^\/+api(\/|$)/i.test(decodeURIComponent(route.url));
      if (looksLikeApi) expect(route.scope, key(route)).toBe('api');
      if (route.scope !== 'api') {
        // Outside the API scope: only reads of built files.
        expect(['GET', 'HEAD'], key(route)).toContain(route.method);
        const file = route.url === '/' ? 'index.html' : route.url.slice(1);
        expect(fs.existsSync(path.join(staticDir, file)), key(route)).toBe(true);
      }
    }
    // Each API route, called without the token and then from another origin: refused, no handler run.
    invoke.mockClear();
    subscribe.mockClear();
    const local = `127.0.0.1:${port}`;
    const apiOnes = routes.filter((r) => r.scope === 'api');
    expect(apiOnes.length).toBeGreaterThanOrEqual(3);
    for (const route of apiOnes) {
      const concrete = route.url.replace(/:[A-Za-z]+/g, 'app.info').replace(/\*$/, 'anything');
      const anonymous = await raw(route.method, concrete, { host: local, 'content-type': 'application/json' });
      expect(anonymous.status, key(route)).toBe(401);
      const foreign = await raw(route.method, concrete, {
        host: local,
        authorization: `Bearer ${token}`,
        origin: 'https://evil.example',
        'content-type': 'application/json',
      });
      expect(foreign.status, key(route)).toBe(403);
    }
    expect(invoke).not.toHaveBeenCalled();
    expect(subscribe).not.toHaveBeenCalled();
  });
});
