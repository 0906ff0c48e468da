import { describe, expect, it } from 'vitest';
import { curMapper, cur2Mapper } from '../../../electron/core/ingest/formats/cur';
import { focusMapper } from '../../../electron/core/ingest/formats/focus';
import { gcpMapper } from '../../../electron/core/ingest/formats/gcp';
import {
  SERVICE_CATEGORIES,
  SERVICE_CATEGORY_TABLES,
  canonicalServiceCategory,
  categoryProviderOf,
  lookupServiceCategory,
  serviceCategorizer,
  serviceKey,
  type CategoryProvider,
} from '../../../electron/core/ingest/service-categories';
import { DATASETS_SKIP_REASON, dataset, datasetsPresent, rawCsvRows } from '../../support/ingest';

describe('service category tables', () => {
  it('list exactly FOCUS’s 19 allowed values, and use no other', () => {
    expect(SERVICE_CATEGORIES).toHaveLength(19);
    for (const table of Object.values(SERVICE_CATEGORY_TABLES)) {
      for (const category of Object.keys(table)) expect(SERVICE_CATEGORIES).toContain(category);
    }
  });

  it('give every name one category per provider', () => {
    for (const [provider, table] of Object.entries(SERVICE_CATEGORY_TABLES)) {
      const seen = new Map<string, string>();
      for (const [category, names] of Object.entries(table)) {
        for (const name of names ?? []) {
          const before = seen.get(serviceKey(name));
          expect(before === undefined || before === category, `${provider} ${name}: ${before} / ${category}`).toBe(
            true,
          );
          seen.set(serviceKey(name), category);
        }
      }
    }
  });

  it.each([
    ['aws', 'AmazonEC2', 'Compute'],
    ['aws', 'Amazon Elastic Compute Cloud', 'Compute'],
    ['aws', 'amazon-s3', 'Storage'],
    ['aws', 'AWSDataTransfer', 'Networking'],
    ['aws', 'AmazonCloudWatch', 'Management and Governance'],
    ['aws', 'awskms', 'Identity'],
    ['azure', 'Virtual Machines', 'Compute'],
    ['azure', 'Bandwidth', 'Networking'],
    ['azure', 'MICROSOFT.KEYVAULT', 'Security'],
    ['azure', 'microsoft.operationalinsights', 'Management and Governance'],
    ['gcp', 'Compute Engine', 'Compute'],
    ['gcp', 'BigQuery', 'Analytics'],
    ['gcp', 'Stackdriver Logging', 'Management and Governance'],
  ] as [CategoryProvider, string, string][])('%s %s → %s (case and punctuation do not matter)', (p, name, c) => {
    expect(lookupServiceCategory(p, name)).toBe(c);
  });

  it('an unknown service is "Other"; the first name the table knows decides', () => {
    const aws = serviceCategorizer('aws');
    expect(aws('AmazonSomethingNew')).toBe('Other');
    expect(aws(null)).toBe('Other');
    expect(aws('AmazonSomethingNew', 'Amazon Simple Storage Service')).toBe('Storage');
    const azure = serviceCategorizer('azure');
    // Managed disks: meter category Storage, consumed through Microsoft.Compute.
    expect(azure('Storage', null, 'Microsoft.Compute')).toBe('Storage');
    expect(azure(null, null, 'Microsoft.Compute')).toBe('Compute');
    expect(azure('Unassigned', null, '')).toBe('Other');
    // Answers are remembered per name: asking again gives the same.
    expect(azure('Storage', null, 'Microsoft.Compute')).toBe('Storage');
  });

  it('recognises written categories and FOCUS provider names', () => {
    expect(canonicalServiceCategory('compute')).toBe('Compute');
    expect(canonicalServiceCategory('AI and machine learning')).toBe('AI and Machine Learning');
    expect(canonicalServiceCategory('Containers')).toBeNull();
    expect(
      ['AWS', 'Amazon Web Services', 'Microsoft', 'Azure', 'Google Cloud', 'GCP', 'Oracle'].map(categoryProviderOf),
    ).toEqual(['aws', 'aws', 'azure', 'azure', 'gcp', 'gcp', null]);
  });
});

