/** The restatements capability's services and handlers. */
import type { HandlersOf } from '../../../shared/api/contract';
import {
  RestatementPageInputSchema,
  type RestatementPageInput,
  type restatementsChannels,
} from '../../../shared/api/restatements';
import type { CoreContext } from '../context';
import { listRestatements } from '../ingest';
import { restatementPage } from './page';

export function createRestatementServices(ctx: CoreContext) {
  const { store } = ctx.workspace;
  return {
    restatements: {
      list: (input: { runId?: string; limit?: number } = {}) => listRestatements(store, input),
      /** Ranked by impact, a page at a time, with per-currency sums (the Restatements screen). */
      page: (input: RestatementPageInput = {}) => restatementPage(store, RestatementPageInputSchema.parse(input)),
    },
  };
}

export type RestatementServices = ReturnType<typeof createRestatementServices>;

export function restatementsHandlers(services: RestatementServices): HandlersOf<typeof restatementsChannels> {
  return {
    'restatements.list': (input) => services.restatements.list(input),
    'restatements.page': (input) => services.restatements.page(input),
  };
}
