// `npm run bench`: our engine in Node, then our engine and TF.js (wasm) in a Web Worker in
// headless Chromium. Prints a table and, as the last stdout line, the summary JSON, which
// also goes to bench-results/latest.json.

import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseBenchOptions, type BenchOptions } from './bench-options';
import { formatTable, summarize, type BenchRow } from './bench-report';
import { openBrowserSession } from './browser-session';
import { measurePageTimeTo97, type PageMeasurement } from './page-time-to-97';
import { findMnistDirectory, loadMnist, nodeMnistDirectory, publicMnistDirectory } from './node-mnist';
import { startNodeHelper } from './node-gradient-helper';
import { runEngineBackends } from './run-engine';

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const TFJS_WASM_DIR = join(REPO_ROOT, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist');
const KERNELS_DIR = join(REPO_ROOT, 'src', 'engine', 'wasm', 'build');

// Progress goes to stderr so stdout stays the table plus the final JSON line.
const log = (line: string) => console.error(line);

async function runInNode(options: BenchOptions): Promise<BenchRow[]> {
  const dir = nodeMnistDirectory(REPO_ROOT);
  log(`Node: loading MNIST from ${dir}`);
  const sets = await loadMnist(dir);
  const compile = async (file: string) => WebAssembly.compile(await readFile(join(KERNELS_DIR, file)));
  return runEngineBackends(sets.train, sets.test, options, 'node', log, {
    compileKernels: () => compile('kernels.wasm'),
    compileSharedKernels: () => compile('kernels-shared.wasm'),
    startHelper: startNodeHelper,
  });
}

async function runInChromium(options: BenchOptions): Promise<{ rows: BenchRow[]; crossOriginIsolated: boolean }> {
  // The page serves public/mnist only; fail here, clearly, rather than with a 404 in the worker.
  findMnistDirectory([publicMnistDirectory(REPO_ROOT)]);
  const browser = await openBrowserSession(REPO_ROOT, log);
  try {
    const mnistBaseUrl = `${browser.origin}/mnist/`;
    log(`Chromium: ${browser.origin}, our engine in a worker`);
    const ours = await browser.run({ kind: 'engine', epochs: options.epochs, batchSize: options.batchSize, mnistBaseUrl });
    log('Chromium: TF.js (wasm) in a worker');
    const tfjs = await browser.run({
      kind: 'tfjs',
      epochs: options.tfjsEpochs,
      batchSize: options.batchSize,
      mnistBaseUrl,
      wasmPathPrefix: `${browser.origin}/@fs/${relative('/', TFJS_WASM_DIR)}/`,
    });
    return { rows: [...ours.rows, ...tfjs.rows], crossOriginIsolated: ours.crossOriginIsolated && tfjs.crossOriginIsolated };
  } finally {
    await browser.close();
  }
}

async function main(): Promise<void> {
  const options = parseBenchOptions(process.argv.slice(2));
  log(`Bench: ${options.epochs} epoch(s) of ours, ${options.tfjsEpochs} of TF.js, batch ${options.batchSize}`);
  const rows: BenchRow[] = [];
  let crossOriginIsolated: boolean | null = null;
  const pages: PageMeasurement[] = [];
  if (options.only !== 'browser') rows.push(...(await runInNode(options)));
  if (options.only !== 'node') {
    const chromium = await runInChromium(options);
    rows.push(...chromium.rows);
    crossOriginIsolated = chromium.crossOriginIsolated;
    log('Chromium: the app itself, from Start to 97% test accuracy on the status line');
    // The app's defaults (one thread), then its two-thread engine.
    for (const query of ['', 'backend=wasm-threads']) pages.push(await measurePageTimeTo97(REPO_ROOT, query, log));
  }
  const summary = summarize(rows, {
    batchSize: options.batchSize,
    crossOriginIsolated,
    pageSecondsTo97: pages[0]?.secondsTo97 ?? null,
  });
  const resultsDir = join(REPO_ROOT, 'bench-results');
  await mkdir(resultsDir, { recursive: true });
  const json = JSON.stringify(summary);
  await writeFile(join(resultsDir, 'latest.json'), `${JSON.stringify(summary, null, 2)}\n`);
  console.log(formatTable(rows));
  console.log(`crossOriginIsolated: ${String(crossOriginIsolated)}`);
  for (const page of pages) {
    const seconds = page.secondsTo97 === null ? 'not reached' : `${page.secondsTo97.toFixed(2)} s`;
    console.log(`app page (${page.backend}, ${Math.round(page.samplesPerSec).toLocaleString('en-US')} samples/s shown): Start → 97% test accuracy in ${seconds}`);
  }
  console.log(json);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
});
