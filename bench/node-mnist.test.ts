import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MNIST_FILES } from '../src/shared/mnist-files';
import { findMnistDirectory } from './node-mnist';

const made: string[] = [];

function folderWith(fileNames: readonly string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'bench-mnist-'));
  made.push(dir);
  for (const name of fileNames) writeFileSync(join(dir, name), '');
  return dir;
}

afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('findMnistDirectory', () => {
  it('takes the first folder that holds all four files', () => {
    const all = MNIST_FILES.map((file) => file.fileName);
    const partial = folderWith(all.slice(0, 3));
    const complete = folderWith(all);
    const later = folderWith(all);
    expect(findMnistDirectory([partial, complete, later])).toBe(complete);
  });

  it('names every folder it tried when none is complete', () => {
    const empty = folderWith([]);
    const missing = join(empty, 'nope');
    expect(() => findMnistDirectory([missing, empty])).toThrow(
      new RegExp(`MNIST files not found in ${missing} or ${empty}\\..*MNIST_DIR`),
    );
  });
});
