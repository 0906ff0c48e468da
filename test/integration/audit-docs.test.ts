import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli } from '../support/cli';
import { DEMO_AS_OF, tempDir } from '../support/workspace';

// docs/audit.md promises auditors a Python script and openssl commands that check an export without
// Valdrix. Run exactly what the page shows.
const doc = fs.readFileSync(path.join(REPO_ROOT, 'docs', 'audit.md'), 'utf8');
const script = /```python\n# verify_audit\.py[^\n]*\n([\s\S]*?)```/.exec(doc)?.[1];
const hasPython = spawnSync('python3', ['--version']).status === 0;
const hasOpenssl = spawnSync('openssl', ['version']).status === 0;

describe('docs/audit.md verification recipe', () => {
  it('the page holds the script', () => {
    expect(script).toMatch(/hashlib\.sha256/);
  });

  it.runIf(hasPython && hasOpenssl)('verifies a real export, and rejects an altered one', () => {
    const dir = tempDir();
    expect(runCli(['--workspace', dir, 'demo'], { VALDRIX_NOW: DEMO_AS_OF }).status).toBe(0);
    const work = tempDir();
    const out = path.join(work, 'audit.jsonl');
    expect(runCli(['--workspace', dir, 'audit', 'export', '--out', out]).status).toBe(0);
    fs.writeFileSync(path.join(work, 'verify_audit.py'), script!);

    const python = spawnSync('python3', ['verify_audit.py', 'audit.jsonl'], { cwd: work, encoding: 'utf8' });
    expect(python.stderr).toBe('');
    expect(python.stdout).toMatch(/chain and file hash OK: 3 events/);
    const openssl = spawnSync(
      'openssl',
      [
        'pkeyutl',
        '-verify',
        '-pubin',
        '-inkey',
        'public.pem',
        '-rawin',
        '-in',
        'signed.txt',
        '-sigfile',
        'signature.bin',
      ],
      {
        cwd: work,
        encoding: 'utf8',
      },
    );
    expect(openssl.stdout).toMatch(/Signature Verified Successfully/);

    fs.writeFileSync(out, fs.readFileSync(out, 'utf8').replace('"rows":20730', '"rows":20731'));
    const tampered = spawnSync('python3', ['verify_audit.py', 'audit.jsonl'], { cwd: work, encoding: 'utf8' });
    expect(tampered.status).not.toBe(0);
    expect(tampered.stderr).toMatch(/file hash differs/);
  });
});
