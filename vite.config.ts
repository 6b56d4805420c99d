import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// Cross-origin isolation lets the trainer share weights between workers through a
// SharedArrayBuffer. Static hosts must send the same two headers (see README).
const crossOriginIsolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  plugins: [react()],
  server: { port: 5173, headers: crossOriginIsolationHeaders },
  preview: { port: 4173, headers: crossOriginIsolationHeaders },
  worker: { format: 'es' },
  build: { target: 'es2023' },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          environment: 'node',
          include: ['src/**/*.test.ts', 'tests/unit/**/*.test.ts', 'bench/**/*.test.ts'],
          testTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['tests/e2e/**/*.e2e.ts'],
          globalSetup: ['tests/support/preview-server.ts'],
          testTimeout: 180_000,
          hookTimeout: 120_000,
          // One browser at a time: the machine has two cores and training uses both.
          fileParallelism: false,
        },
      },
    ],
  },
});
