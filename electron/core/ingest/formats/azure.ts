/**
 * Azure cost-details exports (CSV): Enterprise Agreement ("Cost" or "CostInBillingCurrency", MM/DD/YYYY
 * dates), Microsoft Customer Agreement camelCase ("costInBillingCurrency", "paygCostInBillingCurrency",
 * "invoiceId"), the legacy pay-as-you-go usage export ("PreTaxCost", "UsageDateTime", "SubscriptionGuid")
 * and portal downloads with localised headers ("Abonnement-GUID (SubscriptionGuid)"), where the English
 * name in parentheses is the reliable key.
 *
 * Costs (FINOPS.md, and Microsoft's "Validate FOCUS data" mapping in the FinOps toolkit docs):
 * - The actual-cost dataset's cost column is what the invoice charges (BilledCost). Usage covered by a
 *   reservation or savings plan costs 0 there; the commitment appears as a Purchase row.
 * - The amortized dataset's cost column is EffectiveCost: commitment purchases are left out and spread over
 *   the usage rows they covered, and the unused share appears as UnusedReservation / UnusedSavingsPlan.
 * Both datasets share one header, so each row is classified on its own, in a way that is right in either:
 *   commitment-covered usage and unused commitment: billed 0, effective = cost;
 *   commitment purchases and their refunds: billed = cost, effective 0 (the amortized usage rows carry it);
 *   everything else: billed = effective = cost.
 * An actual-cost file therefore under-states effective cost for commitment-covered usage (it only knows
 * 0 there): import the amortized export for effective cost.
 */
import {
  discriminator as joinDiscriminator,
  ColumnIndex,
  amount,
  billingMonth,
  columnKey,
  currency,
  monthOf,
  nextDayIso,
  optionalAmount,
  parseTags,
  parseTimestamp,
  requiredText,
  text,
} from './common';
import { RowError, type CompiledMapper, type FormatMapper, type NormalizedLine, type RowValues } from '../model';
import { excerpt } from '../../../../shared/text';
import { serviceCategorizer } from '../service-categories';

const PROVIDER = 'Microsoft';
const UNSPECIFIED = '(unspecified)';

/** The English name a localised header carries in parentheses: "Abonnement-GUID (SubscriptionGuid)". */
const ENGLISH_ALIAS = /^(.*?)\s*\(\s*([A-Za-z][A-Za-z0-9_]*)\s*\)\s*$/;
/** Words of Azure's German portal headers, to name the variant; any alias header counts as localised. */
const GERMAN_WORDS = /[äöüß]|abonnement|ressourcen|verbrauchseinheit|dienst|genutzter|zusätzliche/i;

/** Column spellings, first match wins. Names are compared by columnKey (case and punctuation free). */
const NAMES = {
  // ExtendedCost: the EA portal's usage-details download.
  cost: ['CostInBillingCurrency', 'PreTaxCost', 'Cost', 'ExtendedCost'],
  currency: ['BillingCurrencyCode', 'BillingCurrency', 'Currency'],
  date: ['Date', 'UsageDateTime', 'UsageDate'],
  billingPeriodStart: ['BillingPeriodStartDate'],
  billingAccount: ['BillingAccountId', 'EnrollmentNumber'],
  billingAccountName: ['BillingAccountName'],
  // EA usage details have no enrollment number on their rows, only the enrollment account under it: its
  // id, or in the EA portal's download (which has no id) its owner, the account's login.
  enrollmentAccount: ['AccountId', 'EnrollmentAccountId', 'AccountOwnerId', 'AccountOwnerEmail'],
  enrollmentAccountName: ['AccountName', 'EnrollmentAccountName'],
  // The GUID first: EA usage details also carry the numeric legacy SubscriptionId (all "0" once
  // anonymised), while cost details name the GUID SubscriptionId and have no SubscriptionGuid.
  subscription: ['SubscriptionGuid', 'SubscriptionId'],
  subscriptionName: ['SubscriptionName'],
  meterCategory: ['MeterCategory'],
  serviceName: ['ServiceName'],
  consumedService: ['ConsumedService'],
  location: ['ResourceLocation'],
  // MCA names the resource's ARM id "InstanceName".
  resource: ['ResourceId', 'InstanceId', 'InstanceName'],
  resourceName: ['ResourceName'],
  productId: ['ProductId'],
  meterId: ['MeterId'],
  product: ['ProductName', 'Product'],
  chargeType: ['ChargeType'],
  pricingModel: ['PricingModel'],
  benefitId: ['BenefitId'],
  reservationId: ['ReservationId'],
  quantity: ['Quantity', 'UsageQuantity', 'ConsumedQuantity'],
  unit: ['UnitOfMeasure'],
  tags: ['Tags'],
  additionalInfo: ['AdditionalInfo'],
  invoice: ['InvoiceId'],
  paygCost: ['PaygCostInBillingCurrency'],
} as const;

