import type { z } from 'zod';
import { alertsChannels } from './alerts';
import { appChannels } from './app';
import { auditChannels } from './audit';
import { costsChannels } from './costs';
import { importsChannels } from './imports';
import { jobsChannels } from './jobs';
import { reconcileChannels } from './reconcile';
import { restatementsChannels } from './restatements';
import { settingsChannels } from './settings';

/**
 * The one API contract: every channel, keyed `domain.verb`, with zod input and output schemas, as the
 * spread of each capability's slice (shared/api/<capability>.ts). Electron IPC, the preload, the
 * browser-mode HTTP bridge and the renderer client all derive from it. A new capability adds one line.
 */
export const contract = {
  ...appChannels,
  ...costsChannels,
  ...jobsChannels,
  ...auditChannels,
  ...settingsChannels,
  ...importsChannels,
  ...restatementsChannels,
  ...alertsChannels,
  ...reconcileChannels,
} as const;

export type Contract = typeof contract;
export type Channel = keyof Contract;
export type ChannelInput<C extends Channel> = z.input<Contract[C]['input']>;
export type ChannelParsedInput<C extends Channel> = z.output<Contract[C]['input']>;
export type ChannelOutput<C extends Channel> = z.output<Contract[C]['output']>;

export const channels = Object.keys(contract) as Channel[];

export function isChannel(name: string): name is Channel {
  return Object.prototype.hasOwnProperty.call(contract, name);
}

export type Handler<C extends Channel> = (input: ChannelParsedInput<C>) => ChannelOutput<C> | Promise<ChannelOutput<C>>;

/** A handler for every channel of the contract: leaving one out is a type error. */
export type Handlers = { [C in Channel]: Handler<C> };

/** The handlers of one capability's slice of the contract, exactly its channels. */
export type HandlersOf<Slice> = { [C in keyof Slice & Channel]: Handler<C> };
