#!/usr/bin/env node
// The `valdrix` command. The CLI runs the TypeScript services from source through tsx, so it needs no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv.slice(2));
