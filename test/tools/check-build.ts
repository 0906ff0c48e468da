// Checks the electron-vite output and the packaging config against each other (npm test, after the build).
// Electron cannot run or package here, so this is what can be proven without it.
import fs from 'node:fs';
import path from 'node:path';

const problems: string[] = [];
const root = process.cwd();
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');
const exists = (file: string) => fs.existsSync(path.join(root, file));

const pkg = JSON.parse(read('package.json')) as {
  main: string;
  productName?: string;
  devDependencies: Record<string, string>;
};
for (const file of [
  pkg.main,
  'out/main/job-worker.js',
  'out/main/ingest-worker.js',
  'out/preload/index.cjs',
  'out/renderer/index.html',
]) {
  if (!exists(file)) problems.push(`${file} was not built`);
}
if (!/^41\./.test(pkg.devDependencies.electron ?? ''))
  problems.push('electron must stay pinned to the 41 line (Node 20 installs)');
if (pkg.productName !== 'Valdrix')
  problems.push('productName must be Valdrix (it names the userData folder both modes share)');

if (exists('out/preload/index.cjs')) {
  const preload = read('out/preload/index.cjs');
  const required = [...preload.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
  const foreign = required.filter((name) => name !== 'electron');
  if (foreign.length)
    problems.push(`the sandboxed preload requires ${foreign.join(', ')}: only electron is available there`);
}
if (exists(pkg.main)) {
  const main = read(pkg.main);
  for (const name of ['fastify', '@fastify/static', 'react']) {
    if (main.includes(`from "${name}"`))
      problems.push(`the Electron main bundle imports ${name}, which it does not need`);
  }
  if (
    !main.includes('contextIsolation: true') ||
    !main.includes('sandbox: true') ||
    !main.includes('nodeIntegration: false')
  ) {
    problems.push('the main bundle lost a window security setting');
  }
}
if (exists('out/renderer/index.html') && !read('out/renderer/index.html').includes('Content-Security-Policy')) {
  problems.push('the built renderer has no Content-Security-Policy');
}

const builder = read('electron-builder.yml');
const from = /extraResources:\s*\n\s*- from: (\S+)\s*\n\s*to: (\S+)/.exec(builder);
if (!from || !exists(path.join(from[1]!, 'meta', '_journal.json')))
  problems.push('electron-builder.yml must ship the migrations folder');
if (from?.[2] !== 'migrations')
  problems.push('electron-builder.yml must place migrations at resources/migrations (main reads them there)');
if (!/files:\s*\n\s*- out\/\*\*/.test(builder)) problems.push('electron-builder.yml must package out/**');
if (!/productName: Valdrix/.test(builder)) problems.push('electron-builder.yml productName must be Valdrix');

if (problems.length) {
  console.error(`build check failed:\n- ${problems.join('\n- ')}`);
  process.exit(1);
}
console.log('build check: main, preload and renderer built; preload self-contained; packaging config consistent');
