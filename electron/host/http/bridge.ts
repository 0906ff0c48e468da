import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { AppErrorData, ErrorCode } from '../../../shared/api/errors';
import type { EventBus } from '../../core/app/event-bus';
import type { Logger } from '../../core/log/logger';
import { pipeline } from 'node:stream/promises';
import { CONTENT_SECURITY_POLICY } from '../content-security-policy';
import type { HandlerRegistry } from '../registry';

const STATUS_FOR: Partial<Record<ErrorCode, number>> = {
  VALIDATION: 400,
  AUTH: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  IMPORT_FORMAT: 422,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
};

export interface BridgeOptions {
  registry: HandlerRegistry;
  events: EventBus;
  logger: Logger;
  /** Built renderer (index.html and assets); when absent, / explains how to build it. */
  staticDir?: string;
  port?: number;
  /** Fixed token for tests; a random one per launch otherwise. */
  token?: string;
  heartbeatMs?: number;
  /** Browser mode's stand-in for file paths: dropped files are streamed here, then imported by path. */
  uploadDir?: string;
}

/** A registered route, for the route-table test: every `api` route sits behind the authentication hook. */
export interface BridgeRoute {
  method: string;
  url: string;
  /** `api`: registered inside the authenticated API scope; `public`: a built file of the renderer. */
  scope: 'api' | 'public';
}

export interface Bridge {
  url: string;
  /** The URL to open: carries the token once; the renderer moves it out of the address bar. */
  launchUrl: string;
  token: string;
  port: number;
  /** Every route the server registered (exposed for tests that walk the route table). */
  routes: readonly BridgeRoute[];
  close(): Promise<void>;
}

/** Marks the API scope; routes registered in it (or in plugins below it) carry its hooks. */
const API_SCOPE = Symbol('valdrix.bridge.apiScope');

/**
 * Browser mode: the contract over loopback HTTP. Listens on 127.0.0.1 only. Every request needs a
 * Host of this server (against DNS rebinding). The API routes live in one encapsulated scope whose
 * hook runs on whatever route the router matched, however its URL was spelled, and demands the
 * per-launch bearer token, an Origin of this server when one is sent and no cross-site fetch.
 * Anything else that is not a built file of the renderer is a 404 carrying no data.
 */
export async function startBridge(options: BridgeOptions): Promise<Bridge> {
  const token = options.token ?? crypto.randomBytes(32).toString('base64url');
  const tokenBuffer = Buffer.from(token);
  const logger = options.logger.child({ component: 'bridge' });
  const app = Fastify({
    logger: false,
    bodyLimit: 1024 * 1024,
    return503OnClosing: true,
    forceCloseConnections: true,
    // One spelling per route, on purpose: the renderer builds every URL itself, so nothing needs the
    // router to fold case, doubled or trailing slashes (nor to read ";" as a query, which is off by
    // default). Each folding would only add spellings that reach a route. Authentication does not rely
    // on this (it is a hook on the matched route), but fewer spellings keep what can be attacked, and
    // tested, small.
    routerOptions: { caseSensitive: true, ignoreDuplicateSlashes: false, ignoreTrailingSlash: false },
  });
  let port = 0;
  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const allowedOrigins = () => new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);

  const refuse = (reply: FastifyReply, code: ErrorCode, message: string) =>
    reply.code(STATUS_FOR[code] ?? 500).send({ ok: false, error: { code, message } satisfies AppErrorData });

  const routes: BridgeRoute[] = [];
  app.addHook('onRoute', function (route) {
    const scope = this.hasDecorator(API_SCOPE) ? 'api' : 'public';
    for (const method of [route.method].flat()) routes.push({ method, url: route.url, scope });
  });

  // Global: security headers, and the Host check for every request, files included.
  app.addHook('onRequest', async (request, reply) => {
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'no-referrer');
    reply.header('Cache-Control', 'no-store');
    if (!allowedHosts().has(request.headers.host ?? '')) {
      logger.warn({ host: request.headers.host }, 'request with a foreign Host refused');
      return refuse(reply, 'FORBIDDEN', 'unexpected Host header');
    }
  });

  app.setErrorHandler((error: { statusCode?: number; message: string }, _request, reply) => {
    const status = error.statusCode ?? 500;
    if (status >= 500) logger.error({ err: error }, 'bridge error');
    const code: ErrorCode =
      status === 413 ? 'VALIDATION' : status === 415 ? 'VALIDATION' : status < 500 ? 'VALIDATION' : 'INTERNAL';
    const message = status === 400 ? `malformed request body: ${error.message}` : error.message;
    return reply.code(status).send({ ok: false, error: { code, message } });
  });

  // Deny by default: whatever no route matched (another spelling, another method, a missing file).
  app.setNotFoundHandler((_request, reply) => refuse(reply, 'NOT_FOUND', 'not found'));

  await app.register(
    async (api) => {
      api.decorate(API_SCOPE, true);
      // Registered on the scope, so Fastify runs it on every route of the scope after routing: the
      // decision follows the route that was matched, never the text of the URL.
      api.addHook('onRequest', async (request, reply) => {
        const origin = request.headers.origin;
        if (origin !== undefined && !allowedOrigins().has(origin)) {
          logger.warn({ origin }, 'cross-origin request refused');
          return refuse(reply, 'FORBIDDEN', 'cross-origin requests are not allowed');
        }
        // The app's own fetches are same-origin; a browser marks anything else (another site, another
        // port of this machine, a typed URL) and is refused even when it somehow holds the token.
        const site = request.headers['sec-fetch-site'];
        if (site !== undefined && site !== 'same-origin')
          return refuse(reply, 'FORBIDDEN', 'cross-site requests are not allowed');
        if (!hasToken(request, tokenBuffer)) return refuse(reply, 'AUTH', 'missing or wrong bridge token');
      });
      // A route on the scope's own prefix ("/" here) is added twice by Fastify and the second copy skips
      // onRoute: keep every API route below a named path so the route table stays complete.
      api.addHook('onRoute', (route) => {
        if (route.url === '/api' || route.url === '/api/') throw new Error('an API route needs a path below /api/');
      });
      registerApiRoutes(api, options, logger, refuse);
      // Unknown API paths and methods: authenticated first (a hook of this scope), then 404.
      api.all('/*', async (_request, reply) => refuse(reply, 'NOT_FOUND', 'no such API route'));
    },
    { prefix: '/api' },
  );

  const staticDir =
    options.staticDir && fs.existsSync(path.join(options.staticDir, 'index.html')) ? options.staticDir : null;
  if (staticDir) {
    // One route per built file, listed at start (wildcard: false), instead of a catch-all that would
    // look up any path on disk. The renderer keeps its screen in memory, so "/" is its only page:
    // there is no fallback to the app shell for other paths.
    await app.register(fastifyStatic, {
      root: staticDir,
      index: ['index.html'],
      wildcard: false,
      decorateReply: false,
      setHeaders: (res) => res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY),
    });
  } else {
    app.get('/', async (_request, reply) =>
      reply
        .code(503)
        .type('text/plain')
        .send('The Valdrix renderer is not built. Run "npm run build", then start again.'),
    );
  }

  await app.listen({ host: '127.0.0.1', port: options.port ?? 0 });
  const address = app.server.address();
  port = typeof address === 'object' && address ? address.port : 0;
  const url = `http://127.0.0.1:${port}`;
  logger.info({ url, staticDir }, 'browser bridge listening');
  return {
    url,
    launchUrl: `${url}/#token=${token}`,
    token,
    port,
    routes,
    close: async () => {
      options.events.emit('app.closing', { at: new Date().toISOString() });
      await app.close();
    },
  };
}

