/**
 * Google Cloud billing exports:
 * - the BigQuery standard and detailed usage cost export, as JSON Lines or Parquet (nested records,
 *   flattened by the readers to "service.description", "invoice.month"…; credits and labels stay arrays),
 *   or as the flattened CSV that tools such as koku write (credits and labels as JSON or Python-repr text);
 * - Google's deprecated daily JSON file export (arrays of {lineItemId, startTime, measurements[], cost{}}).
 *
 * Credits (FINOPS.md: net cost = cost + sum(credits); GCP's `cost` excludes credits). The rule, FOCUS-like:
 * - the row's own line keeps BilledCost = cost, and EffectiveCost = cost + the row's rate-discount credits
 *   (committed use, sustained use, negotiated discount, fee-utilization offset, reseller margin,
 *   subscription benefit: they lower the price of that usage, which is what EffectiveCost means);
 * - every credit also becomes its own line, ChargeCategory "Credit", BilledCost = the credit amount, and
 *   EffectiveCost = 0 for a rate-discount credit (already inside the usage line's EffectiveCost) or the
 *   credit amount for money-like credits (promotions, free trial, free tier, anything unknown).
 * So over any set of rows, total BilledCost = total EffectiveCost = sum(cost) + sum(credits), the invoice.
 * CUD fee SKUs stay ordinary lines here; amortizing them is a later stage (FINOPS.md).
 *
 * Tags: the project's labels overlaid by the row's own labels (a resource label wins on the same key), so
 * allocation by label sees inherited project labels as FOCUS Tags do. system_labels (machine spec, cores)
 * describe the resource rather than tag it: they only help tell rows apart (discriminator).
 *
 * Times: usage_start_time is a UTC instant; "+00:00", " UTC", "Z" and a Parquet timestamp are written
 * as "…Z" so that the same row from CSV, JSON Lines and Parquet maps to the same line. Other offsets
 * (the legacy export's −08:00) are kept, and chargeDay is the day as written.
 *
 * Longer than 600 lines because it holds both Google layouts and the one credit rule they share; each layout is its own compile function.
 */
import { parseExact } from '../../../../shared/exact';
import {
  ColumnIndex,
  amount,
  billingMonth,
  currency,
  discriminator as joinDiscriminator,
  monthOf,
  optionalAmount,
  optionalTimestamp,
  parseTags,
  requiredText,
  text,
  timestamp,
  type Timestamp,
} from './common';
import {
  RowError,
  type CompiledMapper,
  type FormatMapper,
  type MapperContext,
  type NormalizedLine,
  type RowValues,
} from '../model';
import { serviceCategorizer } from '../service-categories';

const PROVIDER = 'Google Cloud';
const UNSPECIFIED = '(unspecified)';
/**
 * The legacy file export carries no billing account. Without one from a manifest or the CLI, its lines
 * share this placeholder, so the same file imported twice still gets the same identities.
 */
export const LEGACY_PLACEHOLDER_ACCOUNT = 'gcp-legacy-export';

const BIGQUERY_SIGNATURE = [
  'billing_account_id',
  'service.id',
  'service.description',
  'sku.id',
  'sku.description',
  'usage_start_time',
  'usage_end_time',
  'project.id',
  'labels',
  'location.region',
  'cost',
  'currency',
  'usage.amount',
  'usage.unit',
  'credits',
  'invoice.month',
  'cost_type',
  'export_time',
];
const LEGACY_SIGNATURE = [
  'lineItemId',
  'startTime',
  'endTime',
  'projectNumber',
  'measurements',
  'cost.amount',
  'cost.currency',
];

const CHARGE_CATEGORIES = new Map([
  ['regular', 'Usage'],
  ['tax', 'Tax'],
  ['adjustment', 'Adjustment'],
  ['roundingerror', 'Adjustment'],
]);

/** Credit types that lower the price of the usage they sit on; see the rule at the top. */
const RATE_DISCOUNT_TYPES = new Set([
  'COMMITTED_USAGE_DISCOUNT',
  'COMMITTED_USAGE_DISCOUNT_DOLLAR_BASE',
  'FEE_UTILIZATION_OFFSET',
  'SUSTAINED_USAGE_DISCOUNT',
  'DISCOUNT',
  'RESELLER_MARGIN',
  'SUBSCRIPTION_BENEFIT',
]);
const COMMITMENT_TYPES = new Map([
  ['COMMITTED_USAGE_DISCOUNT', 'Committed Use Discount'],
  ['COMMITTED_USAGE_DISCOUNT_DOLLAR_BASE', 'Committed Use Discount (spend-based)'],
]);

