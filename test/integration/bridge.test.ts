import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock, parseAsOf } from '../../electron/core/app/clock';
import { startBrowserHost, type BrowserHost } from '../../electron/host/browser-host';
import { safeRelativePath } from '../../electron/host/http/bridge';
import type { Workspace } from '../../electron/core/workspace/workspace';
import { DEMO_AS_OF, demoWorkspace, tempDir } from '../support/workspace';

let workspace: Workspace;
let host: BrowserHost;
let origin: string;
let token: string;

beforeAll(async () => {
  workspace = demoWorkspace().workspace;
  host = await startBrowserHost({ workspace, clock: fixedClock(parseAsOf(DEMO_AS_OF)), staticDir: tempDir() });
  origin = host.bridge.url;
  token = host.bridge.token;
});
afterAll(async () => {
  await host.close();
  workspace.close();
});

interface Reply {
  status: number;
  body: unknown;
  headers: http.IncomingHttpHeaders;
}

/** Raw HTTP so tests control every header (fetch forbids setting Host and Origin). */
function request(
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${origin}${path}`,
      { method: options.method ?? 'POST', headers: { 'content-type': 'application/json', ...options.headers } },
      (res) => {
        let data = '';
        res.on('data', (chunk: Buffer) => (data += chunk.toString()));
        res.on('end', () => {
          let body: unknown = data;
          try {
            body = JSON.parse(data);
          } catch {
            // Plain text body.
          }
          resolve({ status: res.statusCode ?? 0, body, headers: res.headers });
        });
      },
    );
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

const auth = () => ({ authorization: `Bearer ${token}` });

describe('browser bridge', () => {
  it('listens on loopback only', () => {
    expect(origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(host.bridge.launchUrl).toBe(`${origin}/#token=${token}`);
    expect(token.length).toBeGreaterThanOrEqual(40);
  });

  it('serves a contract call with the token', async () => {
    const reply = await request('/api/invoke/app.info', { headers: auth(), body: '{}' });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ ok: true, value: { name: 'Valdrix', mode: 'browser', asOf: DEMO_AS_OF } });
  });

  it('rejects a request without the token', async () => {
    const reply = await request('/api/invoke/app.info', { body: '{}' });
    expect(reply.status).toBe(401);
    expect(reply.body).toEqual({ ok: false, error: { code: 'AUTH', message: 'missing or wrong bridge token' } });
  });

  it('rejects a wrong token of the same length', async () => {
    const wrong = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
    const reply = await request('/api/invoke/app.info', { headers: { authorization: `Bearer ${wrong}` }, body: '{}' });
    expect(reply.status).toBe(401);
  });

  it('rejects a request from another origin even with the token', async () => {
    const reply = await request('/api/invoke/app.info', {
      headers: { ...auth(), origin: 'https://evil.example' },
      body: '{}',
    });
    expect(reply.status).toBe(403);
    expect(reply.body).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('rejects a foreign Host header (DNS rebinding)', async () => {
    const reply = await request('/api/invoke/app.info', {
      headers: { ...auth(), host: 'attacker.example:80' },
      body: '{}',
    });
    expect(reply.status).toBe(403);
  });

  it('rejects payloads that fail the schema, naming the field, and keeps serving', async () => {
    const bad = await request('/api/invoke/overview.get', {
      headers: auth(),
      body: JSON.stringify({ groupBy: 'planet' }),
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect((bad.body as { error: { message: string } }).error.message).toMatch(/overview\.get: invalid input: groupBy/);

    const extra = await request('/api/invoke/overview.get', {
      headers: auth(),
      body: JSON.stringify({ __proto__x: 1, sql: 'DROP' }),
    });
    expect(extra.status).toBe(400);

    const malformed = await request('/api/invoke/overview.get', { headers: auth(), body: '{"groupBy": ' });
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });

    const huge = await request('/api/invoke/overview.get', {
      headers: auth(),
      body: JSON.stringify({ pad: 'x'.repeat(2_000_000) }),
    });
    expect(huge.status).toBe(413);

    const unknown = await request('/api/invoke/costs.dropAll', { headers: auth(), body: '{}' });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });

    const good = await request('/api/invoke/overview.get', {
      headers: auth(),
      body: JSON.stringify({ groupBy: 'service' }),
    });
    expect(good.status).toBe(200);
    expect(good.body).toMatchObject({ ok: true, value: { daily: { groupBy: 'service' } } });
  });

  it('refuses the event stream without the token and pushes events with it', async () => {
    const denied = await request('/api/events', { method: 'GET' });
    expect(denied.status).toBe(401);

    const received = await new Promise<string>((resolve, reject) => {
      const req = http.get(`${origin}/api/events`, { headers: auth() }, (res) => {
        expect(res.statusCode).toBe(200);
        expect(res.headers['content-type']).toMatch(/text\/event-stream/);
        let data = '';
        res.on('data', (chunk: Buffer) => {
          data += chunk.toString();
          if (data.includes('data.changed')) {
            req.destroy();
            resolve(data);
          }
        });
        setTimeout(() => host.events.emit('data.changed', { reason: 'test', at: '2026-11-21T00:00:00Z' }), 50);
      });
      req.on('error', (error) => ((error as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(error)));
    });
    expect(received).toContain('event: data.changed\ndata: {"reason":"test","at":"2026-11-21T00:00:00Z"}');
  });

  it('pushes an audit.appended event when a user action is recorded', async () => {
    const received = await new Promise<string>((resolve, reject) => {
      const req = http.get(`${origin}/api/events`, { headers: auth() }, (res) => {
        let data = '';
        res.on('data', (chunk: Buffer) => {
          data += chunk.toString();
          if (data.includes('event: audit.appended')) {
            req.destroy();
            resolve(data);
          }
        });
        void request('/api/invoke/jobs.start', {
          headers: auth(),
          body: JSON.stringify({ type: 'demo.long', payload: { steps: 1, stepMs: 0 } }),
        });
      });
      req.on('error', (error) => ((error as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(error)));
    });
    expect(received).toMatch(/event: audit\.appended\ndata: \{"seq":\d+,"action":"job\.started"\}/);
  });

  it('streams an uploaded file into the workspace and returns a path the importer accepts', async () => {
    const content =
      'BilledCost,ChargePeriodStart,BillingPeriodStart,ChargeCategory,BillingCurrency\n1.25,2026-11-01,2026-11-01,Usage,USD\n';
    const octet = { ...auth(), 'content-type': 'application/octet-stream' };
    const reply = await request('/api/upload?batch=batch0001&name=exports%2Fnov%2Ffocus.csv', {
      headers: octet,
      body: content,
    });
    expect(reply.status).toBe(200);
    const { path: uploaded } = (reply.body as { value: { path: string } }).value;
    expect(uploaded).toBe(path.join(workspace.paths.dir, 'uploads', 'batch0001', 'exports', 'nov', 'focus.csv'));
    expect(fs.readFileSync(uploaded, 'utf8')).toBe(content);
    const detected = await request('/api/invoke/imports.detect', {
      headers: auth(),
      body: JSON.stringify({ paths: [uploaded] }),
    });
    expect(detected.body).toMatchObject({ ok: true, value: [{ format: 'focus', error: null }] });
    // The same name twice in one batch is refused rather than overwritten.
    const again = await request('/api/upload?batch=batch0001&name=exports%2Fnov%2Ffocus.csv', {
      headers: octet,
      body: 'x',
    });
    expect(again.status).toBe(409);
    expect(fs.readFileSync(uploaded, 'utf8')).toBe(content);
  });

  it('refuses uploads without the token, with a bad batch, or with a name that climbs out of the folder', async () => {
    const octet = { 'content-type': 'application/octet-stream' };
    expect((await request('/api/upload?batch=batch0002&name=a.csv', { headers: octet, body: 'x' })).status).toBe(401);
    const badBatch = await request('/api/upload?batch=..%2F..&name=a.csv', {
      headers: { ...auth(), ...octet },
      body: 'x',
    });
    expect(badBatch.status).toBe(400);
    const climbing = await request('/api/upload?batch=batch0003&name=..%2F..%2F..%2Fevil.csv', {
      headers: { ...auth(), ...octet },
      body: 'x',
    });
    // ".." segments are dropped: the file lands inside the batch folder, never above it.
    expect(climbing.status).toBe(200);
    const { path: landed } = (climbing.body as { value: { path: string } }).value;
    expect(landed).toBe(path.join(workspace.paths.dir, 'uploads', 'batch0003', 'evil.csv'));
    expect(safeRelativePath('../..')).toBeNull();
    expect(safeRelativePath('a\u0000b/c:d.csv')).toBe(path.join('a_b', 'c_d.csv'));
  });

  it('explains an unbuilt renderer and sets security headers', async () => {
    const reply = await request('/', { method: 'GET' });
    expect(reply.status).toBe(503);
    expect(String(reply.body)).toMatch(/npm run build/);
    expect(reply.headers['x-content-type-options']).toBe('nosniff');
    expect(reply.headers['referrer-policy']).toBe('no-referrer');
  });
});
