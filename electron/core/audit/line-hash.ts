/**
 * One JSONL line of an export, checked as it streams by, whatever its length (an event written before the
 * size cap can be hundreds of MB): a line is the event's canonical JSON, and without its `"hash":"…",`
 * member it is exactly what was hashed. So the line is hashed in pieces as it goes, while a small scanner
 * follows the top-level members to leave that one out and keep `seq`, `action`, `prevHash` and `hash`.
 * Only a canonical line matches this way, as every line Valdrix writes is (verify.ts parses a short line
 * that does not).
 */
import crypto from 'node:crypto';

/** The members whose values are kept (as JSON text), to check the record's place in the chain. */
const KEPT = new Set(['seq', 'action', 'prevHash', 'hash']);
/** Keys and kept values longer than this are not kept. */
const KEPT_MAX_BYTES = 4096;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

export type LineHashResult =
  { error: string } | { seq: number; action: string; prevHash: string; hash: string; contentHash: string };

/** Bytes gathered across chunks, up to a limit. */
class Gathered {
  private readonly parts: Buffer[] = [];
  private bytes = 0;
  overflow = false;

  add(piece: Buffer): void {
    if (this.overflow || this.bytes + piece.length > KEPT_MAX_BYTES) {
      this.overflow = true;
      return;
    }
    this.parts.push(Buffer.from(piece));
    this.bytes += piece.length;
  }

  text(): string | null {
    return this.overflow ? null : Buffer.concat(this.parts).toString('utf8');
  }
}

export class LineHash {
  private readonly digest = crypto.createHash('sha256');
  private depth = 0;
  private started = false;
  private ended = false;
  private inString = false;
  private escaped = false;
  /** Where the scanner is in the top-level object's current member. */
  private phase: 'key' | 'colon' | 'value' | 'primitive' | 'next' = 'key';
  /** The current member's bytes, held back from the digest until its key is known. */
  private held: Buffer[] | null = null;
  /** Inside the `"hash":"…",` member, which is not hashed. */
  private dropping = false;
  private key: Gathered | null = null;
  private value: Gathered | null = null;
  private readonly kept = new Map<string, string | null>();
  private error: string | null = null;

  /** `prevHash`: what the hash input starts with (the record's own, if it is known before its line). */
  constructor(readonly prevHash: string) {
    this.digest.update(`${prevHash}\n`);
  }

