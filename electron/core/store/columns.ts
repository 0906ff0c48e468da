import { customType, text } from 'drizzle-orm/sqlite-core';

// The connection runs with safeIntegers on, so every INTEGER arrives as bigint; these helpers
// make the TypeScript side explicit about which integers are money and which are small counts.

/** Money in nano-units (10⁻⁹), stored as SQLite INTEGER, typed bigint end to end. */
export const nanos = customType<{ data: bigint; driverData: bigint | number }>({
  dataType: () => 'integer',
  toDriver: (value) => value,
  fromDriver: (value) => BigInt(value),
});

/** A small integer (counts, versions, line numbers) read back as a JS number. */
export const int = customType<{ data: number; driverData: bigint | number }>({
  dataType: () => 'integer',
  toDriver: (value) => value,
  fromDriver: (value) => {
    const n = Number(value);
    if (!Number.isSafeInteger(n)) throw new RangeError(`integer out of safe range: ${String(value)}`);
    return n;
  },
});

/** JSON text with an explicit TypeScript type. */
export const json = <T>(name: string) =>
  customType<{ data: T; driverData: string }>({
    dataType: () => 'text',
    toDriver: (value) => JSON.stringify(value),
    fromDriver: (value) => JSON.parse(value) as T,
  })(name);

/** Columns every entity that will later sync carries: a stable ULID, a version and an updated-at (ISO UTC). */
export const syncColumns = () => ({
  id: text('id').primaryKey(),
  version: int('version').notNull().default(1),
  updatedAt: text('updated_at').notNull(),
});
