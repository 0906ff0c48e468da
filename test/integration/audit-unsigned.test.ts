/**
 * Audit exports without an OS keychain: the keychain's status through the contract, a signed export that
 * fails before writing anything and says what to do, and an unsigned export that says it is unsigned,
 * is audited as such, and verifies by its hash chain with a status of its own.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { EXIT } from '../../electron/cli/exit-codes';
import { fixedClock, parseAsOf } from '../../electron/core/app/clock';
import { manifestPath, UNSIGNED_NOTE } from '../../electron/core/audit/export';
import { verifyAuditExport } from '../../electron/core/audit/verify';
import { silentLogger } from '../../electron/core/log/logger';
import type { SecretStore } from '../../electron/core/secrets/secret-store';
import { openWorkspace, type Workspace } from '../../electron/core/workspace/workspace';
import { createHandlers } from '../../electron/host/handlers';
import { HandlerRegistry, registerHandlers } from '../../electron/host/registry';
import { expectAudited, exportWorkspaceAudit } from '../support/audit';
import { runCli } from '../support/cli';
import { testServices } from '../support/services';
import { DEMO_AS_OF, tempDir } from '../support/workspace';

const PROBLEM = 'no Secret Service on this bus';

/** A machine without a keychain: every call fails, and each is counted. */
function noKeychain() {
  const calls: string[] = [];
  const fail = (what: string) => async (): Promise<never> => {
    calls.push(what);
    throw new Error(`the OS keychain is not available (${what})`);
  };
  const secrets: SecretStore = {
    get: fail('get'),
    set: fail('set'),
    delete: fail('delete'),
    status: async () => {
      calls.push('status');
      return { available: false, problem: PROBLEM };
    },
  };
  return { secrets, calls };
}

/** A keychain in memory, for the signed exports these tests compare with. */
function memoryKeychain(): SecretStore {
  const saved = new Map<string, string>();
  return {
    get: async (account) => saved.get(account) ?? null,
    set: async (account, secret) => void saved.set(account, secret),
    delete: async (account) => saved.delete(account),
    status: async () => ({ available: true, problem: null }),
  };
}

const open: Workspace[] = [];
afterEach(() => {
  while (open.length) open.pop()!.close();
});

function workspace(): Workspace {
  const ws = openWorkspace(tempDir(), {
    clock: fixedClock(parseAsOf(DEMO_AS_OF)),
    create: true,
    logger: silentLogger(),
  });
  for (let i = 0; i < 4; i++) ws.audit.record({ action: 'test.event', entityType: 'thing', entityId: `t${i}` });
  open.push(ws);
  return ws;
}

function alterLine(file: string, line: number): void {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const altered = lines[line - 1]!.replace('"action":"', '"action":"altered.');
  expect(altered).not.toBe(lines[line - 1]);
  lines[line - 1] = altered;
  fs.writeFileSync(file, lines.join('\n'));
}

describe('keychain status through the contract', () => {
  it('says when no keychain answers, why, and how to get one', async () => {
    const ws = workspace();
    const registry = registerHandlers(
      new HandlerRegistry(),
      createHandlers(testServices(ws, { secrets: noKeychain().secrets })),
    );
    const result = await registry.invoke('audit.keychain', {});
    expect(result).toEqual({
      ok: true,
      value: { available: false, problem: PROBLEM, help: expect.stringContaining('gnome-keyring') as string },
    });
    const help = (result as { value: { help: string } }).value.help;
    expect(help).toMatch(/KWallet or another Secret Service provider/);
    expect(help).toMatch(/macOS Keychain and Windows Credential Manager are always present/);

    const withKeychain = registerHandlers(
      new HandlerRegistry(),
      createHandlers(testServices(ws, { secrets: memoryKeychain() })),
    );
    expect(await withKeychain.invoke('audit.keychain', {})).toMatchObject({
      ok: true,
      value: { available: true, problem: null },
    });
  });
});

