import { describe, expect, it } from 'vitest';
import { buildIdxLabels, corruptGzip, cyclingLabels, gzip, truncatedGzip } from '../../tests/fixtures/idx-builders';
import { DataFileError } from './data-file-error';
import { gunzipIfNeeded, isGzip } from './gunzip';

const FILE = 'train-labels-idx1-ubyte.gz';

async function failure(run: () => Promise<unknown>): Promise<DataFileError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof DataFileError) return error;
    throw error;
  }
  throw new Error('expected a DataFileError, but decompression succeeded');
}

describe('gunzipIfNeeded', () => {
  const original = buildIdxLabels({ labels: cyclingLabels(70_000) });

  it('decompresses gzip to the original bytes', async () => {
    const packed = gzip(original);
    expect(isGzip(packed)).toBe(true);
    expect(packed.length).toBeLessThan(original.length);
    const unpacked = await gunzipIfNeeded(packed, FILE);
    expect(unpacked).toEqual(original);
  });

  it('passes bytes that are already decompressed through unchanged', async () => {
    expect(isGzip(original)).toBe(false);
    expect(await gunzipIfNeeded(original, FILE)).toBe(original);
    const tiny = new Uint8Array([0x1f]);
    expect(await gunzipIfNeeded(tiny, FILE)).toBe(tiny);
  });

  it('names the file when the deflate data is damaged', async () => {
    const error = await failure(() => gunzipIfNeeded(corruptGzip(original), FILE));
    expect(error.code).toBe('data-corrupt');
    expect(error.file).toBe(FILE);
    expect(error.message).toMatch(/^train-labels-idx1-ubyte\.gz is not a valid gzip file \(.+\)/);
  });

  it('fails clearly on a truncated gzip stream', async () => {
    const error = await failure(() => gunzipIfNeeded(truncatedGzip(original), FILE));
    expect(error.code).toBe('data-corrupt');
    expect(error.message).toContain('truncated or damaged');
  });
});
