// Fetches the four gz files from the bench server and assembles the sets, as the app's
// worker does. The dev server may already have decompressed them; gunzipIfNeeded copes.

import { gunzipIfNeeded } from '../../src/data/gunzip';
import { assembleMnist, type MnistSets } from '../../src/data/mnist';
import { MNIST_FILES, type MnistFileRole } from '../../src/shared/mnist-files';

export async function fetchMnist(baseUrl: string): Promise<MnistSets> {
  const entries = await Promise.all(
    MNIST_FILES.map(async (file): Promise<[MnistFileRole, Uint8Array]> => {
      const response = await fetch(new URL(file.fileName, baseUrl));
      if (!response.ok) throw new Error(`GET ${file.fileName} failed: HTTP ${response.status}`);
      const bytes = new Uint8Array(await response.arrayBuffer());
      return [file.role, await gunzipIfNeeded(bytes, file.fileName)];
    }),
  );
  return assembleMnist(Object.fromEntries(entries) as Record<MnistFileRole, Uint8Array>);
}
