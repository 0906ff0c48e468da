/**
 * FOCUS 1.0–1.3 cost-and-usage exports. 1.3 renamed ProviderName to ServiceProviderName; both are read.
 * Amortization is already in EffectiveCost (FINOPS.md), so it is taken as written. FOCUS requires
 * BilledCost and EffectiveCost on every row: an empty one is an error, never a zero.
 */
import { detach } from '../../../../shared/text';
import {
  discriminator as joinDiscriminator,
  ColumnIndex,
  billingMonth,
  currency,
  optionalAmount,
  requiredAmount,
  sharedTags,
  text,
  timestamp,
  requiredText,
} from './common';
import { RowError, type FormatMapper, type NormalizedLine } from '../model';
import {
  canonicalServiceCategory,
  categoryProviderOf,
  serviceCategorizer,
  type CategoryProvider,
  type ServiceCategorizer,
} from '../service-categories';

const SIGNATURE = [
  'BilledCost',
  'EffectiveCost',
  'ChargePeriodStart',
  'ChargePeriodEnd',
  'BillingPeriodStart',
  'ChargeCategory',
  'BillingCurrency',
  'ServiceName',
];
const UNSPECIFIED = '(unspecified)';

/**
 * ServiceCategory as the file writes it, in FOCUS's spelling when it is an allowed value ("compute" →
 * "Compute"). A value outside FOCUS's list is kept as written rather than replaced: it is the provider's
 * statement and nothing stored is dropped. Only a missing one (a null cell, or a file without the
 * column) is derived from ServiceName through the native exports' tables, else "Other".
 */
function focusServiceCategories(): (written: string | null, provider: string, service: string | null) => string {
  // A file repeats a few values over many rows: each is normalised once (bounded, whatever the file holds).
  const remember = <T>(memo: Map<string, T>, key: string, value: T): T => {
    if (memo.size < 1024) memo.set(detach(key), value);
    return value;
  };
  const canonical = new Map<string, string>();
  const byProvider = new Map<string, ServiceCategorizer | null>();
  const categorizers: Partial<Record<CategoryProvider, ServiceCategorizer>> = {};
  const categorizerOf = (provider: string): ServiceCategorizer | null => {
    const table = categoryProviderOf(provider);
    return table === null ? null : (categorizers[table] ??= serviceCategorizer(table));
  };
  return (written, provider, service) => {
    if (written !== null) {
      return canonical.get(written) ?? remember(canonical, written, canonicalServiceCategory(written) ?? written);
    }
    const categorize = byProvider.has(provider)
      ? byProvider.get(provider)!
      : remember(byProvider, provider, categorizerOf(provider));
    return categorize?.(service) ?? 'Other';
  };
}

