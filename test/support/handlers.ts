import type { Handlers } from '../../electron/host/registry';
import { channels } from '../../shared/api/contract';
import { AppError } from '../../shared/api/errors';

/** A complete Handlers object whose channels fail unless overridden: for registry and transport tests. */
export function stubHandlers(overrides: Partial<Handlers> = {}): Handlers {
  const stubs = Object.fromEntries(
    channels.map((channel) => [
      channel,
      () => {
        throw new AppError('INTERNAL', `stub handler for ${channel}`);
      },
    ]),
  );
  return { ...stubs, ...overrides } as Handlers;
}
