// Loads MNIST from disk for the Node half of the bench: $MNIST_DIR if set, else public/mnist
// (filled by the install step). Missing files stop the bench with a clear message.

import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipIfNeeded } from '../src/data/gunzip';
import { assembleMnist, type MnistSets } from '../src/data/mnist';
import { MNIST_FILES, type MnistFileRole } from '../src/shared/mnist-files';

/** public/mnist, which the bench page serves to Chromium. */
export function publicMnistDirectory(repoRoot: string): string {
  return join(repoRoot, 'public', 'mnist');
}

function hasMnistFiles(dir: string): boolean {
  return MNIST_FILES.every((file) => existsSync(join(dir, file.fileName)));
}

/** Throws a message naming the folders tried when none holds all four files. */
export function findMnistDirectory(candidates: readonly string[]): string {
  const found = candidates.find(hasMnistFiles);
  if (found === undefined) {
    throw new Error(
      `MNIST files not found in ${candidates.join(' or ')}. Run \`npx tsx scripts/install-mnist.ts\` or set MNIST_DIR.`,
    );
  }
  return found;
}

/** $MNIST_DIR if set, else public/mnist. */
export function nodeMnistDirectory(repoRoot: string): string {
  const fromEnv = process.env.MNIST_DIR;
  const candidates = [publicMnistDirectory(repoRoot)];
  if (fromEnv !== undefined && fromEnv !== '') candidates.unshift(fromEnv);
  return findMnistDirectory(candidates);
}

export async function loadMnist(dir: string): Promise<MnistSets> {
  const entries = await Promise.all(
    MNIST_FILES.map(async (file): Promise<[MnistFileRole, Uint8Array]> => {
      const bytes = new Uint8Array(await readFile(join(dir, file.fileName)));
      return [file.role, await gunzipIfNeeded(bytes, file.fileName)];
    }),
  );
  return assembleMnist(Object.fromEntries(entries) as Record<MnistFileRole, Uint8Array>);
}
