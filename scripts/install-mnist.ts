// Puts the four MNIST .gz files into public/mnist/ so the page (and the data tests) can read
// them. Each file is copied from $MNIST_DIR or downloaded from a public mirror, and accepted
// only if the MD5 of its decompressed bytes matches shared/mnist-files.ts: the gzip wrapper
// differs between copies, the content must not. A bad file is never left in place.
//
// Environment:
//   MNIST_DIR      folder holding the four .gz files (relative to the current directory)
//   MNIST_DEST     destination folder instead of public/mnist (used by the tests)
//   MNIST_MIRRORS  comma-separated base URLs to download from instead of the public mirrors

import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { MNIST_FILES } from '../src/shared/mnist-files';
import type { MnistFileInfo } from '../src/shared/mnist-files';

const PUBLIC_MIRRORS = [
  'https://ossci-datasets.s3.amazonaws.com/mnist/',
  'https://storage.googleapis.com/cvdf-datasets/mnist/',
];
/** Generous for the 9.9 MB training images on a slow link, short enough not to hang CI. */
const DOWNLOAD_TIMEOUT_MS = 120_000;

class InstallFailure extends Error {}

interface Config {
  readonly dest: string;
  readonly sourceDir: string | undefined;
  readonly mirrors: readonly string[];
}

function readConfig(): Config {
  const mirrors = process.env.MNIST_MIRRORS?.split(',').map((url) => url.trim()).filter(Boolean);
  return {
    dest: process.env.MNIST_DEST
      ? resolve(process.env.MNIST_DEST)
      : fileURLToPath(new URL('../public/mnist/', import.meta.url)),
    sourceDir: process.env.MNIST_DIR ? resolve(process.env.MNIST_DIR) : undefined,
    mirrors: (mirrors?.length ? mirrors : PUBLIC_MIRRORS).map((url) => (url.endsWith('/') ? url : `${url}/`)),
  };
}

/** Returns undefined when the gz bytes hold the genuine file, else what is wrong with them. */
function problemWith(bytes: Uint8Array, info: MnistFileInfo): string | undefined {
  let content: Buffer;
  try {
    content = gunzipSync(bytes);
  } catch (error) {
    return `is not a valid gzip file (${error instanceof Error ? error.message : String(error)})`;
  }
  const md5 = createHash('md5').update(content).digest('hex');
  if (md5 === info.decompressedMd5) return undefined;
  return `has the wrong content: expected MD5 ${info.decompressedMd5} of the decompressed bytes, found ${md5}`;
}

/** Writes through a temporary file so an interrupted run never leaves half a file behind. */
async function writeAtomically(path: string, bytes: Uint8Array): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(temporary, bytes);
    await rename(temporary, path);
  } finally {
    await rm(temporary, { force: true });
  }
}

async function copyFromDir(info: MnistFileInfo, sourceDir: string): Promise<{ bytes: Uint8Array; from: string }> {
  const source = join(sourceDir, info.fileName);
  if (!existsSync(source)) {
    throw new InstallFailure(`${info.fileName} is not in MNIST_DIR (${sourceDir}).`);
  }
  const bytes = await readFile(source);
  const problem = problemWith(bytes, info);
  if (problem !== undefined) throw new InstallFailure(`${source} ${problem}.`);
  return { bytes, from: `copied from ${sourceDir}` };
}

/** Mirrors that failed below HTTP (DNS, refused, timeout): not worth a timeout per file. */
const unreachableMirrors = new Set<string>();

async function download(info: MnistFileInfo, mirrors: readonly string[]): Promise<{ bytes: Uint8Array; from: string }> {
  const attempts: string[] = [];
  for (const mirror of mirrors) {
    if (unreachableMirrors.has(mirror)) {
      attempts.push(`${mirror}: skipped, unreachable for an earlier file`);
      continue;
    }
    const url = new URL(info.fileName, mirror).href;
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) });
      if (!response.ok) {
        attempts.push(`${url}: HTTP ${response.status}`);
        continue;
      }
      const bytes = new Uint8Array(await response.arrayBuffer());
      const problem = problemWith(bytes, info);
      if (problem === undefined) return { bytes, from: `downloaded from ${url}` };
      attempts.push(`${url}: the download ${problem}`);
    } catch (error) {
      unreachableMirrors.add(mirror);
      const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
      attempts.push(`${url}: ${error instanceof Error ? error.message : String(error)}${cause}`);
    }
  }
  throw new InstallFailure(`${info.fileName} could not be downloaded:\n  ${attempts.join('\n  ')}`);
}

/** Installs one file and returns the line to print. */
async function installFile(info: MnistFileInfo, config: Config): Promise<string> {
  const destination = join(config.dest, info.fileName);
  let replacing = '';
  if (existsSync(destination)) {
    const problem = problemWith(await readFile(destination), info);
    if (problem === undefined) return `${info.fileName} ok (already present)`;
    replacing = ` (replaced a copy that ${problem})`;
    // Remove it now so a failed replacement does not leave the bad copy to be served.
    await rm(destination, { force: true });
  }
  const { bytes, from } = config.sourceDir
    ? await copyFromDir(info, config.sourceDir)
    : await download(info, config.mirrors);
  await writeAtomically(destination, bytes);
  return `${info.fileName} ${from}${replacing}`;
}

async function main(): Promise<void> {
  const config = readConfig();
  await mkdir(config.dest, { recursive: true });
  let failures = 0;
  for (const info of MNIST_FILES) {
    try {
      console.log(`mnist: ${await installFile(info, config)}`);
    } catch (error) {
      if (!(error instanceof InstallFailure)) throw error;
      failures++;
      console.error(`mnist: ${error.message}`);
    }
  }
  if (failures === 0) return;
  const advice = config.sourceDir
    ? 'Set MNIST_DIR to a folder holding the four genuine .gz files and run again.'
    : 'Check the network connection, or set MNIST_DIR to a folder holding the four .gz files, then run again.';
  console.error(
    `mnist: ${failures} of ${MNIST_FILES.length} files could not be installed into ${config.dest}. ${advice}\n` +
      '       (re-run with: npx tsx scripts/install-mnist.ts)',
  );
  process.exitCode = 1;
}

await main();
