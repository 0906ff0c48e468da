import fs from 'node:fs';
import path from 'node:path';
import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';
import { maskSecrets, maskText } from '../../../shared/mask';

export type Logger = PinoLogger;

export interface LoggerOptions {
  /** Log file (JSON lines); created with its folder. */
  file?: string;
  /** Extra destination, e.g. a test capture stream. */
  stream?: DestinationStream;
  level?: string;
  name?: string;
}

/**
 * Structured logger. Every record passes through secret masking before it is serialised, so a
 * credential handed to a log call never reaches a file or the terminal.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const streams: { stream: DestinationStream }[] = [];
  if (options.file) {
    fs.mkdirSync(path.dirname(options.file), { recursive: true });
    streams.push({ stream: pino.destination({ dest: options.file, sync: true, mkdir: true }) });
  }
  if (options.stream) streams.push({ stream: options.stream });
  const destination = streams.length ? pino.multistream(streams) : pino.destination({ dest: 2, sync: true });
  return pino(
    {
      name: options.name ?? 'valdrix',
      level: options.level ?? process.env.VALDRIX_LOG_LEVEL ?? 'info',
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        log: (record) => maskSecrets(record),
        bindings: (bindings) => maskSecrets(bindings),
      },
      hooks: {
        // Messages are free text: mask credentials that appear inline ("token=…", "Bearer …").
        logMethod(args, method) {
          const masked = args.map((a) => (typeof a === 'string' ? maskText(a) : a)) as Parameters<typeof method>;
          method.apply(this, masked);
        },
      },
      serializers: { err: (err: unknown) => maskSecrets(pino.stdSerializers.err(err as Error)) },
    },
    destination,
  );
}

/** A logger that discards everything (tests, short CLI commands without a workspace). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
