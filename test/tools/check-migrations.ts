// Migration check for `npm run check`: the journal's timestamps strictly increase (drizzle silently
// skips a pending migration stamped older than the last applied one), every journal entry has its
// SQL file, and the schema has no change that lacks a migration (drizzle-kit generates nothing new).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultMigrationsFolder, journalProblems, readJournal } from '../../electron/core/store/database';

const folder = defaultMigrationsFolder();
const journal = readJournal(folder);
const problems = journalProblems(journal);
for (const entry of journal.entries) {
  if (!fs.existsSync(path.join(folder, `${entry.tag}.sql`))) problems.push(`${entry.tag}.sql is missing`);
}

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'valdrix-migrations-'));
fs.cpSync(folder, scratch, { recursive: true });
const before = new Set(fs.readdirSync(scratch));
const drizzleKit = path.join(process.cwd(), 'node_modules', '.bin', 'drizzle-kit');
const generate = spawnSync(
  drizzleKit,
  // drizzle-kit prefixes --out with './', so it must be relative.
  [
    'generate',
    '--dialect',
    'sqlite',
    '--schema',
    './electron/core/store/schema.ts',
    '--out',
    path.relative(process.cwd(), scratch),
  ],
  { encoding: 'utf8' },
);
if (generate.status !== 0 || /error/i.test(generate.stderr))
  problems.push(`drizzle-kit generate failed: ${generate.stderr || generate.stdout}`);
const added = fs.readdirSync(scratch).filter((name) => !before.has(name));
if (added.length) {
  problems.push(
    `the schema has changes without a migration (drizzle-kit would add ${added.join(', ')}): run npm run db:generate`,
  );
}
fs.rmSync(scratch, { recursive: true, force: true });

if (problems.length) {
  console.error(`migration check failed:\n- ${problems.join('\n- ')}`);
  process.exit(1);
}
console.log(`migration check: ${journal.entries.length} migration(s), journal in order, schema in sync`);
