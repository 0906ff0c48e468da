import { defineConfig } from 'drizzle-kit';

// drizzle-kit resolves these paths from the working directory: run it from the repository root (npm run db:generate).
export default defineConfig({
  dialect: 'sqlite',
  schema: './electron/core/store/schema.ts',
  out: './electron/core/store/migrations',
});
