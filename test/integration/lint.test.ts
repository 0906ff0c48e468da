import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/cli';

const eslint = new ESLint({ cwd: REPO_ROOT, overrideConfigFile: '.config/eslint.config.js' });

async function restrictedImportMessages(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('runtime boundaries are enforced by lint', () => {
  it('fails when electron/core imports electron', async () => {
    const messages = await restrictedImportMessages(
      'electron/core/store/probe.ts',
      "import { app } from 'electron';\nexport const a = app;\n",
    );
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/plain Node/);
  });

  it('fails when shared/ imports electron, node: modules or Node built-ins', async () => {
    expect(
      await restrictedImportMessages(
        'shared/probe.ts',
        "import { ipcRenderer } from 'electron';\nexport const a = ipcRenderer;\n",
      ),
    ).toHaveLength(1);
    expect(
      await restrictedImportMessages('shared/probe.ts', "import fs from 'node:fs';\nexport const a = fs;\n"),
    ).toHaveLength(1);
    expect(
      await restrictedImportMessages('shared/probe.ts', "import path from 'path';\nexport const a = path;\n"),
    ).toHaveLength(1);
  });

  it('fails when the renderer imports the core', async () => {
    const messages = await restrictedImportMessages(
      'renderer/src/probe.ts',
      "import { openStore } from '../../electron/core/store/database';\nexport const a = openStore;\n",
    );
    expect(messages.some((m) => m.includes('The renderer reaches the core only through the contract'))).toBe(true);
  });

  it('allows electron in the Electron glue and node: in the core', async () => {
    expect(
      await restrictedImportMessages(
        'electron/main/probe.ts',
        "import { app } from 'electron';\nexport const a = app;\n",
      ),
    ).toEqual([]);
    expect(
      await restrictedImportMessages('electron/core/probe.ts', "import fs from 'node:fs';\nexport const a = fs;\n"),
    ).toEqual([]);
  });
});

async function wallClockMessages(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-syntax').map((m) => m.message);
}

describe('the core reads time only from the injected clock', () => {
  it('fails on new Date() and Date.now in electron/core, called or passed as a value', async () => {
    for (const code of [
      'export const at = new Date();\n',
      'export const at = Date.now();\n',
      'export const source = { now: Date.now };\n',
      'export const text = Date();\n',
    ]) {
      // The ingest exemption names files, not the folder: a new file there is checked.
      for (const filePath of ['electron/core/costs/probe.ts', 'electron/core/ingest/probe.ts']) {
        const messages = await wallClockMessages(filePath, code);
        expect(messages, `${filePath}: ${code}`).toHaveLength(1);
        expect(messages[0]).toMatch(/injected clock.*performance\.now\(\)/);
      }
    }
  });

  it('allows a date from a value, performance.now(), and the clock module itself', async () => {
    expect(
      await wallClockMessages(
        'electron/core/costs/probe.ts',
        "export const day = new Date('2026-11-21T12:00:00Z');\nexport const at = (ms: number) => new Date(ms);\nexport const t = performance.now();\n",
      ),
    ).toEqual([]);
    expect(
      await wallClockMessages(
        'electron/core/app/clock.ts',
        'export const now = () => new Date();\nexport const ms = () => Date.now();\n',
      ),
    ).toEqual([]);
  });

  it('leaves code outside electron/core alone', async () => {
    for (const filePath of ['electron/cli/probe.ts', 'electron/host/probe.ts', 'shared/probe.ts']) {
      expect(
        await wallClockMessages(filePath, 'export const at = new Date();\nexport const ms = Date.now();\n'),
      ).toEqual([]);
    }
  });
});

describe('capabilities meet only through their public faces', () => {
  const capabilityMessages = async (filePath: string, from: string) =>
    (await restrictedImportMessages(filePath, `import { x } from '${from}';\nexport const a = x;\n`)).filter((m) =>
      m.includes('public face'),
    );

  it("fails when a capability imports another's internals, at any depth", async () => {
    expect(await capabilityMessages('electron/core/ingest/probe.ts', '../audit/audit-log')).toHaveLength(1);
    expect(await capabilityMessages('electron/core/ingest/formats/probe.ts', '../../ledger/publish')).toHaveLength(1);
    expect(await capabilityMessages('electron/core/costs/probe.ts', '../ledger/visible')).toHaveLength(1);
    // A folder created tomorrow is a capability too: the list is read from electron/core.
    expect(await capabilityMessages('electron/core/demo/probe.ts', '../workspace/workspace')).toHaveLength(1);
  });

  it('fails when a composition at the top of the core imports internals', async () => {
    expect(await capabilityMessages('electron/core/probe.ts', './ingest/import')).toHaveLength(1);
    expect(await capabilityMessages('electron/core/probe.ts', './ingest')).toEqual([]);
  });

  it("allows another capability's index, its declared extra faces, and a capability's own modules", async () => {
    expect(await capabilityMessages('electron/core/ingest/probe.ts', '../audit')).toEqual([]);
    expect(await capabilityMessages('electron/core/ingest/probe.ts', '../audit/index')).toEqual([]);
    expect(await capabilityMessages('electron/core/ingest/probe.ts', '../ledger/row-batch')).toEqual([]);
    expect(await capabilityMessages('electron/core/ingest/probe.ts', './held')).toEqual([]);
    expect(await capabilityMessages('electron/core/ingest/formats/probe.ts', '../scan')).toEqual([]);
  });

  it('keeps the Electron ban inside each capability', async () => {
    const messages = await restrictedImportMessages(
      'electron/core/ledger/probe.ts',
      "import { app } from 'electron';\nexport const a = app;\n",
    );
    expect(messages.some((m) => m.includes('plain Node'))).toBe(true);
  });
});
