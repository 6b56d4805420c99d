// Vitest global setup for the end-to-end project: serves the built app (dist/, made by
// `vite build` in `npm test`) with Vite's preview server on loopback.

import { existsSync } from 'node:fs';
import { preview } from 'vite';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (!existsSync('dist/index.html')) {
    throw new Error('dist/ is missing: run `npx vite build` (npm test does) before the end-to-end tests.');
  }
  const server = await preview({ preview: { host: '127.0.0.1', port: 0, strictPort: false } });
  const url = server.resolvedUrls?.local[0];
  if (url === undefined) throw new Error('The preview server did not report its address.');
  project.provide('baseUrl', url);
  return async () => {
    await server.close();
  };
}
