import { AppError, toErrorData, type AppErrorData } from '../../shared/api/errors';

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

/** Prints a command's result: the JSON value itself with --json, the human text otherwise. */
export function printResult(io: CliIo, json: boolean, value: unknown, human: string): void {
  io.stdout(json ? `${JSON.stringify(value, null, 2)}\n` : `${human}\n`);
}

/** Prints an error: `{"error":{code,message,details}}` on stdout with --json, one line on stderr otherwise. */
export function printError(io: CliIo, json: boolean, error: unknown): AppErrorData {
  const data = toErrorData(error);
  if (json) io.stdout(`${JSON.stringify({ error: data }, null, 2)}\n`);
  else io.stderr(`valdrix: ${data.message} [${data.code}]\n`);
  return data;
}

export function usageError(message: string): AppError {
  return new AppError('VALIDATION', message);
}

/** A failure whose explanation the command already printed: exit 1 without another message. */
export class ReportedFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReportedFailure';
  }
}
