/**
 * AWS Cost and Usage Reports: legacy CUR (`lineItem/UnblendedCost` headers, one `resourceTags/…` column
 * per tag), legacy CUR queried through Athena (`line_item_unblended_cost`, flattened
 * `resource_tags_user_*` columns) and CUR 2.0 / Data Exports (the same snake_case names plus map columns
 * such as `resource_tags` and `product`). ColumnIndex folds every spelling onto one key
 * ("lineitemunblendedcost"), so a single compiled mapper reads all three; detect() decides which id owns
 * the file from the header alone.
 *
 * Decisions (FINOPS.md is silent on them; see the notes beside each table):
 * - Tag keys follow AWS's own FOCUS export, which writes user tags without the `user:` prefix and keeps
 *   AWS-generated ones as `aws:…`: `resourceTags/user:team` → `team`, `resourceTags/aws:createdBy` →
 *   `aws:createdBy`. Athena lower-cases and underscores tag names, so `resource_tags_user_cost_center` →
 *   `cost_center` and `resource_tags_aws_created_by` → `aws:created_by` (the original spelling is lost).
 * - EffectiveCost is FINOPS.md's amortized-cost formula (the Well-Architected CUR query library).
 */
import {
  discriminator as joinDiscriminator,
  ColumnIndex,
  amount,
  billingMonth,
  currency,
  optionalAmount,
  optionalTimestamp,
  parseTags,
  requiredText,
  text,
  timestamp,
} from './common';
import { RowError, type FormatMapper, type MapperContext, type NormalizedLine, type RowValues } from '../model';
import { serviceCategorizer } from '../service-categories';

type Flavour = 'legacy' | 'athena' | 'cur2';

const VARIANTS: Record<Flavour, string> = {
  legacy: 'AWS CUR (legacy)',
  athena: 'AWS CUR (legacy, Athena column names)',
  cur2: 'AWS CUR 2.0 (Data Exports)',
};

/** Columns every CUR flavour has; their share is the detect() confidence. */
const SIGNATURE = [
  'lineItem/UnblendedCost',
  'lineItem/UsageStartDate',
  'lineItem/UsageEndDate',
  'lineItem/LineItemType',
  'lineItem/UsageAccountId',
  'lineItem/ProductCode',
  'lineItem/CurrencyCode',
  'bill/PayerAccountId',
  'bill/BillingPeriodStartDate',
];

/**
 * Only CUR 2.0 has these: its map columns, and the account names it added. `line_item_net_unblended_cost`
 * is not a marker: legacy CUR has `lineItem/NetUnblendedCost` too, so an Athena table carries it.
 */
const CUR2_ONLY = new Set([
  'resource_tags',
  'product',
  'discount',
  'cost_category',
  'bill_payer_account_name',
  'line_item_usage_account_name',
]);

/**
 * Which CUR the header is, or null. Snake_case headers are CUR 2.0 unless they show Athena's traces of a
 * legacy report: one flattened `resource_tags_*` column per tag, or the `year`/`month` partition columns
 * of the Athena integration (koku's 2022-07-01-alt-columns.csv has both; keboola's hand-made CUR 2.0 mock
 * has neither, nor any map column).
 */
function classify(columns: readonly string[]): { flavour: Flavour; coverage: number } | null {
  const index = new ColumnIndex(columns);
  const cost = index.find('lineItem/UnblendedCost');
  if (cost === -1 || !index.has('lineItem/UsageStartDate')) return null;
  const coverage = index.coverage(SIGNATURE);
  if (index.name(cost).includes('/')) return { flavour: 'legacy', coverage };
  const lower = columns.map((name) => name.trim().toLowerCase());
  if (lower.some((name) => CUR2_ONLY.has(name))) return { flavour: 'cur2', coverage };
  const athena =
    lower.some((name) => name.startsWith('resource_tags_')) || (lower.includes('year') && lower.includes('month'));
  return { flavour: athena ? 'athena' : 'cur2', coverage };
}

function detectAs(owner: 'cur' | 'cur2', columns: readonly string[]): number {
  const found = classify(columns);
  if (!found) return 0;
  const mine = owner === 'cur2' ? found.flavour === 'cur2' : found.flavour !== 'cur2';
  if (mine) return 0.6 + 0.4 * found.coverage;
  // Slash headers are never CUR 2.0; snake_case is readable by either, but below the 0.5 bar.
  return found.flavour === 'legacy' ? 0 : 0.4;
}