describe('an export without a keychain', () => {
  it('fails before writing anything when it must be signed, and says to export unsigned', async () => {
    const ws = workspace();
    const { secrets } = noKeychain();
    const out = path.join(tempDir(), 'audit.jsonl');
    const head = ws.audit.head()!.seq;
    const failure = exportWorkspaceAudit(ws, {
      secrets,
      out,
    });
    await expect(failure).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    const message = ((await failure.catch((error: unknown) => error)) as Error).message;
    expect(message).toMatch(/^No OS keychain is available \(no Secret Service on this bus\)/);
    expect(message).toMatch(/gnome-keyring, KWallet or another Secret Service provider/);
    expect(message).toMatch(/valdrix audit export --unsigned/);
    expect(message).toMatch(/"Export unsigned"/);
    expect(fs.readdirSync(path.dirname(out))).toEqual([]);
    expect(ws.audit.head()!.seq).toBe(head);
  });

  it('--unsigned: never asks the keychain, labels the manifest and the audit event, and verifies as unsigned', async () => {
    const ws = workspace();
    const { secrets, calls } = noKeychain();
    for (const format of ['jsonl', 'csv'] as const) {
      const out = path.join(tempDir(), `audit.${format}`);
      const [event] = await expectAudited(ws.audit, [{ action: 'audit.exported', entityType: 'audit_export' }], () =>
        exportWorkspaceAudit(ws, {
          secrets,
          out,
          format,
          unsigned: true,
        }),
      );
      expect(event!.details).toMatchObject({ format, signed: false, publicKeyFingerprint: null });
      expect(event!.actor.os).toEqual(expect.any(String));
      const manifest = JSON.parse(fs.readFileSync(manifestPath(out), 'utf8')) as Record<string, unknown>;
      expect(manifest).toMatchObject({
        signatureAlgorithm: 'none',
        signature: null,
        publicKey: null,
        publicKeyFingerprint: null,
        note: UNSIGNED_NOTE,
      });
      expect(manifest.note).toMatch(/^UNSIGNED export/);

      const report = await verifyAuditExport(out);
      expect(report.problems).toEqual([]);
      expect(report).toMatchObject({ ok: true, status: 'unsigned', signed: false, publicKeyFingerprint: null });
    }
    expect(calls).toEqual([]);
  });

  it('a changed event in an unsigned export is not intact', async () => {
    const ws = workspace();
    const out = path.join(tempDir(), 'audit.jsonl');
    await exportWorkspaceAudit(ws, {
      secrets: noKeychain().secrets,
      out,
      unsigned: true,
    });
    alterLine(out, 3);
    const report = await verifyAuditExport(out);
    expect(report).toMatchObject({ ok: false, status: 'not intact', signed: false });
    expect(report.firstBadRecord!.message).toMatch(/line 3, event 3 \(altered\.test\.event\): its hash does not match/);
  });

  it('a signed export is "verified", and one relabelled unsigned after a change is still not intact', async () => {
    const ws = workspace();
    const out = path.join(tempDir(), 'audit.jsonl');
    await exportWorkspaceAudit(ws, {
      secrets: memoryKeychain(),
      out,
    });
    expect(await verifyAuditExport(out)).toMatchObject({ ok: true, status: 'verified', signed: true });
    // Stripping the signature does not hide a change: the chain and the file hash still catch it.
    alterLine(out, 3);
    const manifest = JSON.parse(fs.readFileSync(manifestPath(out), 'utf8')) as Record<string, unknown>;
    Object.assign(manifest, {
      signatureAlgorithm: 'none',
      signature: null,
      publicKey: null,
      publicKeyFingerprint: null,
      note: UNSIGNED_NOTE,
    });
    fs.writeFileSync(manifestPath(out), JSON.stringify(manifest));
    expect(await verifyAuditExport(out)).toMatchObject({ ok: false, status: 'not intact', signed: false });
  });

  it('the services export unsigned when asked, and report it', async () => {
    const ws = workspace();
    const services = testServices(ws, { secrets: noKeychain().secrets });
    await expect(services.audit.export({})).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    const result = await services.audit.export({ unsigned: true });
    expect(result).toMatchObject({ signed: false, publicKeyFingerprint: null });
    expect((await verifyAuditExport(result.file)).status).toBe('unsigned');
  });
});

// The real command in a child process, on a Linux session bus that does not exist: the keychain is
// pinned to the Secret Service there, so there is none, as on a server without a desktop.
describe.runIf(process.platform === 'linux')('valdrix audit export and verify without a keychain', () => {
  const files = tempDir('valdrix-unsigned-cli-');
  const dir = path.join(files, 'ws');
  const env = { DBUS_SESSION_BUS_ADDRESS: `unix:path=${path.join(files, 'no-bus')}`, VALDRIX_NOW: DEMO_AS_OF };
  const cli = (args: string[]) => runCli(['--workspace', dir, ...args], env);
  afterAll(() => fs.rmSync(files, { recursive: true, force: true }));

  it('fails clearly without --unsigned; with it, exports, and verify says unsigned with its own exit status', () => {
    expect(cli(['init']).status).toBe(0);
    const out = path.join(files, 'audit.jsonl');
    const signed = cli(['audit', 'export', '--out', out]);
    expect(signed.status, signed.stderr).toBe(EXIT.failed);
    expect(signed.stderr).toMatch(/No OS keychain is available/);
    expect(signed.stderr).toMatch(/valdrix audit export --unsigned/);
    expect(fs.existsSync(out)).toBe(false);

    const unsigned = cli(['audit', 'export', '--out', out, '--unsigned']);
    expect(unsigned.status, unsigned.stderr).toBe(0);
    expect(unsigned.stdout).toMatch(/UNSIGNED \(--unsigned\)/);
    const json = cli(['audit', 'export', '--out', path.join(files, 'again.jsonl'), '--unsigned', '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ manifest: { signatureAlgorithm: 'none', signature: null } });

    const verify = runCli(['audit', 'verify', out], env);
    expect(verify.status, verify.stderr).toBe(EXIT.unsigned);
    expect(verify.stdout).toMatch(/^unsigned: chain intact, no signature\. \d+ events/);
    const verifyJson = runCli(['audit', 'verify', out, '--json'], env);
    expect(verifyJson.status).toBe(EXIT.unsigned);
    expect(JSON.parse(verifyJson.stdout)).toMatchObject({ ok: true, status: 'unsigned', signed: false });

    alterLine(out, 1);
    const broken = runCli(['audit', 'verify', out], env);
    expect(broken.status).toBe(EXIT['not intact']);
    expect(broken.stdout).toMatch(/^NOT INTACT/);

    const listed = JSON.parse(cli(['audit', 'list', '--action', 'audit.exported', '--json']).stdout) as {
      events: { details: { signed: boolean } }[];
    };
    expect(listed.events.map((e) => e.details.signed)).toEqual([false, false]);
  });
});