/** Product names for the legacy export's lineItemId slugs ("com.google.cloud/services/compute-engine/…"). */
const LEGACY_SERVICES = new Map([
  ['compute-engine', 'Compute Engine'],
  ['cloud-storage', 'Cloud Storage'],
  ['cloud-sql', 'Cloud SQL'],
  ['big-query', 'BigQuery'],
  ['bigquery', 'BigQuery'],
  ['app-engine', 'App Engine'],
  ['cloud-datastore', 'Cloud Datastore'],
  ['cloud-dns', 'Cloud DNS'],
  ['cloud-pubsub', 'Cloud Pub/Sub'],
  ['pubsub', 'Cloud Pub/Sub'],
  ['prediction', 'Prediction API'],
  ['translate', 'Translate API'],
]);
const ACRONYMS = new Set(['sql', 'dns', 'api', 'vpn', 'gpu', 'tpu', 'ai', 'ml', 'cdn', 'nat']);

export const gcpMapper: FormatMapper = {
  id: 'gcp',
  label: 'Google Cloud billing export',
  detect(columns) {
    const index = new ColumnIndex(columns);
    // FOCUS (including Google's own FOCUS view) is the FOCUS mapper's, even with GCP-ish extra columns.
    if (index.has('BilledCost') || index.has('ChargePeriodStart')) return 0;
    if (isBigQuery(index)) return 0.5 + 0.5 * index.coverage(BIGQUERY_SIGNATURE);
    if (isLegacy(index)) return 0.6 + 0.4 * index.coverage(LEGACY_SIGNATURE);
    return 0;
  },
  compile(columns, context) {
    const index = new ColumnIndex(columns);
    if (isBigQuery(index)) return compileBigQuery(index, context);
    if (isLegacy(index)) return compileLegacy(index, context);
    // A legacy file holding "[]" has no records and so no columns: nothing to map, and nothing wrong.
    if (columns.length === 0) return { variant: 'Google Cloud (empty file)', map: () => [] };
    // Name what a BigQuery export would need first, the likelier intent.
    index.require('usage_start_time');
    index.require('service.description', 'service.id');
    throw new RowError('cost', 'missing required column "cost"');
  },
};

function isBigQuery(index: ColumnIndex): boolean {
  return index.has('usage_start_time') && index.has('cost') && index.has('service.description', 'service.id');
}

function isLegacy(index: ColumnIndex): boolean {
  return index.has('lineItemId') && index.has('startTime') && index.has('cost.amount');
}

