/** The costs capability's services and handlers: the Overview and cost questions over current snapshots. */
import type { z } from 'zod';
import type { HandlersOf } from '../../../shared/api/contract';
import {
  CostLinesInputSchema,
  CostQueryInputSchema,
  type costsChannels,
  type CostQueryInput,
} from '../../../shared/api/costs';
import { OverviewInputSchema, type Overview, type OverviewInput } from '../../../shared/api/overview';
import { today } from '../app';
import type { CoreContext, CoreKit } from '../context';
import { reportingCurrency } from '../workspace';
import { costAnswerCsv, queryLines } from './lines';
import { computeOverview } from './overview';
import { queryCosts, type CostQuery } from './query';

export function createCostsServices(ctx: CoreContext, kit: CoreKit) {
  const { audit, store } = ctx.workspace;
  return {
    overview: {
      /** Month-to-date, daily spend and top services in the reporting currency. */
      get(input: OverviewInput = {}): Overview {
        const parsed = OverviewInputSchema.parse(input);
        return computeOverview(store.sqlite, {
          asOf: today(ctx.clock),
          currency: reportingCurrency(store),
          groupBy: parsed.groupBy,
          metric: parsed.metric,
        });
      },
    },
    costs: {
      /** Exact totals of current snapshots grouped by dimensions. */
      query(input: CostQueryInput) {
        const parsed = CostQueryInputSchema.parse(input);
        return queryCosts(store.sqlite, {
          ...parsed,
          filters: parsed.filters as CostQuery['filters'],
          asOf: today(ctx.clock),
        });
      },
      lines(input: z.input<typeof CostLinesInputSchema>) {
        const parsed = CostLinesInputSchema.parse(input);
        return queryLines(store.sqlite, { ...parsed, asOf: today(ctx.clock) });
      },
      /** CSV of a cost question; the export is an audited user action. */
      async exportCsv(input: CostQueryInput) {
        const parsed = CostQueryInputSchema.parse(input);
        const answer = queryCosts(store.sqlite, {
          ...parsed,
          filters: parsed.filters as CostQuery['filters'],
          asOf: today(ctx.clock),
          limit: 100_000,
        });
        const csv = costAnswerCsv(parsed.by, answer.rows);
        const fileName = `valdrix-costs-${parsed.from ?? 'all'}-${parsed.to ?? 'all'}.csv`;
        await kit.atomically(() =>
          audit.record({
            action: 'costs.exported',
            entityType: 'cost_query',
            details: { query: parsed, rows: answer.rows.length, totals: answer.totals, fileName },
          }),
        );
        return { fileName, csv };
      },
    },
  };
}

export type CostsServices = ReturnType<typeof createCostsServices>;

export function costsHandlers(services: CostsServices): HandlersOf<typeof costsChannels> {
  return {
    'overview.get': (input) => services.overview.get(input),
    'costs.query': (input) => services.costs.query(input),
    'costs.lines': (input) => services.costs.lines(input),
    'costs.exportCsv': (input) => services.costs.exportCsv(input),
  };
}
