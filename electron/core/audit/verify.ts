import crypto from 'node:crypto';
import { once } from 'node:events';
import fs from 'node:fs';
import { parse as parseCsv, type CsvError, type InfoRecord } from 'csv-parse';
import {
  AUDIT_CSV_COLUMNS,
  AuditRecordSchema,
  canonicalJson,
  GENESIS_HASH,
  type AuditRecord,
} from '../../../shared/audit';
import { computeHash } from './audit-log';
import { AuditManifestSchema, manifestPath, type AuditManifest, type SignedManifest } from './export';
import { LineHash, type LineHashResult } from './line-hash';

export interface VerifyProblem {
  /** 1-based line in the export file (the CSV header is line 1), when the problem is in a record. */
  line: number | null;
  seq: number | null;
  message: string;
}

/**
 * verified: chain, file hash and signature all check out. unsigned: an export made without a signature
 * whose chain and file hash check out, so nothing proves which workspace wrote it. not intact: a check failed.
 */
export type VerifyStatus = 'verified' | 'unsigned' | 'not intact';

export interface VerifyReport {
  /** No check failed (also for an unsigned export: see `status` and `signed`). */
  ok: boolean;
  status: VerifyStatus;
  /** Whether the manifest carries a signature; null when there is no readable manifest. */
  signed: boolean | null;
  file: string;
  manifestFile: string;
  format: string | null;
  count: number;
  firstSeq: number | null;
  lastSeq: number | null;
  lastHash: string | null;
  publicKeyFingerprint: string | null;
  /** The first record that fails, named for people. */
  firstBadRecord: VerifyProblem | null;
  problems: VerifyProblem[];
}

export interface VerifyOptions {
  /**
   * A JSONL line up to this long is kept while it streams by, to be parsed if its bytes do not match its
   * hash; CSV records longer than this are refused. Only events written before the size cap come near it.
   */
  lineMaxBytes?: number;
}

/** A JSONL line or CSV record parsed and checked with a memory cost of about this, at most. */
export const VERIFY_LINE_MAX_BYTES = 8 * 1024 * 1024;
/** The file is read this much at a time. */
const READ_BYTES = 1024 * 1024;
/** Problems with records listed at most; the rest are counted. */
const MAX_RECORD_PROBLEMS = 1000;
/** A manifest is a page of JSON; a larger one is not read. */
const MANIFEST_MAX_BYTES = 1024 * 1024;

/** What the chain check needs of a record. `contentHash` is the hash its content gives. */
interface Checked {
  seq: number;
  action: string;
  prevHash: string;
  hash: string;
  contentHash: string;
}

/**
 * Verifies an audit export without the workspace: the manifest's signature (unless it says it is
 * unsigned), the file's SHA-256, the count and end points, and the hash chain record by record
 * (sequence, previous-hash link, own hash).
 * The file is streamed (its SHA-256 taken on the way), so memory stays bounded whatever its size.
 */
