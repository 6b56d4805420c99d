// Runs the install script as a child process, as npm does, against temporary folders and a
// loopback mirror, so nothing here touches public/mnist or the network.

import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, realpathSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildIdxLabels, cyclingLabels, gzip, realMnistDir } from '../fixtures/idx-builders';
import { MNIST_FILES } from '../../src/shared/mnist-files';

const TSX = resolve('node_modules/.bin/tsx');
const SCRIPT = resolve('scripts/install-mnist.ts');

interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function runInstall(env: Record<string, string>, cwd = process.cwd()): Promise<RunResult> {
  const inherited = { ...process.env };
  delete inherited.MNIST_DIR;
  delete inherited.MNIST_DEST;
  delete inherited.MNIST_MIRRORS;
  return new Promise((done) => {
    execFile(TSX, [SCRIPT], { cwd, env: { ...inherited, ...env } }, (error, stdout, stderr) => {
      done({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

let source: string;
let scratch: string;

beforeAll(async () => {
  source = realMnistDir();
  scratch = await mkdtemp(join(tmpdir(), 'install-mnist-'));
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

async function sameAsSource(dest: string, fileName: string): Promise<boolean> {
  const [installed, original] = await Promise.all([readFile(join(dest, fileName)), readFile(join(source, fileName))]);
  return installed.equals(original);
}

/** A source folder with the three genuine files linked in and one replaced by `bytes`. */
async function sourceWith(name: string, fileName: string, bytes: Uint8Array | undefined): Promise<string> {
  const dir = join(scratch, name);
  await mkdir(dir);
  for (const info of MNIST_FILES) {
    if (info.fileName !== fileName) await symlink(join(source, info.fileName), join(dir, info.fileName));
  }
  if (bytes !== undefined) await writeFile(join(dir, fileName), bytes);
  return dir;
}

describe('install-mnist with MNIST_DIR', () => {
  it('copies, then skips valid files, then replaces a corrupted one', async () => {
    const dest = join(scratch, 'copy-dest');

    const first = await runInstall({ MNIST_DIR: source, MNIST_DEST: dest });
    expect(first.code).toBe(0);
    expect(first.stdout.trim().split('\n')).toEqual(
      MNIST_FILES.map((info) => `mnist: ${info.fileName} copied from ${source}`),
    );
    for (const info of MNIST_FILES) expect(await sameAsSource(dest, info.fileName)).toBe(true);

    const before = await stat(join(dest, 'train-images-idx3-ubyte.gz'));
    const second = await runInstall({ MNIST_DIR: source, MNIST_DEST: dest });
    expect(second.code).toBe(0);
    expect(second.stdout.trim().split('\n')).toEqual(
      MNIST_FILES.map((info) => `mnist: ${info.fileName} ok (already present)`),
    );
    expect((await stat(join(dest, 'train-images-idx3-ubyte.gz'))).mtimeMs).toBe(before.mtimeMs);

    await writeFile(join(dest, 'train-labels-idx1-ubyte.gz'), 'not a gzip file');
    const third = await runInstall({ MNIST_DIR: source, MNIST_DEST: dest });
    expect(third.code).toBe(0);
    expect(third.stdout).toContain(
      `mnist: train-labels-idx1-ubyte.gz copied from ${source} (replaced a copy that is not a valid gzip file`,
    );
    expect(third.stdout).toContain('mnist: train-images-idx3-ubyte.gz ok (already present)');
    expect(await sameAsSource(dest, 'train-labels-idx1-ubyte.gz')).toBe(true);
  });

  it('resolves a relative MNIST_DIR against the current directory', async () => {
    const dest = join(scratch, 'relative-dest');
    const result = await runInstall({ MNIST_DIR: '.', MNIST_DEST: dest }, source);
    expect(result.code).toBe(0);
    // The child's working directory is the real path, symbolic links resolved.
    expect(result.stdout).toContain(`copied from ${realpathSync(source)}`);
  });

  it('refuses a source file with the wrong content, exits 1 and leaves no bad file', async () => {
    const wrong = gzip(buildIdxLabels({ labels: cyclingLabels(10_000) }));
    const dir = await sourceWith('bad-source', 't10k-labels-idx1-ubyte.gz', wrong);
    const dest = join(scratch, 'bad-dest');
    // A damaged copy already in place must not survive a failed replacement either.
    await mkdir(dest);
    await writeFile(join(dest, 't10k-labels-idx1-ubyte.gz'), wrong);

    const result = await runInstall({ MNIST_DIR: dir, MNIST_DEST: dest });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${join(dir, 't10k-labels-idx1-ubyte.gz')} has the wrong content`);
    expect(result.stderr).toMatch(/expected MD5 27ae3e4e09519cfbb04c329615203637 of the decompressed bytes, found [0-9a-f]{32}/);
    expect(result.stderr).toContain('Set MNIST_DIR to a folder holding the four genuine .gz files');
    expect(result.stdout).toContain('mnist: train-images-idx3-ubyte.gz copied from');
    expect(await readdir(dest)).toEqual(
      expect.arrayContaining(['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz']),
    );
    expect(await readdir(dest)).toHaveLength(3);
  });

  it('names a file missing from MNIST_DIR', async () => {
    const dir = await sourceWith('missing-source', 'train-labels-idx1-ubyte.gz', undefined);
    const result = await runInstall({ MNIST_DIR: dir, MNIST_DEST: join(scratch, 'missing-dest') });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`train-labels-idx1-ubyte.gz is not in MNIST_DIR (${dir})`);
  });
});

describe('install-mnist downloading from mirrors', () => {
  let server: Server;
  let base: string;
  const requests: string[] = [];

  beforeAll(async () => {
    const wrongContent = gzip(buildIdxLabels({ labels: cyclingLabels(10) }));
    server = createServer((request, response) => {
      const path = request.url ?? '';
      requests.push(path);
      const fileName = path.split('/').at(-1) ?? '';
      if (path.startsWith('/good/') && MNIST_FILES.some((info) => info.fileName === fileName)) {
        void readFile(join(source, fileName)).then((bytes) => response.end(bytes));
      } else if (path.startsWith('/wrong/')) {
        response.end(wrongContent);
      } else {
        response.statusCode = 404;
        response.end('not found');
      }
    });
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((closed) => server.close(closed));
  });

  it('falls back to the next mirror and verifies what it downloads', async () => {
    const dest = join(scratch, 'download-dest');
    const result = await runInstall({ MNIST_DEST: dest, MNIST_MIRRORS: `${base}/missing/,${base}/good` });
    expect(result.code).toBe(0);
    for (const info of MNIST_FILES) {
      expect(result.stdout).toContain(`mnist: ${info.fileName} downloaded from ${base}/good/${info.fileName}`);
      expect(await sameAsSource(dest, info.fileName)).toBe(true);
    }
    expect(requests).toContain('/missing/train-images-idx3-ubyte.gz');
  });

  it('exits 1 with advice when no mirror has a genuine file, leaving nothing behind', async () => {
    const dest = join(scratch, 'download-bad-dest');
    const result = await runInstall({ MNIST_DEST: dest, MNIST_MIRRORS: `${base}/wrong/,${base}/missing/` });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('mnist: train-images-idx3-ubyte.gz could not be downloaded');
    expect(result.stderr).toContain(`${base}/wrong/train-images-idx3-ubyte.gz: the download has the wrong content`);
    expect(result.stderr).toContain(`${base}/missing/train-images-idx3-ubyte.gz: HTTP 404`);
    expect(result.stderr).toContain('Check the network connection, or set MNIST_DIR');
    expect(existsSync(dest) ? await readdir(dest) : []).toEqual([]);
  });
});
