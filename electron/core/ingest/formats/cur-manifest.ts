/**
 * CUR manifests: the JSON beside a legacy CUR or a CUR 2.0 / Data Exports delivery that names its data
 * files, billing period and columns. Kept apart from the CUR mapper so the scan worker, which loads the
 * mapper, does not load zod (about 100 ms of a worker's start).
 */
import fs from 'node:fs';
import { z } from 'zod';
import { AppError } from '../../../../shared/api/errors';

const ManifestSchema = z
  .object({
    /** Legacy CUR: object keys of the report's files. */
    reportKeys: z.array(z.string()).optional(),
    /** CUR 2.0 / Data Exports: S3 URIs of the data files. */
    dataFiles: z.array(z.string()).optional(),
    /** Legacy: {start: "20180801T000000.000Z", end}; Data Exports may write the same object or a string. */
    billingPeriod: z.union([z.string(), z.object({ start: z.string() })]).optional(),
    /** Legacy columns carry a category ("lineItem" + "UnblendedCost"); CUR 2.0 ones are already full names. */
    columns: z.array(z.object({ name: z.string(), category: z.string().optional() })).optional(),
  })
  .refine((manifest) => manifest.reportKeys ?? manifest.dataFiles ?? manifest.columns, {
    message: 'it names neither data files nor columns',
  });

export interface CurManifest {
  /** The data files as the manifest names them (S3 keys or URIs). */
  files?: string[];
  /** YYYY-MM. */
  billingPeriod?: string;
  /** Header names as the data files write them: "lineItem/UnblendedCost" or "line_item_unblended_cost". */
  columns?: string[];
}

/** Reads a legacy CUR manifest or a CUR 2.0 / Data Exports manifest into what an import needs. */
export async function readCurManifest(path: string): Promise<CurManifest> {
  let json: unknown;
  try {
    json = JSON.parse(await fs.promises.readFile(path, 'utf8'));
  } catch (error) {
    throw new AppError('IMPORT_FORMAT', `the CUR manifest is not JSON: ${(error as Error).message}`, { path });
  }
  const parsed = ManifestSchema.safeParse(json);
  if (!parsed.success) {
    throw new AppError('IMPORT_FORMAT', `not a CUR manifest: ${parsed.error.issues[0]?.message ?? 'invalid'}`, {
      path,
    });
  }
  const manifest = parsed.data;
  const files = manifest.reportKeys ?? manifest.dataFiles;
  const periodStart =
    typeof manifest.billingPeriod === 'string' ? manifest.billingPeriod : manifest.billingPeriod?.start;
  // Data Exports partition their files by BILLING_PERIOD=YYYY-MM when the manifest names no period.
  const fromFiles = files?.map((file) => /BILLING_PERIOD=(\d{4}-\d{2})/.exec(file)?.[1]).find(Boolean);
  const month = periodStart ? /^(\d{4})-?(\d{2})/.exec(periodStart.trim()) : null;
  const billingPeriod = month ? `${month[1]}-${month[2]}` : fromFiles;
  const result: CurManifest = {};
  if (files) result.files = files;
  if (billingPeriod) result.billingPeriod = billingPeriod;
  if (manifest.columns) {
    result.columns = manifest.columns.map((column) =>
      column.category ? `${column.category}/${column.name}` : column.name,
    );
  }
  return result;
}
