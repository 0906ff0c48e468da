/**
 * Browser mode imports only what the user chose: files uploaded through the bridge, and paths typed
 * and confirmed on the Import screen. Even with the token, imports.detect and imports.start refuse
 * anything else, whatever "..", symbolic link or missing file is used to get there, and detect never
 * hands back more of a file than a short, printable excerpt of its header.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock, parseAsOf } from '../../electron/core/app/clock';
import { EventBus } from '../../electron/core/app/event-bus';
import { createJobSystem } from '../../electron/core/jobs/system';
import { silentLogger } from '../../electron/core/log/logger';
import { createServices } from '../../electron/core/services';
import type { Workspace } from '../../electron/core/workspace/workspace';
import { startBrowserHost, type BrowserHost } from '../../electron/host/browser-host';
import { keychainSecretStore } from '../../electron/core/secrets/secret-store';
import { DEMO_AS_OF, demoWorkspace, tempDir } from '../support/workspace';

const FOCUS =
  'BilledCost,ChargePeriodStart,BillingPeriodStart,ChargeCategory,BillingCurrency\n1.25,2026-11-01,2026-11-01,Usage,USD\n';
const TO_DO = /choose the file on the Import screen or confirm its path/;

let workspace: Workspace;
let host: BrowserHost;
let uploads: string;
/** Files the user never chose: a secret beside the workspace and a FOCUS export elsewhere. */
let outside: string;
let secret: string;
let export_: string;

beforeAll(async () => {
  workspace = demoWorkspace().workspace;
  host = await startBrowserHost({ workspace, clock: fixedClock(parseAsOf(DEMO_AS_OF)), staticDir: tempDir() });
  uploads = path.join(workspace.paths.dir, 'uploads');
  outside = tempDir('valdrix-not-chosen-');
  secret = path.join(outside, 'secret.txt');
  fs.writeFileSync(secret, 'root:x:0:0:root:/root:/bin/bash\n');
  export_ = path.join(outside, 'focus.csv');
  fs.writeFileSync(export_, FOCUS);
});
afterAll(async () => {
  await host.close();
  workspace.close();
});

interface Reply {
  status: number;
  body: { ok: boolean; value?: unknown; error?: { code: string; message: string } };
  text: string;
}