export async function verifyAuditExport(file: string, options: VerifyOptions = {}): Promise<VerifyReport> {
  const lineMax = options.lineMaxBytes ?? VERIFY_LINE_MAX_BYTES;
  const manifestFile = manifestPath(file);
  // In the order people read them: the manifest, the file hash, the records, then the totals.
  const head: VerifyProblem[] = [];
  const records: VerifyProblem[] = [];
  const tail: VerifyProblem[] = [];
  let moreRecordProblems = 0;
  const report = (to: VerifyProblem[], message: string, line: number | null = null, seq: number | null = null) =>
    to.push({ line, seq, message });
  const reportRecord = (message: string, line: number, seq: number | null = null) => {
    if (records.length < MAX_RECORD_PROBLEMS) report(records, message, line, seq);
    else moreRecordProblems++;
  };

  let manifest: AuditManifest | null = null;
  let count = 0;
  if (!fs.existsSync(file)) {
    report(head, `the export file ${file} does not exist`);
    return finish();
  }
  if (!fs.existsSync(manifestFile)) report(head, `the manifest ${manifestFile} is missing`);
  else if (fs.statSync(manifestFile).size > MANIFEST_MAX_BYTES) report(head, 'the manifest is too large to be one');
  else {
    try {
      const parsed = AuditManifestSchema.safeParse(JSON.parse(fs.readFileSync(manifestFile, 'utf8')));
      if (parsed.success) manifest = parsed.data;
      else
        report(
          head,
          `the manifest is malformed: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
        );
    } catch (error) {
      report(head, `the manifest is not JSON: ${(error as Error).message}`);
    }
  }
  if (manifest?.signatureAlgorithm === 'Ed25519') checkSignature(manifest, (message) => report(head, message));

  // The chain, record by record.
  let previousHash: string | null = manifest?.firstPrevHash ?? null;
  let expectedSeq: number | null = manifest?.firstSeq ?? null;
  let last: Checked | null = null;
  const check: Check = (line, { record, error }) => {
    count++;
    if (!record) {
      reportRecord(`line ${line}: ${error}`, line);
      previousHash = null;
      expectedSeq = null;
      return;
    }
    const name = `line ${line}, event ${record.seq} (${record.action})`;
    if (expectedSeq !== null && record.seq !== expectedSeq) {
      reportRecord(
        `${name}: sequence ${record.seq} where ${expectedSeq} was expected (a record is missing, added or out of order)`,
        line,
        record.seq,
      );
    }
    if (
      previousHash === null &&
      expectedSeq === null &&
      count === 1 &&
      record.seq === 1 &&
      record.prevHash !== GENESIS_HASH
    ) {
      reportRecord(`${name}: the first event must follow the genesis hash`, line, record.seq);
    } else if (previousHash !== null && record.prevHash !== previousHash) {
      reportRecord(`${name}: its previous hash does not match the record before it`, line, record.seq);
    }
    if (record.contentHash !== record.hash)
      reportRecord(`${name}: its hash does not match its content (the event was altered)`, line, record.seq);
    previousHash = record.hash;
    expectedSeq = record.seq + 1;
    last = record;
  };

  const digest = crypto.createHash('sha256');
  const format = manifest?.format ?? (file.endsWith('.csv') ? 'csv' : 'jsonl');
  if (format === 'csv') await readCsv(file, digest, lineMax, check, (message, line) => reportRecord(message, line));
  else await readJsonl(file, digest, lineMax, () => previousHash, check);

  if (manifest) {
    const sha = digest.digest('hex');
    if (sha !== manifest.fileSha256)
      report(head, `the file's SHA-256 (${sha}) differs from the manifest's (${manifest.fileSha256})`);
    const end = last as Checked | null;
    if (count !== manifest.count) report(tail, `the file holds ${count} events; the manifest says ${manifest.count}`);
    if (end && end.hash !== manifest.lastHash)
      report(tail, `the last event's hash differs from the manifest's lastHash`);
    if (end && end.seq !== manifest.lastSeq)
      report(tail, `the last event is ${end.seq}; the manifest says ${manifest.lastSeq}`);
  }
  return finish();

  function finish(): VerifyReport {
    const more: VerifyProblem[] = moreRecordProblems
      ? [{ line: null, seq: null, message: `and ${moreRecordProblems} more problems with records` }]
      : [];
    const problems = [...head, ...records, ...more, ...tail];
    const signed = manifest ? manifest.signatureAlgorithm === 'Ed25519' : null;
    return {
      ok: problems.length === 0,
      status: problems.length ? 'not intact' : signed ? 'verified' : 'unsigned',
      signed,
      file,
      manifestFile,
      format: manifest?.format ?? null,
      count,
      firstSeq: manifest?.firstSeq ?? null,
      lastSeq: manifest?.lastSeq ?? null,
      lastHash: manifest?.lastHash ?? null,
      publicKeyFingerprint: manifest?.publicKeyFingerprint ?? null,
      firstBadRecord: records[0] ?? null,
      problems,
    };
  }
}

function checkSignature(manifest: SignedManifest, report: (message: string) => void): void {
  const { signature, ...unsigned } = manifest;
  let valid = false;
  try {
    const key = crypto.createPublicKey(manifest.publicKey);
    valid = crypto.verify(null, Buffer.from(canonicalJson(unsigned), 'utf8'), key, Buffer.from(signature, 'base64'));
    const fingerprint = crypto
      .createHash('sha256')
      .update(key.export({ type: 'spki', format: 'der' }))
      .digest('hex');
    if (fingerprint !== manifest.publicKeyFingerprint)
      report("the manifest's public key fingerprint does not match its public key");
  } catch (error) {
    report(`the manifest's public key or signature cannot be read: ${(error as Error).message}`);
  }
  if (!valid) report('the manifest signature is invalid: the manifest was changed or signed with another key');
}

type Parsed = { record: Checked; error: null } | { record: null; error: string };
type Check = (line: number, parsed: Parsed) => void;

function checked(record: AuditRecord): Checked {
  const { seq, action, prevHash, hash } = record;
  return { seq, action, prevHash, hash, contentHash: computeHash(record) };
}

/** One JSONL line short enough to parse: the record, as before the streaming reader. */
function parseJsonlLine(text: string): Parsed {
  try {
    const parsed = AuditRecordSchema.safeParse(JSON.parse(text));
    return parsed.success
      ? { record: checked(parsed.data), error: null }
      : { record: null, error: `not an audit event: ${parsed.error.issues[0]?.message ?? 'invalid'}` };
  } catch (error) {
    return { record: null, error: `not JSON: ${(error as Error).message}` };
  }
}

function fromLineHash(result: LineHashResult): Parsed {
  return 'error' in result ? { record: null, error: result.error } : { record: result, error: null };
}

/**
 * Reads a JSONL export line by line. Each line is hashed as it streams by (line-hash.ts): a line Valdrix
 * wrote is canonical JSON, so its bytes less the hash member are what was hashed, without parsing it
 * (twice as fast, and without the garbage of parsed events). The hash input starts with the previous
 * record's hash; a line whose own prevHash differs is hashed again with it (from the file if it was too
 * long to keep). A line up to `lineMax` bytes that does not match is then parsed and re-serialised as
 * before, so an equivalent line written another way still verifies, and errors read as they did.
 */
async function readJsonl(
  file: string,
  digest: crypto.Hash,
  lineMax: number,
  previousHash: () => string | null,
  check: Check,
): Promise<void> {
  let scanner: LineHash | null = null;
  let parts: Buffer[] | null = [];
  let partBytes = 0;
  let line = 0;
  let offset = 0; // bytes of the file read so far
  let lineStart = 0;

  const add = (piece: Buffer) => {
    scanner ??= new LineHash(previousHash() ?? GENESIS_HASH);
    scanner.write(piece);
    if (parts === null) return;
    parts.push(piece);
    partBytes += piece.length;
    if (partBytes > lineMax) parts = null;
  };
  const end = async (lineEnd: number) => {
    line++;
    const scanned = scanner ?? new LineHash(GENESIS_HASH);
    let result = scanned.finish();
    if (!('error' in result) && result.prevHash !== scanned.prevHash) {
      result = parts ? rescanned(parts, result.prevHash) : await rescan(file, lineStart, lineEnd, result.prevHash);
    }
    const matches = !('error' in result) && result.contentHash === result.hash;
    check(
      line,
      !matches && parts ? parseJsonlLine(Buffer.concat(parts, partBytes).toString('utf8')) : fromLineHash(result),
    );
    scanner = null;
    parts = [];
    partBytes = 0;
    lineStart = lineEnd + 1;
  };

  for await (const chunk of fs.createReadStream(file, { highWaterMark: READ_BYTES }) as AsyncIterable<Buffer>) {
    digest.update(chunk);
    let start = 0;
    for (let newline = chunk.indexOf(0x0a); newline !== -1; newline = chunk.indexOf(0x0a, start)) {
      add(chunk.subarray(start, newline));
      await end(offset + newline);
      start = newline + 1;
    }
    if (start < chunk.length) add(chunk.subarray(start));
    offset += chunk.length;
  }
  // The last line, unless the file ends with a newline (as exports do).
  if (scanner) await end(offset);
}

function rescanned(parts: Buffer[], prevHash: string): LineHashResult {
  const again = new LineHash(prevHash);
  for (const part of parts) again.write(part);
  return again.finish();
}

/** A long line read again from the file and hashed with its own prevHash. */
async function rescan(file: string, start: number, end: number, prevHash: string): Promise<LineHashResult> {
  const again = new LineHash(prevHash);
  if (end > start) {
    const stream = fs.createReadStream(file, { start, end: end - 1, highWaterMark: READ_BYTES });
    for await (const chunk of stream as AsyncIterable<Buffer>) again.write(chunk);
  }
  return again.finish();
}

/**
 * Reads a CSV export with csv-parse's stream, a chunk at a time; each record is checked as the parser
 * hands it over, so none are kept. A record longer than `lineMax` stops the check there with a message
 * naming its line (the rest of the file is still hashed).
 */
async function readCsv(
  file: string,
  digest: crypto.Hash,
  lineMax: number,
  check: Check,
  report: (message: string, line: number) => void,
): Promise<void> {
  let header = true;
  let stopped = false;
  const parser = parseCsv({
    relax_column_count: true,
    skip_empty_lines: true,
    max_record_size: lineMax,
    // The record's info (its line) comes with it here, as `info: true` would give it.
    on_record: (record: string[], info: InfoRecord) => {
      if (stopped) return null;
      if (header) {
        header = false;
        if (record.join(',') !== AUDIT_CSV_COLUMNS.join(',')) {
          report(`the CSV header must be ${AUDIT_CSV_COLUMNS.join(',')}`, 1);
          stopped = true;
        }
        return null;
      }
      check(info.lines, csvRecord(record));
      return null; // Checked: nothing to keep.
    },
  });
  let failure: Error | null = null;
  // Always listened to: an error after a write that needed no wait is emitted with nothing awaiting it.
  parser.on('error', (error: Error) => (failure ??= error));
  parser.resume();
  for await (const chunk of fs.createReadStream(file, { highWaterMark: READ_BYTES }) as AsyncIterable<Buffer>) {
    digest.update(chunk);
    if (failure !== null || stopped) continue;
    try {
      if (!parser.write(chunk)) await once(parser, 'drain');
    } catch (error) {
      failure ??= error as Error;
    }
  }
  if (failure === null && !stopped) {
    try {
      await new Promise<void>((resolve, reject) => {
        parser.once('error', reject);
        parser.end(resolve);
      });
    } catch (error) {
      failure ??= error as Error;
    }
  }
  if (failure !== null) {
    const line = (failure as CsvError & { lines?: number }).lines ?? 1;
    const code = (failure as CsvError).code;
    report(
      code === 'CSV_MAX_RECORD_SIZE'
        ? `line ${line}: a record over ${Math.round(lineMax / 1024 / 1024)} MiB cannot be checked in a CSV export; the events after it were not checked (a JSONL export of the same events can be)`
        : `the CSV cannot be parsed: ${failure.message}`,
      line,
    );
  }
}

function csvRecord(cells: string[]): Parsed {
  if (cells.length !== AUDIT_CSV_COLUMNS.length)
    return { record: null, error: `expected ${AUDIT_CSV_COLUMNS.length} columns, found ${cells.length}` };
  const get = (column: (typeof AUDIT_CSV_COLUMNS)[number]) => cells[AUDIT_CSV_COLUMNS.indexOf(column)]!;
  try {
    const json = (column: (typeof AUDIT_CSV_COLUMNS)[number]) =>
      get(column) === '' ? null : (JSON.parse(get(column)) as unknown);
    const parsed = AuditRecordSchema.safeParse({
      seq: Number(get('seq')),
      ts: get('ts'),
      actor: { os: get('actor_os'), user: get('actor_user') || null },
      action: get('action'),
      entityType: get('entity_type'),
      entityId: get('entity_id') || null,
      before: json('before'),
      after: json('after'),
      details: json('details'),
      runId: get('run_id') || null,
      appVersion: get('app_version'),
      prevHash: get('prev_hash'),
      hash: get('hash'),
    });
    return parsed.success
      ? { record: checked(parsed.data), error: null }
      : { record: null, error: `not an audit event: ${parsed.error.issues[0]?.message ?? 'invalid'}` };
  } catch (error) {
    return { record: null, error: `a JSON cell cannot be read: ${(error as Error).message}` };
  }
}