export const focusMapper: FormatMapper = {
  id: 'focus',
  label: 'FOCUS',
  detect(columns) {
    const index = new ColumnIndex(columns);
    // CUR and Azure exports never carry these names, so FOCUS-ness is their share.
    if (!index.has('BilledCost') || !index.has('ChargePeriodStart')) return 0;
    return 0.5 + 0.5 * index.coverage(SIGNATURE);
  },
  compile(columns, context) {
    const index = new ColumnIndex(columns);
    const c = {
      billed: index.require('BilledCost'),
      effective: index.find('EffectiveCost'),
      list: index.find('ListCost'),
      currency: index.find('BillingCurrency'),
      periodStart: index.require('ChargePeriodStart'),
      periodEnd: index.find('ChargePeriodEnd'),
      billingStart: index.require('BillingPeriodStart'),
      account: index.find('BillingAccountId'),
      accountName: index.find('BillingAccountName'),
      subAccount: index.find('SubAccountId'),
      subAccountName: index.find('SubAccountName'),
      provider: index.find('ServiceProviderName', 'ProviderName'),
      service: index.find('ServiceName'),
      serviceCategory: index.find('ServiceCategory'),
      region: index.find('RegionId', 'Region'),
      resource: index.find('ResourceId'),
      resourceName: index.find('ResourceName'),
      sku: index.find('SkuId'),
      skuPrice: index.find('SkuPriceId'),
      category: index.require('ChargeCategory'),
      chargeClass: index.find('ChargeClass'),
      description: index.find('ChargeDescription'),
      invoice: index.find('InvoiceId'),
      commitmentId: index.find('CommitmentDiscountId'),
      commitmentType: index.find('CommitmentDiscountType'),
      commitmentStatus: index.find('CommitmentDiscountStatus'),
      quantity: index.find('PricingQuantity'),
      unit: index.find('PricingUnit'),
      tags: index.find('Tags'),
      frequency: index.find('ChargeFrequency'),
      pricingCategory: index.find('PricingCategory'),
    };
    if (c.currency === -1 && !context.defaults?.currency) {
      throw new RowError(
        'BillingCurrency',
        'missing required column "BillingCurrency" (or give a currency with --currency)',
      );
    }
    // Column names for error messages, looked up once rather than per row.
    const name = (position: number) => index.name(position);
    const names = {
      billed: name(c.billed),
      effective: name(c.effective),
      list: name(c.list),
      periodStart: name(c.periodStart),
      periodEnd: name(c.periodEnd),
      billingStart: name(c.billingStart),
      category: name(c.category),
      tags: name(c.tags),
    };
    const version = index.has('ServiceProviderName')
      ? '1.3'
      : index.has('InvoiceId') || index.has('PricingCurrency')
        ? '1.2'
        : index.has('ServiceSubcategory') || index.has('CapacityReservationId') || index.has('SkuMeter')
          ? '1.1'
          : '1.0';
    const serviceCategory = focusServiceCategories();
    return {
      variant: `FOCUS ${version}`,
      map(values): NormalizedLine[] {
        const start = timestamp(values, c.periodStart, names.periodStart);
        const end = c.periodEnd === -1 ? null : timestamp(values, c.periodEnd, names.periodEnd);
        const billedCost = requiredAmount(values, c.billed, names.billed);
        const category = requiredText(values, c.category, names.category);
        const description = text(values, c.description);
        const provider = text(values, c.provider) ?? UNSPECIFIED;
        const service = text(values, c.service);
        return [
          {
            provider,
            billingAccountId: text(values, c.account) ?? context.defaults?.billingAccountId ?? UNSPECIFIED,
            billingAccountName: text(values, c.accountName),
            subAccountId: text(values, c.subAccount),
            subAccountName: text(values, c.subAccountName),
            serviceName: service ?? UNSPECIFIED,
            serviceCategory: serviceCategory(text(values, c.serviceCategory), provider, service),
            region: text(values, c.region),
            resourceId: text(values, c.resource),
            resourceName: text(values, c.resourceName),
            skuId: text(values, c.sku),
            chargeCategory: category,
            chargeClass: text(values, c.chargeClass),
            chargeDescription: description,
            chargePeriodStart: start.iso,
            chargePeriodEnd: end?.iso ?? start.iso,
            chargeDay: start.day,
            billingPeriod: billingMonth(requiredText(values, c.billingStart, names.billingStart), names.billingStart),
            invoiceId: text(values, c.invoice),
            currency: currency(values, c.currency, 'BillingCurrency', context.defaults?.currency),
            billedCost,
            effectiveCost: c.effective === -1 ? billedCost : requiredAmount(values, c.effective, names.effective),
            listCost: optionalAmount(values, c.list, names.list),
            commitmentDiscountId: text(values, c.commitmentId),
            commitmentDiscountType: text(values, c.commitmentType),
            commitmentDiscountStatus: text(values, c.commitmentStatus),
            pricingQuantity: text(values, c.quantity),
            pricingUnit: text(values, c.unit),
            tags:
              c.tags === -1 ? {} : sharedTags(values[c.tags] === undefined ? null : text(values, c.tags), names.tags),
            discriminator: joinDiscriminator(
              text(values, c.skuPrice),
              text(values, c.frequency),
              text(values, c.pricingCategory),
              description,
            ),
          },
        ];
      },
    };
  },
};
