import { Rng, key } from '@implicit-bias/core';
import { checkInt, checkSeed } from './checks.js';
import type { Dataset } from './dataset.js';

/** Options of {@link soudry2018}. */
export interface Soudry2018Options {
  /** Number of extra non-support points, split evenly between the classes (default 12; labels alternate +1, −1). */
  readonly extra?: number;
  /** Seed of the extra points (default 0). */
  readonly seed?: number;
}

/**
 * The 2-D separable data of Soudry et al. (2018), Figure 1: support vectors x₁ = (0.5, 1.5),
 * x₂ = (1.5, 0.5) labelled +1 and −x₁, −x₂ labelled −1, so the L2 max-margin direction is
 * ŵ = (1, 1)/√2 with normalized margin √2. The paper adds 12 random points (6 per class)
 * off the margin but does not publish them; we draw `extra` such points from `seed`:
 * y·(a·ŵ + b·ŵ⊥) with a uniform in [√2 + 0.5, √2 + 2.5) and b uniform in [−2, 2), so every
 * extra point has margin > √2 + 0.5 and ŵ stays the max-margin solution. Rows 0–3 are the
 * support vectors in the order x₁, x₂, −x₁, −x₂; extra points follow, alternating +1, −1.
 */
export function soudry2018(options: Soudry2018Options = {}): Dataset {
  const extra = checkInt(options.extra ?? 12, 'extra', 0);
  const seed = checkSeed(options.seed ?? 0);
  const rows: [number, number][] = [
    [0.5, 1.5],
    [1.5, 0.5],
    [-0.5, -1.5],
    [-1.5, -0.5],
  ];
  const labels = [1, 1, -1, -1];
  const s = Math.SQRT1_2;
  const r = new Rng(key(seed));
  for (let i = 0; i < extra; i++) {
    const yi = i % 2 === 0 ? 1 : -1;
    const a = Math.SQRT2 + 0.5 + 2 * r.uniform();
    const b = -2 + 4 * r.uniform();
    // ŵ = (s, s), ŵ⊥ = (−s, s)
    rows.push([yi * (a * s - b * s), yi * (a * s + b * s)]);
    labels.push(yi);
  }
  const n = rows.length;
  const data = new Float64Array(n * 2);
  rows.forEach(([u, v], i) => {
    data[2 * i] = u;
    data[2 * i + 1] = v;
  });
  return {
    task: 'classification',
    X: { rows: n, cols: 2, data },
    y: Float64Array.from(labels),
    meta: {
      name: 'soudry2018',
      n,
      d: 2,
      seed,
      source:
        'Soudry, Hoffer, Nacson, Gunasekar, Srebro (2018), The Implicit Bias of Gradient ' +
        'Descent on Separable Data, JMLR 19 / ICLR 2018, Figure 1 (support vectors as ' +
        'published; the extra points are our seeded stand-ins)',
      planted: { beta: Float64Array.from([s, s]), margin: Math.SQRT2 },
      description:
        `Soudry et al. 2018 Figure 1: four support vectors ±(0.5, 1.5), ±(1.5, 0.5) and ` +
        `${extra} seeded extra points with margin > √2 + 0.5; max-margin direction (1, 1)/√2.`,
    },
  };
}