  write(chunk: Buffer): void {
    if (this.error !== null) return;
    // Where, in this chunk, the bytes to hash, to hold back, or to keep as key or value start (-1: none).
    let emitFrom = this.held || this.dropping || this.ended ? -1 : 0;
    let holdFrom = this.held ? 0 : -1;
    let keyFrom = this.key ? 0 : -1;
    let valueFrom = this.value ? 0 : -1;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i]!;
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === BACKSLASH) this.escaped = true;
        else if (c === QUOTE) {
          this.inString = false;
          if (keyFrom >= 0) {
            this.key!.add(chunk.subarray(keyFrom, i));
            this.current = this.key!.text();
            this.key = null;
            keyFrom = -1;
            this.phase = 'colon';
            if (this.current === 'hash') {
              this.dropping = true;
            } else if (this.held) {
              // Held since the key's opening quote: earlier chunks' part, then this chunk's from holdFrom.
              for (const piece of this.held) this.digest.update(piece);
              emitFrom = holdFrom;
            }
            this.held = null;
            holdFrom = -1;
            if (this.current !== null && KEPT.has(this.current)) this.kept.set(this.current, null);
          } else if (valueFrom >= 0) {
            this.value!.add(chunk.subarray(valueFrom, i + 1));
            this.keep();
            valueFrom = -1;
          }
        }
        continue;
      }
      if (this.ended) {
        if (c !== 0x20 && c !== 0x09 && c !== 0x0d) this.error = 'not JSON: something follows the event on its line';
        continue;
      }
      if (this.depth === 0) {
        if (c !== 0x7b || this.started) {
          this.error = 'not JSON: the line does not hold a JSON object';
          return;
        }
        this.started = true;
        this.depth = 1;
        continue;
      }
      if (c === QUOTE) {
        this.inString = true;
        if (this.depth !== 1) continue;
        if (this.phase === 'key') {
          if (emitFrom >= 0) this.digest.update(chunk.subarray(emitFrom, i));
          emitFrom = -1;
          this.held = [];
          holdFrom = i;
          this.key = new Gathered();
          keyFrom = i + 1;
        } else if (this.phase === 'value') {
          valueFrom = this.startValue(i);
          this.phase = 'next';
        }
        continue;
      }
      if (c === 0x7b || c === 0x5b) {
        if (this.depth === 1) this.phase = 'next';
        this.depth++;
        continue;
      }
      if (c === 0x7d || c === 0x5d) {
        if (this.depth === 1 && valueFrom >= 0) {
          this.value!.add(chunk.subarray(valueFrom, i));
          this.keep();
          valueFrom = -1;
        }
        this.depth--;
        if (this.depth === 0) {
          // The end of the event: hashed through its closing brace; nothing after it is.
          if (emitFrom >= 0) this.digest.update(chunk.subarray(emitFrom, i + 1));
          else this.digest.update('}');
          emitFrom = -1;
          this.dropping = false;
          this.ended = true;
        }
        continue;
      }
      if (this.depth !== 1) continue;
      if (c === 0x3a && this.phase === 'colon') this.phase = 'value';
      else if (c === 0x2c) {
        if (valueFrom >= 0) {
          this.value!.add(chunk.subarray(valueFrom, i));
          this.keep();
          valueFrom = -1;
        }
        if (this.dropping) {
          // The end of the hash member: hashing resumes after its comma.
          this.dropping = false;
          emitFrom = i + 1;
        }
        this.phase = 'key';
      } else if (this.phase === 'value' && c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) {
        valueFrom = this.startValue(i);
        this.phase = 'primitive';
      }
    }
    if (emitFrom >= 0 && emitFrom < chunk.length) this.digest.update(chunk.subarray(emitFrom));
    if (keyFrom >= 0) this.key!.add(chunk.subarray(keyFrom));
    if (holdFrom >= 0) {
      if (this.key?.overflow) {
        // A key this long is not "hash": stop holding its member back.
        for (const piece of this.held!) this.digest.update(piece);
        this.digest.update(chunk.subarray(holdFrom));
        this.held = null;
      } else this.held!.push(Buffer.from(chunk.subarray(holdFrom)));
    }
    if (valueFrom >= 0) this.value!.add(chunk.subarray(valueFrom));
  }

  /** The key of the member being read. */
  private current: string | null = null;

  private startValue(at: number): number {
    if (this.current === null || !KEPT.has(this.current)) return -1;
    this.value = new Gathered();
    return at;
  }

  private keep(): void {
    if (this.current !== null && this.value) this.kept.set(this.current, this.value.text());
    this.value = null;
  }

  finish(): LineHashResult {
    if (this.error !== null) return { error: this.error };
    if (!this.ended) return { error: 'not JSON: the line ends inside the event' };
    const field = (name: string): unknown => {
      const text = this.kept.get(name);
      if (text === undefined || text === null) return undefined;
      try {
        return JSON.parse(text) as unknown;
      } catch {
        return undefined;
      }
    };
    const [seq, action, prevHash, hash] = ['seq', 'action', 'prevHash', 'hash'].map(field);
    const hex = (v: unknown): v is string => typeof v === 'string' && /^[0-9a-f]{64}$/.test(v);
    if (!(typeof seq === 'number' && Number.isInteger(seq) && seq > 0))
      return { error: 'not an audit event: seq is not a positive integer' };
    if (typeof action !== 'string' || action === '') return { error: 'not an audit event: action is missing' };
    if (!hex(prevHash) || !hex(hash)) return { error: 'not an audit event: prevHash or hash is not a SHA-256' };
    return { seq, action, prevHash, hash, contentHash: this.digest.digest('hex') };
  }
}
