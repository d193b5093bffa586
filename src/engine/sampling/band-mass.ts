import { BAND_COUNT, softmaxKernel, type Bands, type Distribution } from "./distribution.js";

/**
 * Each band's weight, summed on demand from the ids of the bands asked for (the kernel lists
 * them), so the cost follows the head of the distribution rather than the vocabulary. Below the
 * last band these sums are exact: a band's weights lie within a factor e^(1/8) of each other, so
 * they are multiples of the smallest one's float32 ulp and the sum of fewer than 2^28 of them
 * fits a float64's 53 bits. No order of the additions changes a bit; the last band (every weight
 * down to 0) is never summed.
 */
/** The bands summed at first ask: 8 nats below the top token, a few hundred ids for a language model. */
const FIRST = 63;

export class BandMass {
  readonly mass = new Float64Array(BAND_COUNT);
  /** The ids of bands 0..upTo, in id order. */
  ids: Int32Array = new Int32Array(0);
  upTo = -1;

  constructor(
    private readonly of: Uint8Array,
    private readonly weights: Float32Array,
  ) {}

  /** mass, with every band up to `band` (below the last) summed. */
  through(band: number): Float64Array {
    if (band <= this.upTo) return this.mass;
    // Doubling the bands summed keeps the lists made along the way to about twice the last one.
    const upTo = Math.min(BAND_COUNT - 2, Math.max(band, 2 * this.upTo + 1, FIRST));
    this.ids = softmaxKernel.headSums(this.of, this.weights, upTo, this.mass);
    this.upTo = upTo;
    return this.mass;
  }

  /** The ids of bands 0..band, in id order. */
  idsThrough(band: number): Int32Array {
    if (band > this.upTo) return softmaxKernel.head(this.of, band);
    const of = this.of;
    return band === this.upTo ? this.ids : this.ids.filter((i) => of[i]! <= band);
  }
}

const memo = new WeakMap<Distribution, BandMass>();

/** The band masses of a distribution, shared by top_p and top_logprobs within a token. */
export function bandMass(d: Distribution, bands: Bands): BandMass {
  let m = memo.get(d);
  if (!m) memo.set(d, (m = new BandMass(bands.of, d.weights)));
  return m;
}
