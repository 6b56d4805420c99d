// Serves bench/browser/ with Vite's dev server (cross-origin isolated, MNIST from
// public/mnist) and drives it in Debian's Chromium through playwright-core.

import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from '../tests/support/chromium';
import { createServer, type ViteDevServer } from 'vite';
import { PROGRESS_PREFIX, type BenchRequest, type BenchResponse, type BenchWindow } from './browser/bench-messages';

export interface BrowserSession {
  readonly origin: string;
  run(request: BenchRequest): Promise<BenchResponse>;
  close(): Promise<void>;
}

export async function openBrowserSession(repoRoot: string, log: (line: string) => void): Promise<BrowserSession> {
  const port = await freePort();
  const server = await createServer({
    configFile: false,
    root: join(repoRoot, 'bench', 'browser'),
    publicDir: join(repoRoot, 'public'),
    cacheDir: join(repoRoot, 'node_modules', '.vite-bench'),
    logLevel: 'warn',
    server: {
      host: '127.0.0.1',
      port,
      strictPort: true,
      // Threads in TF.js (and SharedArrayBuffer generally) need a cross-origin isolated page.
      headers: { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' },
      fs: { allow: [repoRoot] },
      hmr: false,
    },
    worker: { format: 'es' },
    // Pre-bundle TF.js at start-up; discovering it when the worker imports it would make
    // Vite reload the page in the middle of a run.
    optimizeDeps: {
      entries: ['bench-page.ts', 'bench-worker.ts', 'tfjs-trainer.ts'],
      include: ['@tensorflow/tfjs-core', '@tensorflow/tfjs-core/dist/register_all_gradients', '@tensorflow/tfjs-backend-wasm'],
    },
  });
  let context: BrowserContext | undefined;
  const userDataDir = mkdtempSync(join(tmpdir(), 'mnist-bench-chromium-'));
  try {
    await server.listen();
    const origin = `http://127.0.0.1:${port}`;
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_FLAGS,
    });
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (message) => {
      const text = message.text();
      if (text.startsWith(PROGRESS_PREFIX)) log(text.slice(PROGRESS_PREFIX.length));
      else if (message.type() === 'error' || message.type() === 'warning') log(`browser ${message.type()}: ${text}`);
    });
    page.on('pageerror', (error) => log(`browser page error: ${error.message}`));
    await page.goto(`${origin}/`);
    await page.waitForFunction(() => 'runBench' in window);
    return session(origin, page, server, context, userDataDir);
  } catch (error) {
    await context?.close();
    await server.close();
    rmSync(userDataDir, { recursive: true, force: true });
    throw error;
  }
}

function session(
  origin: string,
  page: Page,
  server: ViteDevServer,
  context: BrowserContext,
  userDataDir: string,
): BrowserSession {
  return {
    origin,
    run: (request) => page.evaluate((r) => (window as unknown as BenchWindow).runBench(r), request),
    async close() {
      await context.close();
      await server.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Asks the OS for an unused port, so two benches (or the app's dev server) never collide. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createNetServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => {
        if (address !== null && typeof address === 'object') resolve(address.port);
        else reject(new Error('Could not find a free port.'));
      });
    });
  });
}
