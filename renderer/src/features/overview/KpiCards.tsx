import type { Overview } from '../../../../shared/api/overview';
import { Kpi } from '../../components/Kpi';
import { Money } from '../../components/Money';
import { Percent } from '../../components/Percent';
import { formatDateRange, formatMonth } from '../../lib/format';

/** Month-to-date, the same days of last month with the change, and last month in full. */
export function KpiCards({ overview }: { overview: Overview }) {
  const { currency, monthToDate, lastMonthSamePeriod, lastMonth, changePct } = overview;
  return (
    <div className="kpi-grid">
      <Kpi
        label="Month to date"
        value={
          <Money
            amount={monthToDate.amount}
            currency={currency}
            data-testid="overview-mtd-total"
            data-amount={monthToDate.amount}
            data-currency={currency}
          />
        }
        detail={formatDateRange(monthToDate.from, monthToDate.to)}
      />
      <Kpi
        label="Same period last month"
        value={<Money amount={lastMonthSamePeriod.amount} currency={currency} />}
        delta={<Percent kind="change" value={changePct} />}
        detail={`month to date vs ${formatDateRange(lastMonthSamePeriod.from, lastMonthSamePeriod.to)}`}
      />
      <Kpi
        label="Last month"
        value={<Money amount={lastMonth.amount} currency={currency} />}
        detail={`${formatMonth(lastMonth.month)}, full month`}
      />
    </div>
  );
}