export type AzureColumns = Record<keyof typeof NAMES, number>;

/** Groups of spellings whose presence makes a header look like Azure cost details (detect()'s score). */
const SIGNATURE: readonly (readonly string[])[] = [
  NAMES.cost,
  NAMES.date,
  NAMES.subscription,
  NAMES.meterCategory,
  NAMES.meterId,
  ['MeterName'],
  NAMES.location,
  NAMES.consumedService,
  NAMES.resource,
  NAMES.tags,
  NAMES.additionalInfo,
  ['ResourceGroup', 'ResourceGroupName'],
  NAMES.unit,
];

/** Names that only FOCUS or AWS exports carry: a file with any of them is not this format. */
const FOREIGN = [
  'BilledCost',
  'ChargePeriodStart',
  'lineItem/UnblendedCost',
  'line_item_unblended_cost',
  'identity/LineItemId',
];

interface AzureHeader {
  index: ColumnIndex;
  /** Columns as written, for error messages. */
  written: readonly string[];
  localised: 'German headers' | 'localised headers' | null;
  bom: boolean;
}

function readHeader(columns: readonly string[]): AzureHeader {
  let aliases = 0;
  let german = false;
  const canonical = columns.map((name) => {
    const match = ENGLISH_ALIAS.exec(name.replace(/^\uFEFF/, ''));
    if (!match) return name;
    const [, local = '', english = ''] = match;
    if (columnKey(local) !== columnKey(english)) aliases++;
    if (GERMAN_WORDS.test(local)) german = true;
    return english;
  });
  return {
    index: new ColumnIndex(canonical),
    written: columns,
    localised: german ? 'German headers' : aliases > 0 ? 'localised headers' : null,
    // The CSV reader strips a BOM before the mapper sees the header; other sources may not.
    bom: columns[0]?.startsWith('\uFEFF') ?? false,
  };
}

/** Resolved positions (-1 when absent) for each field the mapper reads; exported for tests and diagnostics. */
export function azureColumnPositions(columns: readonly string[]): AzureColumns {
  return resolve(readHeader(columns).index);
}

function resolve(index: ColumnIndex): AzureColumns {
  const positions = {} as AzureColumns;
  for (const key of Object.keys(NAMES) as (keyof typeof NAMES)[]) positions[key] = index.find(...NAMES[key]);
  return positions;
}

/**
 * EA usage details (the EA portal download and the EA reporting API's usagedetails): the numeric legacy
 * SubscriptionId beside SubscriptionGuid, the enrollment hierarchy (account, department), no currency.
 */
function isEaUsageDetails(index: ColumnIndex): boolean {
  return (
    index.has('SubscriptionGuid') &&
    index.has('AccountId', 'AccountOwnerId', 'AccountOwnerEmail', 'DepartmentId', 'DepartmentName') &&
    !index.has(...NAMES.currency)
  );
}

function agreement(index: ColumnIndex): string {
  if (isEaUsageDetails(index)) return 'EA usage details';
  // EA exports name the enrollment account's owner; MCA exports carry pricing-currency columns instead.
  if (index.has('AccountOwnerId', 'EnrollmentNumber', 'DepartmentName')) return 'EA cost details';
  if (index.has('PricingCurrency', 'ExchangeRatePricingToBilling', 'CostInPricingCurrency')) {
    return 'MCA cost details';
  }
  if (index.has('PreTaxCost')) return 'pay-as-you-go usage export';
  return 'cost details';
}

interface ChargeKind {
  category: string;
  chargeClass: string | null;
  /** UnusedReservation / UnusedSavingsPlan: the unused share of a commitment (amortized view only). */
  unused: 'Reservation' | 'Savings Plan' | null;
  refund: boolean;
}

