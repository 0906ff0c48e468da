import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../electron/core/log/logger';
import { MASK, isSensitiveKey, maskSecrets, maskText } from '../../shared/mask';

const SENSITIVE_KEYS = [
  'password',
  'token',
  'secret',
  'api_key',
  'apiKey',
  'access_key',
  'secret_access_key',
  'session_token',
  'external_id',
  'client_secret',
  'private_key',
  'credit_card',
  'Authorization',
];

const PEM_BODY =
  'MIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu\n' +
  'KUpRKfFLfRYC9AIKjbJTWit+CqvjWYzvQwECAwEAAQJAIJLixBy2qpFoS4DSmoEm\n';

describe('maskSecrets', () => {
  it.each(SENSITIVE_KEYS)('masks the value under %s', (key) => {
    expect(isSensitiveKey(key)).toBe(true);
    expect(maskSecrets({ [key]: 'value-123', other: 'kept' })).toEqual({ [key]: MASK, other: 'kept' });
  });

  it.each(['user', 'region', 'count', 'serviceName', 'accountId', 'description'])('leaves %s untouched', (key) => {
    expect(isSensitiveKey(key)).toBe(false);
  });

  it('masks nested objects and arrays and keeps everything else', () => {
    const input = {
      user: 'alice',
      count: 3,
      enabled: true,
      nothing: null,
      region: 'us-east-1',
      connector: {
        kind: 'aws',
        secret_access_key: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
        roles: [{ arn: 'arn:aws:iam::1:role/x', external_id: 'ext-42' }, { session_token: 'FQoGZXIvYXdzE' }],
      },
      headers: [{ Authorization: 'Basic dXNlcjpwYXNz', accept: 'application/json' }],
      list: ['plain', 42],
    };
    expect(maskSecrets(input)).toEqual({
      user: 'alice',
      count: 3,
      enabled: true,
      nothing: null,
      region: 'us-east-1',
      connector: {
        kind: 'aws',
        secret_access_key: MASK,
        roles: [{ arn: 'arn:aws:iam::1:role/x', external_id: MASK }, { session_token: MASK }],
      },
      headers: [{ Authorization: MASK, accept: 'application/json' }],
      list: ['plain', 42],
    });
  });

  it('masks a whole object held under a sensitive key', () => {
    expect(maskSecrets({ credentials: { user: 'u', pass: 'p' }, name: 'n' })).toEqual({ credentials: MASK, name: 'n' });
  });

  it('does not mutate its input', () => {
    const input = { password: 'hunter2', nested: { token: 'abc', list: [{ apiKey: 'k' }] }, note: 'token=abc' };
    const snapshot = structuredClone(input);
    const output = maskSecrets(input);
    expect(input).toEqual(snapshot);
    expect(output).not.toBe(input);
    expect(output.nested).not.toBe(input.nested);
  });

  it('terminates on cycles and keeps the shape of the cycle', () => {
    const input: Record<string, unknown> = { name: 'root', password: 'hunter2' };
    input.self = input;
    input.children = [input, { parent: input, token: 'tok' }];
    const output = maskSecrets(input);
    expect(output.password).toBe(MASK);
    expect(output.self).toBe(output);
    const children = output.children as unknown[];
    expect(children[0]).toBe(output);
    expect(children[1]).toEqual({ parent: output, token: MASK });
    expect(input.password).toBe('hunter2');
  });

  it('masks credentials inside strings and Error objects', () => {
    const error = new Error('request failed: Bearer xyz789');
    const output = maskSecrets({ url: 'https://x.test/?token=abc123&page=2', error });
    expect(output.url).toBe('https://x.test/?token=***&page=2');
    const masked = output.error as unknown as Record<string, unknown>;
    expect(masked.message).toBe('request failed: Bearer ***');
    expect(JSON.stringify(output)).not.toContain('xyz789');
    expect(String(masked.stack)).not.toContain('xyz789');
  });
});

describe('maskText', () => {
  it.each([
    ['Authorization: Bearer abc.def', 'Authorization: Bearer ***'],
    ['Bearer abc.def', 'Bearer ***'],
    ['token=abc&x=1', 'token=***&x=1'],
    ['?access_token=eyJhbGciOi.x-y&ok=1', '?access_token=***&ok=1'],
    ['password=hunter2 next', 'password=*** next'],
    ['client_secret=s3cr3t', 'client_secret=***'],
    ['key id AKIAIOSFODNN7EXAMPLE here', 'key id *** here'],
    ['temp ASIAIOSFODNN7EXAMPLE', 'temp ***'],
    ['nothing secret about tokens here', 'nothing secret about tokens here'],
  ])('maskText(%j) = %j', (input, expected) => {
    expect(maskText(input)).toBe(expected);
  });

  it('replaces a whole PEM private key block', () => {
    const pem = `-----BEGIN RSA PRIVATE KEY-----\n${PEM_BODY}-----END RSA PRIVATE KEY-----`;
    expect(maskText(`key: ${pem} end`)).toBe(`key: ${MASK} end`);
  });

  it('replaces a whole PEM private key block whose base64 ends in "=" padding', () => {
    const pem = `-----BEGIN PRIVATE KEY-----\n${PEM_BODY}AQIhAQ==\n-----END PRIVATE KEY-----`;
    const masked = maskText(`key: ${pem} end`);
    expect(masked).not.toContain('MIIBOgIBAAJBAKj34'); // the secret itself never survives
    expect(masked).toBe(`key: ${MASK} end`);
  });
});