describe('mappers fill the service category', () => {
  it('CUR legacy and CUR 2.0: from the product code, then the product name; "Other" when unknown', () => {
    const legacy = [
      'lineItem/UsageStartDate',
      'lineItem/LineItemType',
      'lineItem/UnblendedCost',
      'bill/BillingPeriodStartDate',
      'bill/PayerAccountId',
      'lineItem/ProductCode',
      'product/ProductName',
    ];
    const compiled = curMapper.compile(legacy, { fileName: 'cur.csv' });
    const category = (code: string, name: string) =>
      compiled.map(['2024-01-01T00:00:00Z', 'Usage', '1', '2024-01-01T00:00:00Z', '1', code, name])[0]!.serviceCategory;
    expect(category('AmazonEC2', 'Amazon Elastic Compute Cloud')).toBe('Compute');
    expect(category('AmazonCloudWatch', 'AmazonCloudWatch')).toBe('Management and Governance');
    expect(category('mra', 'Red Hat® Enterprise Linux®')).toBe('Other');

    const cur2 = legacy.map((column) =>
      column
        .replace('/', '_')
        .replace(/([a-z])([A-Z])/g, '$1_$2')
        .toLowerCase(),
    );
    cur2.push('resource_tags');
    const compiled2 = cur2Mapper.compile(cur2, { fileName: 'cur2.csv' });
    const [line] = compiled2.map(['2024-01-01T00:00:00Z', 'Usage', '1', '2024-01-01', '1', 'AmazonRDS', '', '']);
    expect(line).toMatchObject({ serviceName: 'AmazonRDS', serviceCategory: 'Databases' });
  });

  it('GCP: from service.description', () => {
    const columns = ['billing_account_id', 'service.description', 'usage_start_time', 'cost', 'currency'];
    const compiled = gcpMapper.compile(columns, { fileName: 'gcp.csv' });
    const category = (service: string) =>
      compiled.map(['A-B-C', service, '2024-01-01T00:00:00Z', '1', 'USD'])[0]!.serviceCategory;
    expect(category('Cloud Storage')).toBe('Storage');
    expect(category('Some Future Service')).toBe('Other');
  });

  describe('FOCUS', () => {
    const columns = [
      'BilledCost',
      'ChargePeriodStart',
      'BillingPeriodStart',
      'ChargeCategory',
      'BillingCurrency',
      'ProviderName',
      'ServiceName',
      'ServiceCategory',
    ];
    const compiled = focusMapper.compile(columns, { fileName: 'focus.csv' });
    const category = (provider: string, service: string, written: string) =>
      compiled.map([
        '1',
        '2024-01-01T00:00:00Z',
        '2024-01-01T00:00:00Z',
        'Usage',
        'USD',
        provider,
        service,
        written,
      ])[0]!.serviceCategory;

    it('keeps the file’s own category, in FOCUS’s spelling', () => {
      expect(category('AWS', 'Amazon Elastic Compute Cloud', 'Storage')).toBe('Storage');
      expect(category('AWS', 'Amazon Elastic Compute Cloud', 'storage')).toBe('Storage');
    });

    it('keeps a value outside FOCUS’s list as written rather than drop it', () => {
      expect(category('AWS', 'Amazon Elastic Compute Cloud', 'Containers')).toBe('Containers');
    });

    it('derives a missing one from the service name, "Other" when the provider or service is unknown', () => {
      expect(category('AWS', 'Amazon Simple Storage Service', '')).toBe('Storage');
      expect(category('Microsoft', 'Virtual Machines', 'NULL')).toBe('Compute');
      expect(category('Google Cloud', 'BigQuery', '')).toBe('Analytics');
      expect(category('Oracle', 'COMPUTE', '')).toBe('Other');
      expect(category('AWS', 'Amazon Something New', '')).toBe('Other');
    });

    it('files without the column get one too', () => {
      const without = columns.filter((column) => column !== 'ServiceCategory');
      const mapped = focusMapper.compile(without, { fileName: 'focus.csv' });
      const [line] = mapped.map([
        '1',
        '2024-01-01T00:00:00Z',
        '2024-01-01T00:00:00Z',
        'Usage',
        'USD',
        'AWS',
        'AWS Lambda',
      ]);
      expect(line!.serviceCategory).toBe('Compute');
    });
  });
});

/**
 * AWS's and Microsoft's own FOCUS exports (the FOCUS 1.0 sample) classify their services: where a table
 * knows a service, its category is one the provider itself used for that service, except the deviations
 * listed (docs/formats.md says why).
 */
describe.skipIf(!datasetsPresent)(
  datasetsPresent ? 'agreement with providers’ FOCUS exports' : DATASETS_SKIP_REASON,
  () => {
    // AWS's 2024 FOCUS export put containers under "Other"; FOCUS's own Compute description names them.
    const DEVIATIONS = new Set([
      'Amazon EC2 Container Registry (ECR)',
      'Amazon Elastic Container Service',
      'Amazon Elastic Container Service for Kubernetes',
    ]);

    it('the FOCUS 1.0 sample', () => {
      const rows = rawCsvRows(dataset('focus-sample-data/FOCUS-1.0/focus_sample.csv'));
      const written = new Map<string, Set<string>>();
      for (const row of rows) {
        const key = `${row.ProviderName}\u0000${row.ServiceName}`;
        written.set(key, (written.get(key) ?? new Set()).add(row.ServiceCategory!));
      }
      let compared = 0;
      for (const [key, categories] of written) {
        const [provider, service] = key.split('\u0000') as [string, string];
        const table = categoryProviderOf(provider);
        const ours = table && lookupServiceCategory(table, service);
        if (!ours || DEVIATIONS.has(service)) continue;
        compared++;
        expect([...categories], `${provider} ${service}`).toContain(ours);
      }
      expect(compared).toBeGreaterThanOrEqual(25);
    });
  },
);