function compileBigQuery(index: ColumnIndex, context: MapperContext): CompiledMapper {
  const c = {
    account: context.defaults?.billingAccountId
      ? index.find('billing_account_id')
      : index.require('billing_account_id'),
    serviceId: index.find('service.id'),
    service: index.find('service.description'),
    sku: index.find('sku.id'),
    skuDescription: index.find('sku.description'),
    start: index.require('usage_start_time'),
    end: index.find('usage_end_time'),
    project: index.find('project.id'),
    projectName: index.find('project.name'),
    projectLabels: index.find('project.labels'),
    labels: index.find('labels'),
    systemLabels: index.find('system_labels'),
    region: index.find('location.region'),
    location: index.find('location.location'),
    zone: index.find('location.zone'),
    resourceName: index.find('resource.name'),
    resourceGlobal: index.find('resource.global_name'),
    cost: index.require('cost'),
    costAtList: index.find('cost_at_list'),
    currency: context.defaults?.currency ? index.find('currency') : index.require('currency'),
    usageAmount: index.find('usage.amount'),
    usageUnit: index.find('usage.unit'),
    pricingAmount: index.find('usage.amount_in_pricing_units'),
    pricingUnit: index.find('usage.pricing_unit'),
    credits: index.find('credits'),
    invoiceMonth: index.find('invoice.month'),
    costType: index.find('cost_type'),
    exportTime: index.find('export_time'),
    adjustment: index.find('adjustment_info.id'),
    tier: index.find('price.tier_start_amount'),
  };
  const name = (position: number) => index.name(position);
  const currencyColumn = c.currency === -1 ? 'currency' : name(c.currency);
  const detailed = c.resourceName !== -1 || c.resourceGlobal !== -1;
  const serviceCategory = serviceCategorizer('gcp');
  return {
    variant: `Google Cloud BigQuery export (${detailed ? 'detailed' : 'standard'})`,
    map(values): NormalizedLine[] {
      const start = utcTimestamp(values, c.start, name(c.start));
      const end = c.end === -1 ? null : optionalTimestamp(values, c.end, name(c.end));
      const costType = text(values, c.costType);
      // "rounding_error" and "rounding error" are both seen.
      const category =
        costType === null ? 'Usage' : CHARGE_CATEGORIES.get(costType.toLowerCase().replace(/[^a-z]/g, ''));
      if (category === undefined) {
        throw new RowError(name(c.costType), `"${name(c.costType)}" is not a known cost type: "${costType}"`);
      }
      const cost = amount(values, c.cost, name(c.cost));
      const credits = c.credits === -1 ? [] : readCredits(values[c.credits], name(c.credits));
      const labels = c.labels === -1 ? {} : readTags(values[c.labels], name(c.labels));
      const tags =
        c.projectLabels === -1 ? labels : { ...readTags(values[c.projectLabels], name(c.projectLabels)), ...labels };
      const systemLabels = c.systemLabels === -1 ? {} : readTags(values[c.systemLabels], name(c.systemLabels));
      const exportTime = c.exportTime === -1 ? null : optionalTimestamp(values, c.exportTime, name(c.exportTime));
      const resourceName = text(values, c.resourceName);
      const skuId = text(values, c.sku);
      const invoiceMonth = text(values, c.invoiceMonth);
      const pricingQuantity = text(values, c.pricingAmount);
      const usageUnit = text(values, c.usageUnit);
      const identity = [
        skuId,
        costType,
        usageUnit,
        resourceName,
        text(values, c.zone),
        canonicalTags(labels),
        canonicalTags(systemLabels),
        exportTime === null ? null : canonicalUtc(exportTime.iso),
        text(values, c.adjustment),
        text(values, c.tier),
      ];
      let effectiveCost = cost;
      let commitment: Credit | undefined;
      for (const credit of credits) {
        if (credit.rateDiscount) effectiveCost += credit.amount;
        if (!commitment && credit.type !== null && COMMITMENT_TYPES.has(credit.type)) commitment = credit;
      }
      const base: NormalizedLine = {
        provider: PROVIDER,
        billingAccountId: text(values, c.account) ?? context.defaults?.billingAccountId ?? UNSPECIFIED,
        billingAccountName: null,
        subAccountId: text(values, c.project),
        subAccountName: text(values, c.projectName),
        serviceName: text(values, c.service) ?? text(values, c.serviceId) ?? UNSPECIFIED,
        serviceCategory: serviceCategory(text(values, c.service)),
        region: text(values, c.region) ?? text(values, c.location),
        resourceId: text(values, c.resourceGlobal) ?? resourceName,
        resourceName,
        skuId,
        chargeCategory: category,
        chargeClass: null,
        chargeDescription: text(values, c.skuDescription),
        chargePeriodStart: start.iso,
        chargePeriodEnd: end ? canonicalUtc(end.iso) : start.iso,
        chargeDay: start.day,
        billingPeriod: invoiceMonth === null ? monthOf(start.day) : billingMonth(invoiceMonth, name(c.invoiceMonth)),
        invoiceId: null,
        currency: currency(values, c.currency, currencyColumn, context.defaults?.currency),
        billedCost: cost,
        effectiveCost,
        listCost: optionalAmount(values, c.costAtList, name(c.costAtList)),
        commitmentDiscountId: commitment?.id ?? null,
        commitmentDiscountType: commitment?.type ? (COMMITMENT_TYPES.get(commitment.type) ?? null) : null,
        commitmentDiscountStatus: commitment ? 'Used' : null,
        pricingQuantity: pricingQuantity ?? text(values, c.usageAmount),
        pricingUnit: pricingQuantity === null ? usageUnit : text(values, c.pricingUnit),
        tags,
        discriminator: joinDiscriminator(...identity),
      };
      return [base, ...credits.map((credit) => creditLine(base, credit, identity))];
    },
  };
}