describe('createLogger masks secrets', () => {
  const SECRETS = ['hunter2', 's3cr3t-value', 'abc123def', 'xyz789', 'childkey123', 'fmt-secret-1'];

  function captureLogger() {
    const chunks: string[] = [];
    const logger = createLogger({ level: 'info', stream: { write: (chunk: string) => void chunks.push(chunk) } });
    const records = () =>
      chunks
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>);
    return { logger, text: () => chunks.join(''), records };
  }

  it('masks object fields and inline credentials in the message, keeping other fields', () => {
    const { logger, text, records } = captureLogger();
    logger.info(
      { password: 'hunter2', user: 'alice', nested: { client_secret: 's3cr3t-value', region: 'eu-west-1' } },
      'login with token=abc123def',
    );
    const [record] = records();
    expect(record).toMatchObject({
      user: 'alice',
      password: MASK,
      nested: { client_secret: MASK, region: 'eu-west-1' },
      msg: 'login with token=***',
    });
    for (const secret of ['hunter2', 's3cr3t-value', 'abc123def']) expect(text()).not.toContain(secret);
  });

  it('masks printf-style arguments', () => {
    const { logger, text } = captureLogger();
    logger.info('calling with %s', 'password=fmt-secret-1');
    expect(text()).toContain('calling with password=***');
    expect(text()).not.toContain('fmt-secret-1');
  });

  it('masks an Error passed under err, including its stack', () => {
    const { logger, text, records } = captureLogger();
    logger.error({ err: new Error('upstream said Bearer xyz789') }, 'sync failed');
    const [record] = records();
    expect(record!.msg).toBe('sync failed');
    expect((record!.err as Record<string, unknown>).message).toBe('upstream said Bearer ***');
    expect(text()).not.toContain('xyz789');
  });

  it('masks an Error logged directly (its message becomes the record message)', () => {
    const { logger, text, records } = captureLogger();
    logger.error(new Error('upstream said Bearer xyz789'));
    const [record] = records();
    expect(record!.msg).toBe('upstream said Bearer ***');
    expect(text()).not.toContain('xyz789');
  });

  it('masks secrets in child logger bindings', () => {
    const { logger, text, records } = captureLogger();
    logger.child({ apiKey: 'childkey123', connector: 'aws-prod' }).info('child ready');
    const [record] = records();
    expect(record).toMatchObject({ connector: 'aws-prod', msg: 'child ready' });
    expect(text()).not.toContain('childkey123');
  });

  describe('to a file', () => {
    let dir: string | undefined;
    afterEach(() => {
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
      dir = undefined;
    });

    it('creates the folder and writes JSON lines without any secret', () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'valdrix-log-'));
      const file = path.join(dir, 'logs', 'nested', 'valdrix.log');
      const logger = createLogger({ file, level: 'info' });
      logger.info(
        { password: 'hunter2', user: 'alice', nested: { client_secret: 's3cr3t-value' } },
        'login with token=abc123def',
      );
      logger.warn({ err: new Error('refused: Bearer xyz789'), account: '111122223333' }, 'import failed');
      const content = fs.readFileSync(file, 'utf8');
      const lines = content.split('\n').filter(Boolean);
      expect(lines).toHaveLength(2);
      expect(content).toContain('alice');
      expect(content).toContain('111122223333');
      expect(content).toContain('login with token=***');
      for (const secret of SECRETS) expect(content).not.toContain(secret);
    });
  });
});

describe('isSensitiveKey matches whole words only', () => {
  it('masks secret-bearing keys in any casing', async () => {
    const { isSensitiveKey } = await import('../../shared/mask');
    for (const key of [
      'password',
      'clientSecret',
      'CLIENT_SECRET',
      'x-api-key',
      'apiKey',
      'refresh_token',
      'AWS_SECRET_ACCESS_KEY',
      'Authorization',
      'sasToken',
    ]) {
      expect(isSensitiveKey(key), key).toBe(true);
    }
  });

  it('leaves ordinary keys that merely contain those letters', async () => {
    const { isSensitiveKey } = await import('../../shared/mask');
    for (const key of ['passed', 'bypassCount', 'tokens', 'tokenizer', 'compass', 'secretary', 'rows', 'keyCount']) {
      expect(isSensitiveKey(key), key).toBe(false);
    }
  });
});