const CHARGE_TYPES = new Map<string, ChargeKind>([
  ['usage', { category: 'Usage', chargeClass: null, unused: null, refund: false }],
  ['purchase', { category: 'Purchase', chargeClass: null, unused: null, refund: false }],
  // Microsoft's FOCUS mapping: a refund is a correction within its charge category. Azure's refunds are of
  // purchases (reservations, savings plans, Marketplace), so they stay Purchase rather than Credit.
  ['refund', { category: 'Purchase', chargeClass: 'Correction', unused: null, refund: true }],
  ['unusedreservation', { category: 'Usage', chargeClass: null, unused: 'Reservation', refund: false }],
  ['unusedsavingsplan', { category: 'Usage', chargeClass: null, unused: 'Savings Plan', refund: false }],
  ['tax', { category: 'Tax', chargeClass: null, unused: null, refund: false }],
  ['roundingadjustment', { category: 'Adjustment', chargeClass: null, unused: null, refund: false }],
]);
const USAGE = CHARGE_TYPES.get('usage')!;

const COMMITMENT_TYPES = new Map<string, string>([
  ['reservation', 'Reservation'],
  ['savingsplan', 'Savings Plan'],
]);

const DOTTED_DATE = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/;

/** The billing day (YYYY-MM-DD): EA's MM/DD/YYYY, ISO dates and times, and German DD.MM.YYYY. */
function chargeDay(values: RowValues, position: number, column: string): string {
  const raw = requiredText(values, position, column);
  const dotted = DOTTED_DATE.exec(raw);
  const parsed = parseTimestamp(
    dotted ? `${dotted[3]}-${dotted[2]!.padStart(2, '0')}-${dotted[1]!.padStart(2, '0')}` : raw,
  );
  if (!parsed) throw new RowError(column, `"${column}" is not a valid date: "${excerpt(raw)}"`);
  return parsed.day;
}

