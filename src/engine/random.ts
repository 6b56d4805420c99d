// A small seeded generator: the same seed gives the same initial weights and the same
// shuffles, in Node and in the browser alike (Math.random cannot be seeded).

/** mulberry32: 32-bit state, fast, and statistically good enough for init and shuffling. */
export class Random {
  private state: number;
  private spareNormal = 0;
  private hasSpareNormal = false;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform integer in [0, 2^32). */
  nextUint32(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform in [0, 1). */
  nextFloat(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Standard normal by Box-Muller; the second value of each pair is kept for the next call. */
  nextNormal(): number {
    if (this.hasSpareNormal) {
      this.hasSpareNormal = false;
      return this.spareNormal;
    }
    // 1 - u lies in (0, 1], so the logarithm is finite.
    const radius = Math.sqrt(-2 * Math.log(1 - this.nextFloat()));
    const angle = 2 * Math.PI * this.nextFloat();
    this.spareNormal = radius * Math.sin(angle);
    this.hasSpareNormal = true;
    return radius * Math.cos(angle);
  }

  /** Fills `order` with a uniformly random permutation of 0..length-1 (Fisher-Yates). */
  permutation(order: Uint32Array): void {
    for (let i = 0; i < order.length; i++) order[i] = i;
    for (let i = order.length - 1; i > 0; i--) {
      // Scaling 32 random bits onto 0..i; the bias (under 2^-15 for 60,000 items) is harmless.
      const j = Math.floor(this.nextFloat() * (i + 1));
      const swap = order[i];
      order[i] = order[j];
      order[j] = swap;
    }
  }
}