function compileLegacy(index: ColumnIndex, context: MapperContext): CompiledMapper {
  const c = {
    account: index.find('accountId'),
    lineItem: index.require('lineItemId'),
    description: index.find('description'),
    start: index.require('startTime'),
    end: index.find('endTime'),
    projectNumber: index.find('projectNumber'),
    projectId: index.find('projectId'),
    projectName: index.find('projectName'),
    projectLabels: index.find('projectLabels'),
    measurements: index.find('measurements'),
    cost: index.require('cost.amount'),
    currency: context.defaults?.currency ? index.find('cost.currency') : index.require('cost.currency'),
    credits: index.find('credits'),
  };
  const name = (position: number) => index.name(position);
  const serviceCategory = serviceCategorizer('gcp');
  return {
    variant: 'Google Cloud legacy file export (JSON)',
    map(values): NormalizedLine[] {
      const lineItemId = requiredText(values, c.lineItem, name(c.lineItem));
      const { service, item } = legacyService(lineItemId);
      const start = timestamp(values, c.start, name(c.start));
      const end = c.end === -1 ? null : optionalTimestamp(values, c.end, name(c.end));
      const cost = amount(values, c.cost, name(c.cost));
      const measurement = legacyMeasurement(values[c.measurements], lineItemId, name(c.measurements));
      const credits = c.credits === -1 ? [] : readCredits(values[c.credits], name(c.credits));
      let effectiveCost = cost;
      for (const credit of credits) if (credit.rateDiscount) effectiveCost += credit.amount;
      const identity = [lineItemId, measurement.unit];
      const base: NormalizedLine = {
        provider: PROVIDER,
        billingAccountId: text(values, c.account) ?? context.defaults?.billingAccountId ?? LEGACY_PLACEHOLDER_ACCOUNT,
        billingAccountName: null,
        subAccountId: text(values, c.projectId) ?? text(values, c.projectNumber),
        subAccountName: text(values, c.projectName),
        serviceName: service,
        serviceCategory: serviceCategory(service),
        region: null,
        resourceId: null,
        resourceName: null,
        skuId: lineItemId,
        chargeCategory: 'Usage',
        chargeClass: null,
        chargeDescription: text(values, c.description) ?? item,
        chargePeriodStart: start.iso,
        chargePeriodEnd: end?.iso ?? start.iso,
        chargeDay: start.day,
        // No invoice month in this format: the usage day's month, in the export's own (Pacific) offset.
        billingPeriod: monthOf(start.day),
        invoiceId: null,
        currency: currency(
          values,
          c.currency,
          c.currency === -1 ? 'cost.currency' : name(c.currency),
          context.defaults?.currency,
        ),
        billedCost: cost,
        effectiveCost,
        listCost: null,
        commitmentDiscountId: null,
        commitmentDiscountType: null,
        commitmentDiscountStatus: null,
        pricingQuantity: measurement.quantity,
        pricingUnit: measurement.unit,
        tags: c.projectLabels === -1 ? {} : readTags(values[c.projectLabels], name(c.projectLabels)),
        discriminator: joinDiscriminator(...identity),
      };
      return [base, ...credits.map((credit) => creditLine(base, credit, identity))];
    },
  };
}

interface Credit {
  type: string | null;
  id: string | null;
  name: string | null;
  fullName: string | null;
  amount: bigint;
  rateDiscount: boolean;
}

function creditLine(base: NormalizedLine, credit: Credit, identity: (string | null)[]): NormalizedLine {
  const commitmentType = credit.type === null ? undefined : COMMITMENT_TYPES.get(credit.type);
  return {
    ...base,
    chargeCategory: 'Credit',
    chargeClass: null,
    chargeDescription: credit.fullName ?? credit.name ?? credit.type,
    billedCost: credit.amount,
    effectiveCost: credit.rateDiscount ? 0n : credit.amount,
    listCost: null,
    commitmentDiscountId: commitmentType ? credit.id : null,
    commitmentDiscountType: commitmentType ?? null,
    commitmentDiscountStatus: commitmentType ? 'Used' : null,
    pricingQuantity: null,
    pricingUnit: null,
    tags: { ...base.tags },
    discriminator: joinDiscriminator(...identity, 'credit', credit.type, credit.id, credit.name),
  };
}

/**
 * The credits of one row, from a JS array (JSON Lines, Parquet) or text (JSON or a Python repr such as
 * "[{'name': 'FreeTrial:…', 'amount': -5e-06, 'full_name': None, 'id': '…', 'type': 'PROMOTION'}]").
 * Credits with the same type, id and name are added together: they are one credit line.
 */