export const azureMapper: FormatMapper = {
  id: 'azure',
  label: 'Azure cost details',
  detect(columns) {
    const { index } = readHeader(columns);
    if (FOREIGN.some((name) => index.has(name))) return 0;
    if (!index.has(...NAMES.cost) || !index.has(...NAMES.date)) return 0;
    if (!index.has(...NAMES.subscription) || !index.has(...NAMES.meterCategory, ...NAMES.meterId)) return 0;
    const present = SIGNATURE.filter((names) => index.has(...names)).length;
    return 0.7 + (0.3 * present) / SIGNATURE.length;
  },
  compile(columns, context): CompiledMapper {
    const header = readHeader(columns);
    const { index } = header;
    const c = resolve(index);
    index.require(...NAMES.cost);
    index.require(...NAMES.date);
    if (c.currency === -1 && !context.defaults?.currency && isEaUsageDetails(index)) {
      throw new RowError(
        'BillingCurrency',
        'Azure EA usage details have no currency column: give the billing currency with --currency ' +
          '(the one your EA invoice is in, for example --currency USD)',
      );
    }
    if (c.currency === -1 && !context.defaults?.currency) {
      throw new RowError(
        'BillingCurrency',
        'missing required column "BillingCurrency" (or give a currency with --currency)',
      );
    }
    // Errors name columns as written; an absent column is named by its usual English spelling.
    const name = (key: keyof typeof NAMES, fallback: string = NAMES[key][0]) => header.written[c[key]] ?? fallback;
    const names = {
      cost: name('cost'),
      date: name('date'),
      currency: name('currency', 'BillingCurrency'),
      billingPeriodStart: name('billingPeriodStart'),
      paygCost: name('paygCost'),
      tags: name('tags'),
      chargeType: name('chargeType'),
    };
    const defaults = context.defaults;
    const notes = [header.localised, header.bom ? 'BOM' : null].filter((note) => note !== null);
    const base = `Azure ${agreement(index)}`;
    // Which dataset this is shows only in rows: Unused* rows and commitment-covered usage with a cost exist
    // only in the amortized view; commitment purchases with a cost only in the actual view.
    const seen = { actual: false, amortized: false };
    const serviceCategory = serviceCategorizer('azure');
    // Where the layout has no billing account column at all (legacy pay-as-you-go exports, some partner
    // layouts) and no enrollment account either, a pay-as-you-go subscription is invoiced on its own, so
    // it is the billing scope.
    const subscriptionIsBillingScope = c.billingAccount === -1 && c.enrollmentAccount === -1;

    const map = (values: RowValues): NormalizedLine[] => {
      const day = chargeDay(values, c.date, names.date);
      const cost = amount(values, c.cost, names.cost);
      const chargeTypeText = text(values, c.chargeType);
      const kind = chargeTypeText === null ? USAGE : CHARGE_TYPES.get(columnKey(chargeTypeText));
      if (!kind) {
        throw new RowError(
          names.chargeType,
          `"${names.chargeType}" has an unknown charge type "${chargeTypeText}" (expected Usage, Purchase, ` +
            'Refund, UnusedReservation, UnusedSavingsPlan, Tax or RoundingAdjustment)',
        );
      }
      const pricingModel = text(values, c.pricingModel);
      const benefitId = text(values, c.benefitId);
      const reservationId = text(values, c.reservationId);
      // The toolkit docs prefer BenefitId: fully qualified, and it covers savings plans too.
      const commitmentDiscountId = benefitId ?? reservationId;
      const modelType = pricingModel === null ? undefined : COMMITMENT_TYPES.get(columnKey(pricingModel));
      // Older exports have no PricingModel: a reservation id alone marks the row as committed.
      const committed = modelType !== undefined || (pricingModel === null && commitmentDiscountId !== null);
      const commitmentDiscountType =
        kind.unused ??
        modelType ??
        (commitmentDiscountId === null
          ? null
          : /savingsplan/i.test(commitmentDiscountId)
            ? 'Savings Plan'
            : 'Reservation');

      let billedCost = cost;
      let effectiveCost = cost;
      let commitmentDiscountStatus: string | null = null;
      if (kind.unused) {
        billedCost = 0n;
        commitmentDiscountStatus = 'Unused';
        seen.amortized = true;
      } else if (committed && kind.category === 'Usage') {
        billedCost = 0n;
        commitmentDiscountStatus = 'Used';
        if (cost !== 0n) seen.amortized = true;
      } else if (committed && kind.category === 'Purchase') {
        effectiveCost = 0n;
        if (cost !== 0n && !kind.refund) seen.actual = true;
      }

      const subscription = text(values, c.subscription);
      const product = text(values, c.product);
      const billingPeriodText = text(values, c.billingPeriodStart);
      // --billing-account (the enrollment number) outranks the enrollment account, which is only the
      // nearest billing scope an EA usage-details row names.
      const billingAccount = text(values, c.billingAccount) ?? defaults?.billingAccountId ?? null;
      const enrollmentAccount = billingAccount === null ? text(values, c.enrollmentAccount) : null;
      const meterCategory = text(values, c.meterCategory);
      const serviceName = text(values, c.serviceName);
      const consumedService = text(values, c.consumedService);
      return [
        {
          provider: PROVIDER,
          billingAccountId:
            billingAccount ?? enrollmentAccount ?? (subscriptionIsBillingScope ? subscription : null) ?? UNSPECIFIED,
          billingAccountName:
            text(values, c.billingAccountName) ??
            (enrollmentAccount === null ? null : text(values, c.enrollmentAccountName)),
          subAccountId: subscription,
          subAccountName: text(values, c.subscriptionName),
          // MeterCategory is what Cost Management shows as "Service name"; the legacy ServiceName column holds
          // the same names; ConsumedService (a resource provider such as Microsoft.Compute) is a last resort.
          serviceName: meterCategory ?? serviceName ?? consumedService ?? UNSPECIFIED,
          serviceCategory: serviceCategory(meterCategory, serviceName, consumedService),
          region: text(values, c.location),
          resourceId: text(values, c.resource),
          resourceName: text(values, c.resourceName),
          skuId: text(values, c.productId) ?? text(values, c.meterId),
          chargeCategory: kind.category,
          chargeClass: kind.chargeClass,
          chargeDescription: product,
          chargePeriodStart: `${day}T00:00:00Z`,
          chargePeriodEnd: nextDayIso(day),
          chargeDay: day,
          billingPeriod:
            billingPeriodText === null ? monthOf(day) : billingMonth(billingPeriodText, names.billingPeriodStart),
          invoiceId: text(values, c.invoice),
          currency: currency(values, c.currency, names.currency, defaults?.currency),
          billedCost,
          effectiveCost,
          // FINOPS.md names paygCostInBillingCurrency; it does not endorse PayGPrice × Quantity for EA.
          listCost: optionalAmount(values, c.paygCost, names.paygCost),
          commitmentDiscountId,
          commitmentDiscountType,
          commitmentDiscountStatus,
          pricingQuantity: text(values, c.quantity),
          pricingUnit: text(values, c.unit),
          tags: parseTags(text(values, c.tags), names.tags),
          discriminator: joinDiscriminator(
            text(values, c.meterId),
            product,
            chargeTypeText,
            pricingModel,
            text(values, c.additionalInfo),
          ),
        },
      ];
    };

    return {
      get variant() {
        const view =
          seen.amortized && !seen.actual ? ', amortized cost' : seen.actual && !seen.amortized ? ', actual cost' : '';
        return `${base}${view}${notes.length > 0 ? ` (${notes.join(', ')})` : ''}`;
      },
      map,
    };
  },
};