/**
 * FOCUS ChargeCategory per lineItem/LineItemType. Discounts that AWS writes as their own negative rows
 * (EDP, private rate, bundled) are reductions "awarded after the fact", which FOCUS's discount handling
 * calls Credit; refunds land there too. SavingsPlanNegation is Usage, not Credit: it cancels the on-demand
 * cost of its SavingsPlanCoveredUsage row, and AWS's own FOCUS export shows that pair as one Usage row
 * with BilledCost 0, so Usage totals here match it. Unknown types: *Discount → Credit, else Adjustment
 * (FOCUS: "charges … that do not fall into other category values").
 */
const CHARGE_CATEGORY: ReadonlyMap<string, string> = new Map([
  ['Usage', 'Usage'],
  ['DiscountedUsage', 'Usage'],
  ['SavingsPlanCoveredUsage', 'Usage'],
  ['SavingsPlanNegation', 'Usage'],
  ['Fee', 'Purchase'],
  ['RIFee', 'Purchase'],
  ['SavingsPlanRecurringFee', 'Purchase'],
  ['SavingsPlanUpfrontFee', 'Purchase'],
  ['Tax', 'Tax'],
  ['Credit', 'Credit'],
  ['Refund', 'Credit'],
  ['BundledDiscount', 'Credit'],
  ['Discount', 'Credit'],
  ['EdpDiscount', 'Credit'],
  ['PrivateRateDiscount', 'Credit'],
  ['DistributorDiscount', 'Credit'],
]);

/** The FOCUS ChargeCategory of a CUR line item type (exported for tests and the docs). */
export function curChargeCategory(lineItemType: string): string {
  return CHARGE_CATEGORY.get(lineItemType) ?? (/discount$/i.test(lineItemType) ? 'Credit' : 'Adjustment');
}

interface TagColumn {
  position: number;
  key: string;
}

/** Tag columns of a legacy or Athena header, resolved once. `noTags/*` and cost categories are not tags. */
function tagColumns(columns: readonly string[]): TagColumn[] {
  const tags: TagColumn[] = [];
  columns.forEach((name, position) => {
    const legacy = /^resourceTags\/(.+)$/i.exec(name);
    if (legacy) {
      tags.push({ position, key: legacy[1]!.replace(/^user:/, '') });
      return;
    }
    const athena = /^resource_tags_(.+)$/i.exec(name);
    if (athena) {
      const rest = athena[1]!;
      const key = rest.startsWith('user_') ? rest.slice(5) : rest.startsWith('aws_') ? `aws:${rest.slice(4)}` : rest;
      tags.push({ position, key });
    }
  });
  return tags;
}

/** CUR 2.0 map keys are "user:team" in some writers and "user_team" in others; both lose the prefix. */
function mapTagKey(key: string): string {
  return key.replace(/^user[:_]/, '');
}