function post(target: string, body: string, contentType = 'application/json'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${host.bridge.url}${target}`,
      { method: 'POST', headers: { 'content-type': contentType, authorization: `Bearer ${host.bridge.token}` } },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Reply['body'], text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const invoke = (channel: string, input: unknown) => post(`/api/invoke/${channel}`, JSON.stringify(input));

async function upload(batch: string, name: string, content: string): Promise<string> {
  const reply = await post(
    `/api/upload?batch=${batch}&name=${encodeURIComponent(name)}`,
    content,
    'application/octet-stream',
  );
  expect(reply.status).toBe(200);
  return (reply.body.value as { path: string }).path;
}

async function importJobs(): Promise<number> {
  const reply = await invoke('jobs.list', { type: 'costs.import' });
  return (reply.body.value as { jobs: unknown[] }).jobs.length;
}

function expectForbidden(reply: Reply, label: string) {
  expect(reply.status, label).toBe(403);
  expect(reply.body.error?.code, label).toBe('FORBIDDEN');
  expect(reply.body.error?.message, label).toMatch(TO_DO);
  expect(reply.text, label).not.toContain('root:x');
}

describe('browser mode reads only files the user chose', () => {
  it('refuses to detect or import a file that was neither uploaded nor confirmed, even with the token', async () => {
    const jobsBefore = await importJobs();
    for (const target of [secret, export_, outside, '/etc/passwd', workspace.paths.database]) {
      expectForbidden(await invoke('imports.detect', { paths: [target] }), `detect ${target}`);
      expectForbidden(await invoke('imports.start', { paths: [target] }), `start ${target}`);
    }
    // One path not chosen spoils the whole call.
    const chosen = await upload('paths0001', 'focus.csv', FOCUS);
    expectForbidden(await invoke('imports.detect', { paths: [chosen, secret] }), 'mixed');
    // Whether a path exists must not show either.
    expectForbidden(await invoke('imports.detect', { paths: [path.join(outside, 'missing.csv')] }), 'missing');
    expect(await importJobs()).toBe(jobsBefore);
  });

  it('"..", symbolic links and missing files cannot climb out of the upload folder', async () => {
    const uploaded = await upload('paths0002', 'nov/focus.csv', FOCUS);
    const batch = path.join(uploads, 'paths0002');
    const database = path.basename(workspace.paths.database);
    const attempts = [
      `${batch}/../../${database}`,
      `${uploads}/../${database}`,
      `${batch}/nov${'/..'.repeat(30)}${secret}`,
      `${batch}${'/..'.repeat(30)}/etc/passwd`,
    ];
    // Links made by someone with access to the folder: each resolves outside it.
    fs.symlinkSync(secret, path.join(batch, 'linked-secret.csv'));
    fs.symlinkSync(outside, path.join(batch, 'linked-folder'));
    attempts.push(path.join(batch, 'linked-secret.csv'), path.join(batch, 'linked-folder', 'focus.csv'));
    attempts.push(path.join(batch, 'linked-folder', 'missing', '..', 'focus.csv'));
    for (const attempt of attempts) {
      expectForbidden(await invoke('imports.detect', { paths: [attempt] }), `detect ${attempt}`);
      expectForbidden(await invoke('imports.start', { paths: [attempt] }), `start ${attempt}`);
    }
    // The upload itself, its folder and a missing file inside it are the user's: detect answers.
    const detected = await invoke('imports.detect', { paths: [uploaded] });
    expect(detected.body).toMatchObject({ ok: true, value: [{ format: 'focus', error: null }] });
    expect((await invoke('imports.detect', { paths: [path.join(batch, 'nov')] })).status).toBe(200);
    const missing = await invoke('imports.detect', { paths: [path.join(batch, 'nov', 'other.csv')] });
    expect(missing.body.error?.code).toBe('NOT_FOUND');
  });

  it('a path the user confirmed may be detected and imported, and the grant is audited', async () => {
    const folder = tempDir('valdrix-confirmed-');
    fs.mkdirSync(path.join(folder, 'oct'));
    fs.writeFileSync(path.join(folder, 'oct', 'focus.csv'), FOCUS);
    const single = tempDir('valdrix-confirmed-file-');
    const file = path.join(single, 'focus.csv');
    fs.writeFileSync(file, FOCUS);
    fs.writeFileSync(path.join(single, 'sibling.csv'), FOCUS);

    expectForbidden(await invoke('imports.detect', { paths: [path.join(folder, 'oct', 'focus.csv')] }), 'before');
    // The typed path goes through "..": the grant answers with the real path.
    const granted = await invoke('imports.grantPath', { path: `${folder}/oct/..` });
    expect(granted.status).toBe(200);
    expect(granted.body.value).toEqual({ path: fs.realpathSync(folder), kind: 'folder' });
    const audited = workspace.audit.list({ action: 'imports.path_granted' });
    expect(audited[0]).toMatchObject({
      action: 'imports.path_granted',
      entityType: 'path',
      entityId: fs.realpathSync(folder),
      details: { kind: 'folder', typed: `${folder}/oct/..` },
    });

    // A folder covers what is inside it.
    const detected = await invoke('imports.detect', { paths: [path.join(folder, 'oct', 'focus.csv')] });
    expect(detected.body).toMatchObject({ ok: true, value: [{ format: 'focus', error: null }] });
    expect((await invoke('imports.detect', { paths: [folder] })).status).toBe(200);
    const started = await invoke('imports.start', { paths: [path.join(folder, 'oct')] });
    expect(started.status).toBe(200);
    expect(started.body.value).toMatchObject({ type: 'costs.import' });
    // Not its parent or its neighbours.
    expectForbidden(await invoke('imports.detect', { paths: [path.dirname(folder)] }), 'parent');

    // A file covers itself only.
    expect((await invoke('imports.grantPath', { path: file })).body.value).toEqual({
      path: fs.realpathSync(file),
      kind: 'file',
    });
    expect((await invoke('imports.detect', { paths: [file] })).status).toBe(200);
    expectForbidden(await invoke('imports.detect', { paths: [path.join(single, 'sibling.csv')] }), 'sibling');
    expectForbidden(await invoke('imports.detect', { paths: [single] }), 'its folder');

    // A link inside a confirmed folder cannot lead out of it, though folder walks follow links.
    const linking = tempDir('valdrix-confirmed-links-');
    fs.writeFileSync(path.join(linking, 'focus.csv'), FOCUS);
    fs.symlinkSync(secret, path.join(linking, 'leak.csv'));
    expect((await invoke('imports.grantPath', { path: linking })).status).toBe(200);
    for (const channel of ['imports.detect', 'imports.start']) {
      const refused = await invoke(channel, { paths: [linking] });
      expectForbidden(refused, `${channel} through a link`);
      expect(refused.body.error?.message).toMatch(/leak\.csv leads outside the files and folders chosen/);
    }
  });

  it('refuses to grant what is missing, a whole disk, or a system folder', async () => {
    const missing = await invoke('imports.grantPath', { path: path.join(outside, 'nothing-here') });
    expect(missing.status).toBe(404);
    expect(missing.body.error?.code).toBe('NOT_FOUND');
    for (const target of ['/', '/proc/self', '/dev/null']) {
      const refused = await invoke('imports.grantPath', { path: target });
      expect(refused.status, target).toBe(403);
      expect(refused.body.error?.code, target).toBe('FORBIDDEN');
    }
    expect(workspace.audit.list({ action: 'imports.path_granted' }).map((e) => e.entityId)).not.toContain('/');
    expect((await invoke('imports.grantPath', { path: 'relative/path' })).status).toBe(400);
  });

  it('detect names an unknown header in at most 200 printable characters', async () => {
    const header = `${'root:x:0:0:root:/root:/bin/bash'.repeat(40)},\u0007bell,${'B'.repeat(5000)},c,d,e,f,g\n1,2\n`;
    const uploaded = await upload('paths0003', 'not-an-export.csv', header);
    const reply = await invoke('imports.detect', { paths: [uploaded] });
    expect(reply.status).toBe(200);
    const [found] = reply.body.value as { error: string | null; format: string | null }[];
    expect(found!.format).toBeNull();
    expect(found!.error).toMatch(/^unknown format: the header \(root:x:0:0/);
    expect(found!.error!.length).toBeLessThanOrEqual(200);
    // eslint-disable-next-line no-control-regex
    expect(found!.error).not.toMatch(/[\u0000-\u001f\u007f]/);
    expect(found!.error).toMatch(/matches none of focus, cur, cur2, azure, gcp/);
  });
});

describe('Electron mode and the CLI are unchanged', () => {
  it('the core without a browser policy reads any path the user gives', async () => {
    const { workspace: local } = demoWorkspace();
    try {
      const services = createServices({
        workspace: local,
        clock: fixedClock(parseAsOf(DEMO_AS_OF)),
        logger: silentLogger(),
        events: new EventBus(),
        jobs: createJobSystem({ workspace: local, logger: silentLogger() }),
        secrets: keychainSecretStore(),
        mode: 'electron',
      });
      const [found] = await services.imports.detect({ paths: [export_] });
      expect(found).toMatchObject({ format: 'focus', error: null });
      const job = await services.imports.start({ paths: [export_] });
      expect(job.type).toBe('costs.import');
    } finally {
      local.close();
    }
  });
});
