/** File hashes taken by the scan that reads a file, and beside the import for the others. */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hashAlongside } from '../../../electron/core/ingest/file-hash';
import { openSource } from '../../../electron/core/ingest/readers';
import { tempDir } from '../../support/workspace';

const sha256 = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** A CSV of several 1 MiB reads, so that a scan stopped early has read only part of it. */
function largeCsv(dir: string): string {
  const file = path.join(dir, 'large.csv');
  const rows = Array.from({ length: 150_000 }, (_, i) => `${i},service-${i % 97},${(i * 1.25).toFixed(2)}`);
  fs.writeFileSync(file, `Id,ServiceName,BilledCost\n${rows.join('\n')}\n`);
  return file;
}

describe('file hashes', () => {
  it('a CSV read to its end knows its SHA-256; one read in part does not', async () => {
    const file = largeCsv(tempDir('valdrix-hash-'));
    expect(fs.statSync(file).size).toBeGreaterThan(2 << 20);

    const whole = await openSource(file);
    expect(whole.sha256?.()).toBeNull();
    for await (const batch of whole.batches) void batch;
    expect(whole.sha256?.()).toBe(sha256(file));
    await whole.close();

    const part = await openSource(file);
    for await (const batch of part.batches) {
      void batch;
      break;
    }
    await part.close();
    expect(part.sha256?.()).toBeNull();
  });

  it("takes the scans' hashes of the files they read, and hashes the others itself", async () => {
    const dir = tempDir('valdrix-hash-');
    const files = ['a.csv', 'b.parquet', 'c.csv'].map((name) => path.join(dir, name));
    for (const file of files) fs.writeFileSync(file, `bytes of ${path.basename(file)}\n`);
    const fromScan = { path: files[0]!, sha256: 'f'.repeat(64), bytes: 99 };
    // a.csv and c.csv are read by scans; c.csv's scan stopped before its end and has no hash.
    const hashing = hashAlongside(files, new Set([files[0]!, files[2]!]));
    const hashes = await hashing.hashes(new Map([[files[0]!, fromScan]]));
    expect(hashes).toEqual([
      fromScan,
      { path: files[1]!, sha256: sha256(files[1]!), bytes: fs.statSync(files[1]!).size },
      { path: files[2]!, sha256: sha256(files[2]!), bytes: fs.statSync(files[2]!).size },
    ]);
    hashing.stop();
  });
});
