// The user's own labelled drawings, kept in IndexedDB so they survive reloads. Each is the
// 28×28 image the network saw (bytes), its label and when it was added.

import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { MAX_USER_SAMPLES, type UserSample } from '../shared/trainer-api';

const DATABASE_NAME = 'mnist-playground';
const DATABASE_VERSION = 1;
const STORE = 'user-samples';
const PIXEL_COUNT = 784;
const EXPORT_FORMAT = 'mnist-playground-user-samples';

interface Schema extends DBSchema {
  [STORE]: { key: string; value: UserSample; indexes: { addedAt: number } };
}

/** The format of an exported file. */
export interface UserSamplesExport {
  readonly format: typeof EXPORT_FORMAT;
  readonly version: 1;
  readonly samples: readonly { id: string; label: number; addedAt: number; pixels: number[] }[];
}

export interface ImportOutcome {
  readonly added: number;
  /** Samples already stored (same id), left as they are. */
  readonly alreadyPresent: number;
}

export class UserSamplesStore {
  private database: Promise<IDBPDatabase<Schema>> | null = null;

  /** Oldest first. */
  async list(): Promise<UserSample[]> {
    return (await this.open()).getAllFromIndex(STORE, 'addedAt');
  }

  /** Adds a drawing as 784 intensities in 0..1 (the network's input) with its label. */
  async add(pixels: Float32Array, label: number): Promise<UserSample> {
    if (pixels.length !== PIXEL_COUNT) throw new Error(`A sample needs ${PIXEL_COUNT} pixels, got ${pixels.length}.`);
    if (!isDigit(label)) throw new Error(`A label is a digit 0–9, got ${label}.`);
    const transaction = (await this.open()).transaction(STORE, 'readwrite');
    const count = await transaction.store.count();
    if (count >= MAX_USER_SAMPLES) {
      await transaction.done;
      throw new Error(`You have ${MAX_USER_SAMPLES} samples already; remove some before adding more.`);
    }
    // Two adds within one millisecond must still list in the order they were made.
    const newest = await transaction.store.index('addedAt').openCursor(null, 'prev');
    const sample: UserSample = {
      id: crypto.randomUUID(),
      label,
      addedAt: Math.max(Date.now(), (newest?.value.addedAt ?? 0) + 1),
      pixels: Uint8Array.from(pixels, (value) => Math.round(Math.min(1, Math.max(0, value)) * 255)),
    };
    await Promise.all([transaction.store.put(sample), transaction.done]);
    return sample;
  }

  async remove(id: string): Promise<void> {
    await (await this.open()).delete(STORE, id);
  }

  async clear(): Promise<void> {
    await (await this.open()).clear(STORE);
  }

  async exportAll(): Promise<UserSamplesExport> {
    const samples = await this.list();
    return {
      format: EXPORT_FORMAT,
      version: 1,
      samples: samples.map(({ id, label, addedAt, pixels }) => ({ id, label, addedAt, pixels: Array.from(pixels) })),
    };
  }

  /**
   * Adds the samples of an exported file (its text). The whole file is checked first and
   * stored in one transaction: a malformed file, or one that would pass the limit, changes
   * nothing and throws a message meant for the user.
   */
  async importJson(text: string): Promise<ImportOutcome> {
    const samples = parseUserSamplesExport(text);
    const transaction = (await this.open()).transaction(STORE, 'readwrite');
    const existing = new Set(await transaction.store.getAllKeys());
    const fresh = samples.filter((sample) => !existing.has(sample.id));
    if (existing.size + fresh.length > MAX_USER_SAMPLES) {
      await transaction.done;
      throw new Error(
        `Importing would make ${existing.size + fresh.length} samples, more than the limit of ${MAX_USER_SAMPLES}; nothing was imported.`,
      );
    }
    await Promise.all([...fresh.map((sample) => transaction.store.put(sample)), transaction.done]);
    return { added: fresh.length, alreadyPresent: samples.length - fresh.length };
  }

  private open(): Promise<IDBPDatabase<Schema>> {
    // Started inside a promise so that a browser without IndexedDB, which throws at once,
    // gets the same message as one that refuses to open it (private windows).
    this.database ??= Promise.resolve()
      .then(() =>
        openDB<Schema>(DATABASE_NAME, DATABASE_VERSION, {
          upgrade(database) {
            database.createObjectStore(STORE, { keyPath: 'id' }).createIndex('addedAt', 'addedAt');
          },
        }),
      )
      .catch((error: unknown) => {
        this.database = null;
        throw new Error(`Your samples cannot be stored in this browser (${error instanceof Error ? error.message : String(error)}).`);
      });
    return this.database;
  }
}

/** Reads an exported file strictly; throws a message naming the first problem. */
export function parseUserSamplesExport(text: string): UserSample[] {
  const fail = (problem: string): never => {
    throw new Error(`This is not a samples file exported from MNIST Playground: ${problem}. Nothing was imported.`);
  };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return fail('it is not JSON');
  }
  if (!isRecord(data) || data.format !== EXPORT_FORMAT) return fail(`its "format" is not "${EXPORT_FORMAT}"`);
  if (data.version !== 1) return fail(`its version is ${JSON.stringify(data.version)}, this page reads version 1`);
  if (!Array.isArray(data.samples)) return fail('it has no "samples" list');
  if (data.samples.length > MAX_USER_SAMPLES) return fail(`it holds ${data.samples.length} samples, more than ${MAX_USER_SAMPLES}`);
  const ids = new Set<string>();
  return data.samples.map((entry: unknown, index: number): UserSample => {
    const where = `sample ${index + 1}`;
    if (!isRecord(entry)) return fail(`${where} is not an object`);
    const { id, label, addedAt, pixels } = entry;
    if (typeof id !== 'string' || id === '' || ids.has(id)) return fail(`${where} has a missing or repeated id`);
    ids.add(id);
    if (!isDigit(label)) return fail(`${where} has label ${JSON.stringify(label)}, not a digit 0–9`);
    if (typeof addedAt !== 'number' || !Number.isFinite(addedAt)) return fail(`${where} has no valid "addedAt" time`);
    if (!Array.isArray(pixels) || pixels.length !== PIXEL_COUNT) return fail(`${where} does not have ${PIXEL_COUNT} pixels`);
    if (!pixels.every((value) => Number.isInteger(value) && value >= 0 && value <= 255)) {
      return fail(`${where} has pixels outside 0–255`);
    }
    return { id, label, addedAt, pixels: Uint8Array.from(pixels as number[]) };
  });
}

function isDigit(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 9;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