// Longer than 150 lines: one column lookup per CUR field, legacy and 2.0 names side by side, then the
// one map function that closes over them (hot: it runs per row, so the lookups happen once here).
function compileCur(columns: readonly string[], context: MapperContext) {
  const flavour = classify(columns)?.flavour ?? 'legacy';
  const index = new ColumnIndex(columns);
  const c = {
    start: index.require('lineItem/UsageStartDate'),
    end: index.find('lineItem/UsageEndDate'),
    type: index.require('lineItem/LineItemType'),
    unblended: index.require('lineItem/UnblendedCost'),
    billingStart: index.require('bill/BillingPeriodStartDate'),
    payer: index.find('bill/PayerAccountId'),
    payerName: index.find('bill/PayerAccountName'),
    usageAccount: index.find('lineItem/UsageAccountId'),
    usageAccountName: index.find('lineItem/UsageAccountName'),
    productName: index.find('product/ProductName'),
    productCode: index.find('lineItem/ProductCode'),
    // Older reports fill only product/region (already a code); newer ones add product/regionCode.
    regionCode: index.find('product/regionCode'),
    region: index.find('product/region'),
    resource: index.find('lineItem/ResourceId'),
    sku: index.find('product/sku'),
    description: index.find('lineItem/LineItemDescription'),
    invoice: index.find('bill/InvoiceId'),
    currency: index.find('lineItem/CurrencyCode'),
    list: index.find('pricing/publicOnDemandCost'),
    quantity: index.find('lineItem/UsageAmount'),
    unit: index.find('pricing/unit'),
    usageType: index.find('lineItem/UsageType'),
    operation: index.find('lineItem/Operation'),
    zone: index.find('lineItem/AvailabilityZone'),
    spArn: index.find('savingsPlan/SavingsPlanARN'),
    spEffective: index.find('savingsPlan/SavingsPlanEffectiveCost'),
    spTotalCommitment: index.find('savingsPlan/TotalCommitmentToDate'),
    spUsedCommitment: index.find('savingsPlan/UsedCommitment'),
    riArn: index.find('reservation/ReservationARN'),
    riEffective: index.find('reservation/EffectiveCost'),
    riUnusedUpfront: index.find('reservation/UnusedAmortizedUpfrontFeeForBillingPeriod'),
    riUnusedRecurring: index.find('reservation/UnusedRecurringFee'),
    // CUR 2.0 map columns.
    tagMap: index.find('resource_tags'),
    productMap: index.find('product'),
  };
  const tags = tagColumns(columns);
  const name = (position: number) => index.name(position);
  const defaultCurrency = context.defaults?.currency ?? 'USD';
  const serviceCategory = serviceCategorizer('aws');

  // A map cell as Parquet hands it over (an object), not its JSON text.
  const isPlainObject = (cell: unknown): cell is Record<string, unknown> =>
    cell !== null && typeof cell === 'object' && !Array.isArray(cell) && !(cell instanceof Date);

  // Product attributes CUR 2.0 may keep only inside its `product` map; consecutive rows repeat the same text.
  let lastProductText: string | null = null;
  let lastProduct: Record<string, string> = {};
  const productAttribute = (values: RowValues, key: string): string | null => {
    if (c.productMap === -1) return null;
    // Parquet hands a map over as an object: read it as it is (its JSON text, parsed again, cost a scan of
    // CUR 2.0 Parquet a tenth of its time).
    const cell = values[c.productMap];
    if (isPlainObject(cell)) {
      const value = cell[key];
      const attribute = value === null || value === undefined ? '' : String(value).trim();
      return attribute ? attribute : null;
    }
    const raw = text(values, c.productMap);
    if (raw === null) return null;
    if (raw !== lastProductText) {
      lastProduct = parseTags(raw, name(c.productMap));
      lastProductText = raw;
    }
    const value = lastProduct[key]?.trim();
    return value ? value : null;
  };

  const rowTags = (values: RowValues): Record<string, string> => {
    const result: Record<string, string> = {};
    for (const tag of tags) {
      const value = text(values, tag.position);
      if (value !== null) result[tag.key] = value;
    }
    if (c.tagMap !== -1) {
      const cell = values[c.tagMap];
      const mapped = isPlainObject(cell)
        ? parseTags(cell, name(c.tagMap))
        : parseTags(text(values, c.tagMap), name(c.tagMap));
      for (const [key, value] of Object.entries(mapped)) {
        if (value.trim() !== '') result[mapTagKey(key)] = value;
      }
    }
    return result;
  };

  /** A cost column the amortized formula needs; null when the export left it out or blank. */
  const cost = (values: RowValues, position: number): bigint | null =>
    position === -1 ? null : optionalAmount(values, position, name(position));

  const effectiveCost = (values: RowValues, lineType: string, unblended: bigint): bigint => {
    switch (lineType) {
      case 'SavingsPlanCoveredUsage':
        return cost(values, c.spEffective) ?? unblended;
      case 'DiscountedUsage':
        return cost(values, c.riEffective) ?? unblended;
      case 'SavingsPlanNegation':
      case 'SavingsPlanUpfrontFee':
        return 0n;
      case 'SavingsPlanRecurringFee': {
        const total = cost(values, c.spTotalCommitment);
        const used = cost(values, c.spUsedCommitment);
        return total === null || used === null ? unblended : total - used;
      }
      case 'RIFee': {
        const upfront = cost(values, c.riUnusedUpfront);
        const recurring = cost(values, c.riUnusedRecurring);
        return upfront === null && recurring === null ? unblended : (upfront ?? 0n) + (recurring ?? 0n);
      }
      case 'Fee':
        // An RI's upfront fee: its cost reaches usage through reservation/EffectiveCost instead.
        return text(values, c.riArn) !== null ? 0n : unblended;
      default:
        return unblended;
    }
  };

  const blank = (values: RowValues) =>
    values.every(
      (value) => value === null || value === undefined || (typeof value === 'string' && value.trim() === ''),
    );

  return {
    variant: VARIANTS[flavour],
    map(values: RowValues): NormalizedLine[] {
      if (text(values, c.start) === null && blank(values)) return [];
      const start = timestamp(values, c.start, name(c.start));
      const end = c.end === -1 ? null : optionalTimestamp(values, c.end, name(c.end));
      const lineType = requiredText(values, c.type, name(c.type));
      const billedCost = amount(values, c.unblended, name(c.unblended));
      const spArn = text(values, c.spArn);
      const riArn = spArn === null ? text(values, c.riArn) : null;
      const commitmentId = spArn ?? riArn;
      const covered = lineType === 'SavingsPlanCoveredUsage' || lineType === 'DiscountedUsage';
      const billingAccountId = text(values, c.payer) ?? context.defaults?.billingAccountId ?? null;
      if (billingAccountId === null) {
        throw new RowError(c.payer === -1 ? 'bill/PayerAccountId' : name(c.payer), 'the payer account is empty');
      }
      const productCode = text(values, c.productCode);
      const serviceName = text(values, c.productName) ?? productAttribute(values, 'product_name') ?? productCode;
      if (serviceName === null) {
        throw new RowError(
          c.productCode === -1 ? 'lineItem/ProductCode' : name(c.productCode),
          'neither a product name nor a product code',
        );
      }
      return [
        {
          provider: 'AWS',
          billingAccountId,
          billingAccountName: text(values, c.payerName),
          subAccountId: text(values, c.usageAccount),
          subAccountName: text(values, c.usageAccountName),
          serviceName,
          // The code first: names drift ("AmazonCloudWatch", "Amazon CloudWatch"), codes do not.
          serviceCategory: serviceCategory(productCode, serviceName),
          region: text(values, c.regionCode) ?? text(values, c.region) ?? productAttribute(values, 'region'),
          resourceId: text(values, c.resource),
          resourceName: null,
          skuId: text(values, c.sku),
          chargeCategory: curChargeCategory(lineType),
          chargeClass: null,
          chargeDescription: text(values, c.description),
          chargePeriodStart: start.iso,
          chargePeriodEnd: end?.iso ?? start.iso,
          chargeDay: start.day,
          billingPeriod: billingMonth(requiredText(values, c.billingStart, name(c.billingStart)), name(c.billingStart)),
          invoiceId: text(values, c.invoice),
          currency:
            c.currency === -1
              ? defaultCurrency
              : currency(values, c.currency, name(c.currency), context.defaults?.currency),
          billedCost,
          effectiveCost: effectiveCost(values, lineType, billedCost),
          listCost: c.list === -1 ? null : optionalAmount(values, c.list, name(c.list)),
          commitmentDiscountId: commitmentId,
          commitmentDiscountType: spArn !== null ? 'Savings Plan' : riArn !== null ? 'Reserved Instance' : null,
          commitmentDiscountStatus: commitmentId !== null && covered ? 'Used' : null,
          pricingQuantity: text(values, c.quantity),
          pricingUnit: text(values, c.unit),
          tags: rowTags(values),
          discriminator: joinDiscriminator(
            text(values, c.usageType),
            text(values, c.operation),
            lineType,
            text(values, c.zone),
          ),
        },
      ];
    },
  };
}

/** Legacy AWS CUR, as delivered (`lineItem/UnblendedCost`) or as an Athena table (`line_item_unblended_cost`). */
export const curMapper: FormatMapper = {
  id: 'cur',
  label: 'AWS Cost and Usage Report',
  detect: (columns) => detectAs('cur', columns),
  compile: compileCur,
};

/** AWS CUR 2.0 from Data Exports: snake_case columns with `resource_tags`, `product` and `cost_category` maps. */
export const cur2Mapper: FormatMapper = {
  id: 'cur2',
  label: 'AWS CUR 2.0 (Data Exports)',
  detect: (columns) => detectAs('cur2', columns),
  compile: compileCur,
};