function readCredits(value: unknown, column: string): Credit[] {
  const list = structured(value, column);
  if (list === null) return [];
  if (!Array.isArray(list)) throw new RowError(column, `"${column}" is not a list of credits`);
  const credits: Credit[] = [];
  for (const entry of list) {
    if (!entry || typeof entry !== 'object' || Array.isArray(entry)) {
      throw new RowError(column, `"${column}" holds a credit that is not an object`);
    }
    const record = entry as Record<string, unknown>;
    const name = scalarText(record.name);
    const type = scalarText(record.type)?.toUpperCase() ?? inferCreditType(name);
    const id = scalarText(record.id) ?? scalarText(record.creditId);
    const creditAmount = parseCreditAmount(record.amount, column);
    const same = credits.find((credit) => credit.type === type && credit.id === id && credit.name === name);
    if (same) {
      same.amount += creditAmount;
      continue;
    }
    credits.push({
      type,
      id,
      name,
      fullName: scalarText(record.full_name),
      amount: creditAmount,
      rateDiscount: type !== null && RATE_DISCOUNT_TYPES.has(type),
    });
  }
  return credits;
}

/** Exports from before credits carried a type (2020) name the discount instead. */
function inferCreditType(name: string | null): string | null {
  if (name === null) return null;
  if (/sustained usage discount/i.test(name)) return 'SUSTAINED_USAGE_DISCOUNT';
  if (/committed us(e|age) discount/i.test(name)) {
    return /dollar|spend/i.test(name) ? 'COMMITTED_USAGE_DISCOUNT_DOLLAR_BASE' : 'COMMITTED_USAGE_DISCOUNT';
  }
  return null;
}

function parseCreditAmount(value: unknown, column: string): bigint {
  // The legacy export wrote money as {amount, currency}; BigQuery writes a number.
  if (value && typeof value === 'object' && !Array.isArray(value) && 'amount' in value) {
    return parseCreditAmount((value as { amount: unknown }).amount, column);
  }
  const raw = scalarText(value);
  if (raw === null) throw new RowError(column, `"${column}" holds a credit without an amount`);
  try {
    return parseExact(raw);
  } catch (error) {
    throw new RowError(column, `"${column}" holds a credit amount that is not an amount: ${(error as Error).message}`);
  }
}

function readTags(value: unknown, column: string): Record<string, string> {
  const parsed = structured(value, column);
  return parsed === null ? {} : parseTags(parsed, column);
}

/** Tags as one stable string: sorted keys, so the same labels in any order give the same identity. */
function canonicalTags(tags: Record<string, string>): string | null {
  const keys = Object.keys(tags);
  if (keys.length === 0) return null;
  keys.sort();
  return JSON.stringify(keys.map((key) => [key, tags[key]]));
}

function scalarText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value.trim() === '' ? null : value.trim();
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** A cell that holds a list or record: the JS value as the reader gave it, or text parsed as JSON or Python. */
function structured(value: unknown, column: string): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string') return value;
  const raw = value.trim();
  if (raw === '' || raw === 'null' || raw === 'None' || raw === 'NULL' || raw === 'nan') return null;
  try {
    return new LiteralParser(raw).parse();
  } catch (error) {
    const shown = raw.length > 80 ? `${raw.slice(0, 80)}…` : raw;
    throw new RowError(column, `"${column}" is not a JSON or Python list: ${(error as Error).message} in ${shown}`);
  }
}

/**
 * Reads JSON and Python literal reprs (single or double quotes, None/True/False, trailing commas,
 * Decimal('…')). Numbers come back as their text, so amounts are parsed exactly, never through a float.
 */
class LiteralParser {
  private position = 0;
  constructor(private readonly source: string) {}

  parse(): unknown {
    const value = this.value();
    this.space();
    if (this.position !== this.source.length) this.fail('unexpected text');
    return value;
  }