type Refuse = (reply: FastifyReply, code: ErrorCode, message: string) => FastifyReply;

/** The API's routes, relative to /api; only ever registered inside the authenticated scope. */
function registerApiRoutes(api: FastifyInstance, options: BridgeOptions, logger: Logger, refuse: Refuse) {
  api.post<{ Params: { channel: string } }>('/invoke/:channel', async (request, reply) => {
    const result = await options.registry.invoke(request.params.channel, request.body ?? {});
    return reply.code(result.ok ? 200 : (STATUS_FOR[result.error.code] ?? 500)).send(result);
  });

  // Uploads stream to disk: export files run to gigabytes, far past the JSON body limit. The parser
  // belongs to this scope only, and runs after the authentication hook.
  api.addContentTypeParser('application/octet-stream', (_request, payload, done) => done(null, payload));
  api.post<{ Querystring: { batch?: string; name?: string } }>('/upload', async (request, reply) => {
    if (!options.uploadDir) return refuse(reply, 'UNAVAILABLE', 'uploads are not enabled');
    const batch = request.query.batch ?? '';
    const name = request.query.name ?? '';
    if (!/^[A-Za-z0-9_-]{8,64}$/.test(batch))
      return refuse(reply, 'VALIDATION', 'batch: expected 8–64 letters, digits, - or _');
    const relative = safeRelativePath(name);
    if (!relative) return refuse(reply, 'VALIDATION', `name: not a usable file name: "${name.slice(0, 200)}"`);
    const target = path.join(options.uploadDir, batch, relative);
    await fs.promises.mkdir(path.dirname(target), { recursive: true });
    try {
      await pipeline(request.body as NodeJS.ReadableStream, fs.createWriteStream(target, { flags: 'wx' }));
    } catch (error) {
      // The earlier upload of the same name stays; a broken stream leaves no partial file.
      if ((error as NodeJS.ErrnoException).code === 'EEXIST')
        return refuse(reply, 'CONFLICT', `${relative} was already uploaded in this batch`);
      await fs.promises.rm(target, { force: true });
      throw error;
    }
    const { size } = await fs.promises.stat(target);
    logger.info({ target, size }, 'file uploaded');
    return reply.send({ ok: true, value: { path: target, folder: path.join(options.uploadDir, batch), size } });
  });

  api.get('/events', (request, reply) => {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Content-Type-Options': 'nosniff',
    });
    res.write(': connected\n\n');
    const unsubscribe = options.events.subscribe((envelope) => {
      res.write(`event: ${envelope.event}\ndata: ${JSON.stringify(envelope.payload)}\n\n`);
    });
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), options.heartbeatMs ?? 15_000);
    request.raw.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
    });
  });
}

function hasToken(request: FastifyRequest, expected: Buffer): boolean {
  const header = request.headers.authorization;
  if (typeof header !== 'string' || !header.startsWith('Bearer ')) return false;
  const given = Buffer.from(header.slice('Bearer '.length).trim());
  return given.length === expected.length && crypto.timingSafeEqual(given, expected);
}

/** A dropped file's name or folder-relative path, reduced to safe segments; null when nothing usable is left. */
export function safeRelativePath(name: string): string | null {
  const segments = name
    .split(/[\\/]+/)
    .map((segment) =>
      [...segment]
        // Control characters and the characters Windows forbids in names become "_".
        .map((char) => (char.charCodeAt(0) < 0x20 || '<>:"|?*'.includes(char) ? '_' : char))
        .join('')
        .trim(),
    )
    .filter((segment) => segment !== '' && segment !== '.' && segment !== '..');
  if (segments.length === 0 || segments.length > 20 || segments.some((segment) => segment.length > 200)) return null;
  return path.join(...segments);
}
