import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it } from 'vitest';
import { MAX_USER_SAMPLES } from '../shared/trainer-api';
import { UserSamplesStore, parseUserSamplesExport, type UserSamplesExport } from './user-samples-store';

/** A 28×28 image whose every pixel is `level` (0..1). */
function image(level: number): Float32Array {
  return new Float32Array(784).fill(level);
}

function exportText(samples: UserSamplesExport['samples']): string {
  return JSON.stringify({ format: 'mnist-playground-user-samples', version: 1, samples } satisfies UserSamplesExport);
}

function exportedSample(id: string, label = 3) {
  return { id, label, addedAt: 1_700_000_000_000, pixels: new Array<number>(784).fill(128) };
}

describe('UserSamplesStore', () => {
  let store: UserSamplesStore;

  beforeEach(() => {
    // A fresh, empty IndexedDB for every test.
    globalThis.indexedDB = new IDBFactory();
    store = new UserSamplesStore();
  });

  it('adds samples as bytes and lists them oldest first', async () => {
    const first = await store.add(image(1), 7);
    const second = await store.add(image(0.5), 1);
    const third = await store.add(image(0), 0);
    const listed = await store.list();
    expect(listed.map((sample) => sample.id)).toEqual([first.id, second.id, third.id]);
    expect(listed.map((sample) => sample.label)).toEqual([7, 1, 0]);
    expect(listed[0]!.pixels).toBeInstanceOf(Uint8Array);
    expect(listed[0]!.pixels[0]).toBe(255);
    expect(listed[1]!.pixels[0]).toBe(128);
    expect(listed[2]!.pixels[0]).toBe(0);
  });

  it('clamps intensities outside 0..1', async () => {
    const pixels = image(0);
    pixels[0] = -3;
    pixels[1] = 4;
    const sample = await store.add(pixels, 2);
    expect([sample.pixels[0], sample.pixels[1]]).toEqual([0, 255]);
  });

  it('keeps samples across store instances (a reload)', async () => {
    const added = await store.add(image(1), 4);
    expect((await new UserSamplesStore().list()).map((sample) => sample.id)).toEqual([added.id]);
  });

  it('removes one sample and clears all', async () => {
    const keep = await store.add(image(1), 1);
    const drop = await store.add(image(1), 2);
    await store.remove(drop.id);
    expect((await store.list()).map((sample) => sample.id)).toEqual([keep.id]);
    await store.clear();
    expect(await store.list()).toEqual([]);
  });

  it('rejects a wrong pixel count or a label that is not a digit', async () => {
    await expect(store.add(new Float32Array(100), 3)).rejects.toThrow(/784 pixels, got 100/);
    await expect(store.add(image(1), 10)).rejects.toThrow(/digit 0–9, got 10/);
    await expect(store.add(image(1), -1)).rejects.toThrow(/digit/);
    await expect(store.add(image(1), 2.5)).rejects.toThrow(/digit/);
    expect(await store.list()).toEqual([]);
  });

  it(`stops at ${MAX_USER_SAMPLES} samples`, async () => {
    for (let i = 0; i < MAX_USER_SAMPLES; i++) await store.add(image(1), i % 10);
    await expect(store.add(image(1), 5)).rejects.toThrow(/remove some/);
    expect(await store.list()).toHaveLength(MAX_USER_SAMPLES);
  });

  it('exports every sample as plain JSON data', async () => {
    const sample = await store.add(image(1), 9);
    const exported = await store.exportAll();
    expect(exported).toEqual({
      format: 'mnist-playground-user-samples',
      version: 1,
      samples: [{ id: sample.id, label: 9, addedAt: sample.addedAt, pixels: new Array<number>(784).fill(255) }],
    });
    expect(JSON.parse(JSON.stringify(exported))).toEqual(exported);
  });

  it('imports an exported file into another browser, skipping samples it already has', async () => {
    await store.add(image(1), 6);
    const text = JSON.stringify(await store.exportAll());
    globalThis.indexedDB = new IDBFactory();
    const other = new UserSamplesStore();
    await other.add(image(0.5), 2);
    expect(await other.importJson(text)).toEqual({ added: 1, alreadyPresent: 0 });
    expect(await other.importJson(text)).toEqual({ added: 0, alreadyPresent: 1 });
    const listed = await other.list();
    expect(listed.map((sample) => sample.label).sort()).toEqual([2, 6]);
    expect(listed.find((sample) => sample.label === 6)!.pixels).toEqual(new Uint8Array(784).fill(255));
  });

  it('explains when the browser has no IndexedDB, and tries again next time', async () => {
    const available = globalThis.indexedDB;
    Reflect.deleteProperty(globalThis, 'indexedDB');
    await expect(store.list()).rejects.toThrow(/Your samples cannot be stored in this browser/);
    globalThis.indexedDB = available;
    expect(await store.list()).toEqual([]);
  });

  it('refuses an import that would pass the limit, and changes nothing', async () => {
    await store.add(image(1), 1);
    const samples = Array.from({ length: MAX_USER_SAMPLES }, (_, i) => exportedSample(`imported-${i}`));
    await expect(store.importJson(exportText(samples))).rejects.toThrow(/more than the limit.*nothing was imported/);
    expect(await store.list()).toHaveLength(1);
  });

  it('refuses a malformed or foreign file, and changes nothing', async () => {
    await store.add(image(1), 1);
    const good = exportedSample('a');
    const cases: [string, RegExp][] = [
      ['not json {', /not JSON/],
      ['[]', /format/],
      [JSON.stringify({ format: 'something-else', version: 1, samples: [] }), /format/],
      [JSON.stringify({ format: 'mnist-playground-user-samples', version: 2, samples: [] }), /version is 2/],
      [JSON.stringify({ format: 'mnist-playground-user-samples', version: 1 }), /no "samples"/],
      [exportText([good, { ...good, id: 'b', label: 10 }]), /sample 2 has label 10/],
      [exportText([{ ...good, label: '3' as unknown as number }]), /label "3"/],
      [exportText([good, good]), /sample 2 has a missing or repeated id/],
      [exportText([{ ...good, pixels: good.pixels.slice(1) }]), /784 pixels/],
      [exportText([{ ...good, pixels: [...good.pixels.slice(1), 256] }]), /outside 0–255/],
      [exportText([{ ...good, pixels: [...good.pixels.slice(1), 0.5] }]), /outside 0–255/],
      [exportText([{ ...good, addedAt: Number.NaN }]), /addedAt/],
    ];
    for (const [text, message] of cases) {
      await expect(store.importJson(text), text.slice(0, 60)).rejects.toThrow(message);
      expect(() => parseUserSamplesExport(text)).toThrow(/not a samples file exported from MNIST Playground/);
    }
    expect(await store.list()).toHaveLength(1);
  });
});
