// Turns the four decompressed MNIST files into the three sets the trainer uses, following
// the notebook's split: the first 54,000 training images train, the last 6,000 validate,
// and the official 10,000 test images are kept apart for the final score.

import { MNIST_FILES, TRAIN_SPLIT_SIZE, VALIDATION_SPLIT_SIZE } from '../shared/mnist-files';
import type { MnistFileRole } from '../shared/mnist-files';
import { parseIdxImages, parseIdxLabels } from './idx';

/** Structurally the engine's LabeledImages: count × 784 pixel bytes plus count labels. */
export interface LabeledImageSet {
  readonly images: Uint8Array;
  readonly labels: Uint8Array;
  readonly count: number;
}

export interface MnistSets {
  readonly train: LabeledImageSet;
  readonly validation: LabeledImageSet;
  readonly test: LabeledImageSet;
}

export type DecompressedMnist = Readonly<Record<MnistFileRole, Uint8Array>>;

/**
 * Parses and splits the files; every set is a view into the given buffers. Each file's count
 * is checked against the registry in shared/mnist-files.ts (60,000 or 10,000), which is also
 * what guarantees that images and labels pair up one to one.
 */
export function assembleMnist(decompressed: DecompressedMnist): MnistSets {
  const train = labeledSet(decompressed, 'trainImages', 'trainLabels');
  return {
    train: sliceSet(train, 0, TRAIN_SPLIT_SIZE),
    validation: sliceSet(train, TRAIN_SPLIT_SIZE, VALIDATION_SPLIT_SIZE),
    test: labeledSet(decompressed, 'testImages', 'testLabels'),
  };
}

function labeledSet(decompressed: DecompressedMnist, imagesRole: MnistFileRole, labelsRole: MnistFileRole) {
  const imagesInfo = fileInfo(imagesRole);
  const labelsInfo = fileInfo(labelsRole);
  const images = parseIdxImages(decompressed[imagesRole], imagesInfo.fileName, imagesInfo.count);
  const labels = parseIdxLabels(decompressed[labelsRole], labelsInfo.fileName, labelsInfo.count);
  return { images: images.pixels, labels: labels.labels, count: images.count };
}

function fileInfo(role: MnistFileRole) {
  const info = MNIST_FILES.find((candidate) => candidate.role === role);
  if (info === undefined) throw new Error(`No MNIST file is registered for role ${role}.`);
  return info;
}

function sliceSet(set: LabeledImageSet, start: number, count: number): LabeledImageSet {
  const bytesPerImage = set.images.length / set.count;
  return {
    images: set.images.subarray(start * bytesPerImage, (start + count) * bytesPerImage),
    labels: set.labels.subarray(start, start + count),
    count,
  };
}
