import { type z } from 'zod';
import { channels, contract, isChannel, type Channel, type Handler, type Handlers } from '../../shared/api/contract';
import { AppError, toErrorData, type Result } from '../../shared/api/errors';
import type { Logger } from '../core/log/logger';

export type { Handler, Handlers } from '../../shared/api/contract';

/** Dispatches contract calls: parses input, calls the handler, validates output, wraps errors as data. */
export class HandlerRegistry {
  private readonly handlers = new Map<Channel, Handler<Channel>>();

  constructor(private readonly logger?: Logger) {}

  register<C extends Channel>(channel: C, handler: Handler<C>): void {
    if (this.handlers.has(channel)) throw new Error(`handler for "${channel}" registered twice`);
    this.handlers.set(channel, handler as unknown as Handler<Channel>);
  }

  /** Registers a group of handlers (one capability's), rejecting duplicates. */
  registerAll(group: Partial<Handlers>): void {
    for (const [channel, handler] of Object.entries(group)) {
      this.register(channel as Channel, handler as Handler<Channel>);
    }
  }

  /** Throws unless every contract channel has a handler (the runtime twin of the Handlers type). */
  assertComplete(): this {
    const missing = channels.filter((c) => !this.handlers.has(c));
    if (missing.length) throw new Error(`no handler for: ${missing.join(', ')}`);
    return this;
  }

  async invoke(channel: string, rawInput: unknown): Promise<Result<unknown>> {
    if (!isChannel(channel)) {
      return { ok: false, error: { code: 'NOT_FOUND', message: `unknown channel "${channel.slice(0, 80)}"` } };
    }
    const handler = this.handlers.get(channel);
    if (!handler) return { ok: false, error: { code: 'NOT_FOUND', message: `no handler for "${channel}"` } };
    const spec = contract[channel];
    const parsed = spec.input.safeParse(rawInput ?? {});
    if (!parsed.success) {
      const data = toErrorData(parsed.error);
      return { ok: false, error: { ...data, message: `${channel}: invalid input: ${data.message}` } };
    }
    try {
      const value = await handler(parsed.data as never);
      const output = (spec.output as z.ZodType).safeParse(value);
      if (!output.success) {
        this.logger?.error({ channel, issues: output.error.issues.slice(0, 5) }, 'handler output broke the contract');
        throw new AppError('INTERNAL', `${channel}: the result did not match the contract`);
      }
      return { ok: true, value: output.data };
    } catch (error) {
      const data = toErrorData(error);
      if (data.code === 'INTERNAL') this.logger?.error({ channel, err: error }, 'handler failed');
      return { ok: false, error: data };
    }
  }
}

/** Builds a complete registry from one Handlers object (type-checked) or several capability groups. */
export function registerHandlers(registry: HandlerRegistry, handlers: Handlers): HandlerRegistry {
  registry.registerAll(handlers);
  return registry.assertComplete();
}
