import { describe, expect, it } from 'vitest';
import { Random } from './random';

describe('Random', () => {
  it('repeats its sequence for the same seed and differs for another', () => {
    const draw = (seed: number) => {
      const random = new Random(seed);
      return Array.from({ length: 8 }, () => random.nextUint32());
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
  });

  it('draws standard normals (mean ≈ 0, variance ≈ 1)', () => {
    const random = new Random(5);
    const n = 100_000;
    let sum = 0;
    let sumSquares = 0;
    for (let i = 0; i < n; i++) {
      const x = random.nextNormal();
      sum += x;
      sumSquares += x * x;
    }
    expect(Math.abs(sum / n)).toBeLessThan(0.02);
    expect(Math.abs(sumSquares / n - 1)).toBeLessThan(0.02);
  });

  it('produces permutations that contain every index once and depend on the seed', () => {
    const a = new Uint32Array(1000);
    const b = new Uint32Array(1000);
    new Random(1).permutation(a);
    new Random(2).permutation(b);
    expect(Array.from(a).sort((x, y) => x - y)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(a).not.toEqual(b);
    // A shuffle should move almost everything away from its starting place.
    expect(Array.from(a).filter((v, i) => v === i).length).toBeLessThan(10);
  });
});