  private value(): unknown {
    this.space();
    const char = this.source[this.position];
    if (char === '[' || char === '(') return this.list(char === '[' ? ']' : ')');
    if (char === '{') return this.record();
    if (char === '"' || char === "'") return this.string();
    const number = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(this.source.slice(this.position));
    if (number) {
      this.position += number[0].length;
      return number[0];
    }
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.source.slice(this.position));
    if (!word) this.fail('unexpected character');
    this.position += word[0].length;
    switch (word[0]) {
      case 'None':
      case 'null':
        return null;
      case 'True':
      case 'true':
        return true;
      case 'False':
      case 'false':
        return false;
    }
    this.space();
    // A constructor call such as Decimal('-0.5'): its one argument is the value.
    if (this.source[this.position] === '(') {
      this.position++;
      const inner = this.value();
      this.expect(')');
      return inner;
    }
    return word[0];
  }

  private list(close: string): unknown[] {
    this.position++;
    const items: unknown[] = [];
    for (;;) {
      this.space();
      if (this.source[this.position] === close) {
        this.position++;
        return items;
      }
      items.push(this.value());
      this.space();
      if (this.source[this.position] === ',') {
        this.position++;
        continue;
      }
      this.expect(close);
      return items;
    }
  }

  private record(): Record<string, unknown> {
    this.position++;
    const record: Record<string, unknown> = {};
    for (;;) {
      this.space();
      if (this.source[this.position] === '}') {
        this.position++;
        return record;
      }
      const key = this.value();
      if (typeof key !== 'string') this.fail('a key that is not text');
      this.space();
      this.expect(':');
      record[key] = this.value();
      this.space();
      if (this.source[this.position] === ',') this.position++;
      else {
        this.expect('}');
        return record;
      }
    }
  }

  private string(): string {
    const quote = this.source[this.position]!;
    this.position++;
    let result = '';
    for (;;) {
      const char = this.source[this.position];
      if (char === undefined) this.fail('unterminated string');
      this.position++;
      if (char === quote) return result;
      if (char !== '\\') {
        result += char;
        continue;
      }
      const escape = this.source[this.position++];
      switch (escape) {
        case 'n':
          result += '\n';
          break;
        case 't':
          result += '\t';
          break;
        case 'r':
          result += '\r';
          break;
        case 'b':
          result += '\b';
          break;
        case 'f':
          result += '\f';
          break;
        case 'x':
          result += this.hex(2);
          break;
        case 'u':
          result += this.hex(4);
          break;
        case 'U':
          result += this.hex(8);
          break;
        case '\\':
        case "'":
        case '"':
        case '/':
          result += escape;
          break;
        default:
          // Python keeps an unknown escape as written.
          result += `\\${escape ?? ''}`;
      }
    }
  }

  private hex(length: number): string {
    const digits = this.source.slice(this.position, this.position + length);
    if (!/^[0-9a-fA-F]+$/.test(digits) || digits.length !== length) this.fail('a bad escape');
    this.position += length;
    return String.fromCodePoint(parseInt(digits, 16));
  }

  private space(): void {
    while (/\s/.test(this.source[this.position] ?? '')) this.position++;
  }

  private expect(char: string): void {
    if (this.source[this.position] !== char) this.fail(`expected "${char}"`);
    this.position++;
  }

  private fail(message: string): never {
    throw new Error(`${message} at character ${this.position + 1}`);
  }
}

/** usage_start_time and friends: a UTC instant spelled one way ("…Z"), whatever the container wrote. */
function utcTimestamp(values: RowValues, position: number, column: string): Timestamp {
  const parsed = timestamp(values, position, column);
  return { iso: canonicalUtc(parsed.iso), day: parsed.day };
}

/** "2020-11-10T05:49:32.199000+00:00" → "2020-11-10T05:49:32.199Z"; other offsets are left as written. */
function canonicalUtc(iso: string): string {
  const match = /^(.*T\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]00:00)$/.exec(iso);
  if (!match) return iso;
  const fraction = (match[2] ?? '').replace(/\.?0+$/, '');
  return `${match[1]}${fraction}Z`;
}

function legacyService(lineItemId: string): { service: string; item: string } {
  const match = /^[^/]+\/services\/([^/]+)\/(.+)$/.exec(lineItemId);
  if (!match) return { service: lineItemId, item: lineItemId };
  const slug = match[1]!;
  const known = LEGACY_SERVICES.get(slug.toLowerCase());
  const service =
    known ??
    slug
      .split(/[-_]/)
      .filter(Boolean)
      .map((word) => (ACRONYMS.has(word.toLowerCase()) ? word.toUpperCase() : word[0]!.toUpperCase() + word.slice(1)))
      .join(' ');
  return { service, item: match[2]! };
}

/** The measurement named like the line item (else the first): its sum as written and its unit. */
function legacyMeasurement(
  value: unknown,
  lineItemId: string,
  column: string,
): { quantity: string | null; unit: string | null } {
  const list = structured(value, column);
  if (list === null) return { quantity: null, unit: null };
  if (!Array.isArray(list)) throw new RowError(column, `"${column}" is not a list of measurements`);
  const entries = list.filter(
    (entry): entry is Record<string, unknown> => !!entry && typeof entry === 'object' && !Array.isArray(entry),
  );
  const chosen = entries.find((entry) => entry.measurementId === lineItemId) ?? entries[0];
  if (!chosen) return { quantity: null, unit: null };
  return { quantity: scalarText(chosen.sum), unit: scalarText(chosen.unit) };
}
