import crypto from 'node:crypto';
import fs from 'node:fs';
import { parse as parseCsv } from 'csv-parse/sync';
import {
  AUDIT_CSV_COLUMNS,
  AuditRecordSchema,
  canonicalJson,
  GENESIS_HASH,
  type AuditRecord,
} from '../../../shared/audit';
import { computeHash } from './audit-log';
import { AuditManifestSchema, manifestPath, type AuditManifest } from './export';

export interface VerifyProblem {
  /** 1-based line in the export file (the CSV header is line 1), when the problem is in a record. */
  line: number | null;
  seq: number | null;
  message: string;
}

export interface VerifyReport {
  ok: boolean;
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

interface ParsedLine {
  line: number;
  record: AuditRecord | null;
  error: string | null;
}

/**
 * Verifies an audit export without the workspace: the manifest's signature, the file's SHA-256, the
 * count and end points, and the hash chain record by record (sequence, previous-hash link, own hash).
 */
export function verifyAuditExport(file: string): VerifyReport {
  const manifestFile = manifestPath(file);
  const problems: VerifyProblem[] = [];
  const report = (message: string, line: number | null = null, seq: number | null = null) =>
    problems.push({ line, seq, message });

  if (!fs.existsSync(file)) {
    report(`the export file ${file} does not exist`);
    return finish();
  }
  const bytes = fs.readFileSync(file);

  let manifest: AuditManifest | null = null;
  if (!fs.existsSync(manifestFile)) report(`the manifest ${manifestFile} is missing`);
  else {
    try {
      const parsed = AuditManifestSchema.safeParse(JSON.parse(fs.readFileSync(manifestFile, 'utf8')));
      if (parsed.success) manifest = parsed.data;
      else
        report(
          `the manifest is malformed: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
        );
    } catch (error) {
      report(`the manifest is not JSON: ${(error as Error).message}`);
    }
  }

  if (manifest) {
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
    const digest = crypto.createHash('sha256').update(bytes).digest('hex');
    if (digest !== manifest.fileSha256)
      report(`the file's SHA-256 (${digest}) differs from the manifest's (${manifest.fileSha256})`);
  }

  const format = manifest?.format ?? (file.endsWith('.csv') ? 'csv' : 'jsonl');
  const lines =
    format === 'csv' ? parseCsvRecords(bytes.toString('utf8'), report) : parseJsonlRecords(bytes.toString('utf8'));

  let previousHash: string | null = manifest?.firstPrevHash ?? null;
  let expectedSeq: number | null = manifest?.firstSeq ?? null;
  let count = 0;
  let last: AuditRecord | null = null;
  for (const { line, record, error } of lines) {
    count++;
    if (!record) {
      report(`line ${line}: ${error}`, line);
      previousHash = null;
      expectedSeq = null;
      continue;
    }
    const name = `line ${line}, event ${record.seq} (${record.action})`;
    if (expectedSeq !== null && record.seq !== expectedSeq) {
      report(
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
      report(`${name}: the first event must follow the genesis hash`, line, record.seq);
    } else if (previousHash !== null && record.prevHash !== previousHash) {
      report(`${name}: its previous hash does not match the record before it`, line, record.seq);
    }
    if (computeHash(record) !== record.hash)
      report(`${name}: its hash does not match its content (the event was altered)`, line, record.seq);
    previousHash = record.hash;
    expectedSeq = record.seq + 1;
    last = record;
  }

  if (manifest) {
    if (count !== manifest.count) report(`the file holds ${count} events; the manifest says ${manifest.count}`);
    if (last && last.hash !== manifest.lastHash) report(`the last event's hash differs from the manifest's lastHash`);
    if (last && last.seq !== manifest.lastSeq)
      report(`the last event is ${last.seq}; the manifest says ${manifest.lastSeq}`);
  }
  return finish();

  function finish(): VerifyReport {
    const recordProblems = problems.filter((p) => p.line !== null).sort((a, b) => a.line! - b.line!);
    return {
      ok: problems.length === 0,
      file,
      manifestFile,
      format: manifest?.format ?? null,
      count,
      firstSeq: manifest?.firstSeq ?? null,
      lastSeq: manifest?.lastSeq ?? null,
      lastHash: manifest?.lastHash ?? null,
      publicKeyFingerprint: manifest?.publicKeyFingerprint ?? null,
      firstBadRecord: recordProblems[0] ?? null,
      problems,
    };
  }
}

function parseJsonlRecords(text: string): ParsedLine[] {
  const out: ParsedLine[] = [];
  text.split('\n').forEach((raw, index) => {
    if (raw === '' && index === text.split('\n').length - 1) return; // the final newline
    const line = index + 1;
    try {
      const parsed = AuditRecordSchema.safeParse(JSON.parse(raw));
      out.push(
        parsed.success
          ? { line, record: parsed.data, error: null }
          : { line, record: null, error: `not an audit event: ${parsed.error.issues[0]?.message ?? 'invalid'}` },
      );
    } catch (error) {
      out.push({ line, record: null, error: `not JSON: ${(error as Error).message}` });
    }
  });
  return out;
}

function parseCsvRecords(text: string, report: (message: string, line?: number | null) => void): ParsedLine[] {
  let rows: { record: string[]; info: { lines: number } }[];
  try {
    rows = parseCsv(text, { relax_column_count: true, info: true, skip_empty_lines: true }) as unknown as {
      record: string[];
      info: { lines: number };
    }[];
  } catch (error) {
    report(`the CSV cannot be parsed: ${(error as Error).message}`, 1);
    return [];
  }
  const [header, ...body] = rows;
  if (!header || header.record.join(',') !== AUDIT_CSV_COLUMNS.join(',')) {
    report(`the CSV header must be ${AUDIT_CSV_COLUMNS.join(',')}`, 1);
    return [];
  }
  return body.map(({ record: cells, info }) => {
    const line = info.lines;
    if (cells.length !== AUDIT_CSV_COLUMNS.length)
      return { line, record: null, error: `expected ${AUDIT_CSV_COLUMNS.length} columns, found ${cells.length}` };
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
        ? { line, record: parsed.data, error: null }
        : { line, record: null, error: `not an audit event: ${parsed.error.issues[0]?.message ?? 'invalid'}` };
    } catch (error) {
      return { line, record: null, error: `a JSON cell cannot be read: ${(error as Error).message}` };
    }
  });
}
