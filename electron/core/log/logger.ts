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
 * Masks every serialised record on its way to a destination. Masking at the sink, rather than in
 * pino's formatters, also covers the message pino takes from a logged Error and the bindings of
 * child loggers, which the formatters never see.
 */
export function maskingStream(target: DestinationStream): DestinationStream {
  return {
    write(line: string) {
      let masked: string;
      try {
        masked = `${JSON.stringify(maskSecrets(JSON.parse(line) as unknown))}\n`;
      } catch {
        masked = maskText(line);
      }
      target.write(masked);
    },
  };
}

/** Structured JSON logger whose records never carry a secret (see shared/mask.ts). */
export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? process.env.VALDRIX_LOG_LEVEL ?? 'info';
  const streams: { stream: DestinationStream; level: string }[] = [];
  if (options.file) {
    fs.mkdirSync(path.dirname(options.file), { recursive: true });
    streams.push({ level, stream: maskingStream(pino.destination({ dest: options.file, sync: true, mkdir: true })) });
  }
  if (options.stream) streams.push({ level, stream: maskingStream(options.stream) });
  if (!streams.length) streams.push({ level, stream: maskingStream(pino.destination({ dest: 2, sync: true })) });
  return pino(
    {
      name: options.name ?? 'valdrix',
      level,
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    pino.multistream(streams),
  );
}

/** A logger that discards everything (tests, short CLI commands without a workspace). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
