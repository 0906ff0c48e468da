import { AppError, toErrorData, type AppErrorData } from '../../shared/api/errors';
import { escapeControl } from '../../shared/text';
import { EXIT } from './exit-codes';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
}

export const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
};

/**
 * Prints a command's result: the JSON value itself with --json, the human text otherwise. Either way
 * no control character from the data reaches the terminal: a file's header or a service name can hold
 * escape sequences that would retitle, recolour or rewrite it (commands escape data fields themselves
 * with `shown`, so that a newline in a field cannot fake a line either; this is the net under that).
 */
export function printResult(io: CliIo, json: boolean, value: unknown, human: string): void {
  io.stdout(json ? `${jsonText(value)}\n` : `${terminalText(human)}\n`);
}

/** Prints an error: `{"error":{code,message,details}}` on stdout with --json, one line on stderr otherwise. */
export function printError(io: CliIo, json: boolean, error: unknown): AppErrorData {
  const data = toErrorData(error);
  if (json) io.stdout(`${jsonText({ error: data })}\n`);
  else io.stderr(`valdrix: ${escapeControl(data.message)} [${data.code}]\n`);
  return data;
}

/** A data field (from a file or a user) inside human output: every control character escaped, newlines too. */
export function shown(value: string | null | undefined): string {
  return value === null || value === undefined ? '' : escapeControl(value);
}

/** Human output: control characters escaped except the line breaks and tabs the command wrote itself. */
export function terminalText(text: string): string {
  return text
    .split('\n')
    .map((line) => line.split('\t').map(escapeControl).join('\t'))
    .join('\n');
}

/**
 * JSON for the terminal and for pipes. JSON.stringify escapes C0 controls but leaves DEL, the C1
 * controls (U+009B is a one-character CSI) and bidirectional overrides raw; as \u escapes they read
 * back as the same strings.
 */
export function jsonText(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(
    /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

export function usageError(message: string): AppError {
  return new AppError('VALIDATION', message);
}

/** A failure whose explanation the command already printed: exit with `exit` without another message. */
export class ReportedFailure extends Error {
  constructor(
    message: string,
    readonly exit: number = EXIT.failed,
  ) {
    super(message);
    this.name = 'ReportedFailure';
  }
}
