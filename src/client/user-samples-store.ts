// The user's own labelled drawings, kept in IndexedDB so they survive reloads. Each is the
// 28×28 image the network saw (bytes), its label and when it was added.

import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { MAX_USER_SAMPLES, type UserSample } from '../shared/trainer-api';

const DATABASE_NAME = 'mnist-playground';
const DATABASE_VERSION = 1;
const STORE = 'user-samples';
const PIXEL_COUNT = 784;

interface Schema extends DBSchema {
  [STORE]: { key: string; value: UserSample; indexes: { addedAt: number } };
}

/** The format of an exported file. */
export interface UserSamplesExport {
  readonly format: 'mnist-playground-user-samples';
  readonly version: 1;
  readonly samples: readonly { id: string; label: number; addedAt: number; pixels: number[] }[];
}

export class UserSamplesStore {
  private database: Promise<IDBPDatabase<Schema>> | null = null;

  constructor(private readonly factory?: IDBFactory) {}

  async list(): Promise<UserSample[]> {
    return (await this.open()).getAllFromIndex(STORE, 'addedAt');
  }

  /** Adds a drawing as 784 intensities in 0..1 (the network's input) with its label. */
  async add(pixels: Float32Array, label: number): Promise<UserSample> {
    if (pixels.length !== PIXEL_COUNT) throw new Error(`A sample needs ${PIXEL_COUNT} pixels, got ${pixels.length}.`);
    if (!Number.isInteger(label) || label < 0 || label > 9) throw new Error(`A label is a digit 0–9, got ${label}.`);
    const database = await this.open();
    if ((await database.count(STORE)) >= MAX_USER_SAMPLES) {
      throw new Error(`You have ${MAX_USER_SAMPLES} samples already; remove some before adding more.`);
    }
    const sample: UserSample = {
      id: crypto.randomUUID(),
      label,
      addedAt: Date.now(),
      pixels: Uint8Array.from(pixels, (value) => Math.round(Math.min(1, Math.max(0, value)) * 255)),
    };
    await database.put(STORE, sample);
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
      format: 'mnist-playground-user-samples',
      version: 1,
      samples: samples.map(({ id, label, addedAt, pixels }) => ({ id, label, addedAt, pixels: Array.from(pixels) })),
    };
  }

  private open(): Promise<IDBPDatabase<Schema>> {
    this.database ??= openDB<Schema>(DATABASE_NAME, DATABASE_VERSION, {
      upgrade(database) {
        database.createObjectStore(STORE, { keyPath: 'id' }).createIndex('addedAt', 'addedAt');
      },
    }).catch((error: unknown) => {
      this.database = null;
      throw new Error(`Your samples cannot be stored in this browser (${error instanceof Error ? error.message : String(error)}).`);
    });
    return this.database;
  }
}
