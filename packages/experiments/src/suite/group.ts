import { groupFourier, groupNetwork } from '@implicit-bias/networks';
import type { GroupSpec } from '@implicit-bias/networks';
import { predictClassification } from '@implicit-bias/theory';
import { comparePoint } from './compare-point.js';
import type { ExperimentDefinition, PointParams } from '../experiment.js';
import { gridOf } from '../experiment.js';
import type { PointResult } from '../point-store.js';
import { oneMinusCos } from '@implicit-bias/core';

/** Margins at which the trained direction is compared with the prediction. */
export const GROUP_MARGIN_STAGES = [1e1, 1e2, 1e3, 1e4] as const;

/** The group of a point: `C6` (cyclic, order 6), `D3` (dihedral, order 6), `D4` (order 8). */
export function groupOf(name: string): GroupSpec {
  const n = Number(name.slice(1));
  return name.startsWith('C') ? { kind: 'cyclic', n } : { kind: 'dihedral', n };
}

const orderOf = (g: GroupSpec): number =>
  g.kind === 'cyclic' ? g.n : g.kind === 'dihedral' ? 2 * g.n : g.table.length;

/** The run config of a point, trained to `margin`. */
export function groupConfigOf(p: PointParams, margin: number): Record<string, unknown> {
  const group = groupOf(String(p['group']));
  return {
    task: 'classification',
    data: {
      generator: 'separable-classification',
      n: 10,
      d: orderOf(group),
      seed: Number(p['seed']),
      separator: 'dense',
      margin: 0.05,
    },
    network: { kind: 'group', depth: Number(p['L']), group },
    init: { scheme: 'gaussian', scale: 0.1, seed: Number(p['seed']) },
    loss: 'exponential',
    flow: { method: 'auto', rtol: 1e-10, atol: 1e-12, time: 'loss-normalized', until: { margin } },
  };
}

/** Rank-deficient 2-dimensional blocks of β̂ (σ₂ ≤ 1e−6 σ₁): the non-abelian analogue of sparsity. */
function rankOneBlocks(group: GroupSpec, L: number, beta: Float64Array): number {
  const net = groupNetwork({ group, depth: L });
  return groupFourier(net.group, net.irreps(), beta).filter((B) => {
    if (B.rows !== 2) return false;
    const [a, b, c, d] = [B.re[0]!, B.re[1]!, B.re[2]!, B.re[3]!];
    const s1 = (Math.hypot(a + d, c - b) + Math.hypot(a - d, b + c)) / 2;
    const s2 = Math.abs(Math.hypot(a + d, c - b) - Math.hypot(a - d, b + c)) / 2;
    return s2 <= 1e-6 * s1;
  }).length;
}

const tagOf = (m: number): string => `m${Math.round(Math.log10(m))}`;

/** Issue #22 item 3: linear G-CNNs over abelian (C_n) and non-abelian (D_n) groups. */
export const groupExperiment: ExperimentDefinition = {
  id: 'group-equivariant',
  title: 'Beyond the paper — linear G-CNNs: trained direction vs the Schatten-2/L prediction',
  description:
    'Separable data (n = 10 functions on the group, planted dense separator), exponential loss, L-layer linear group-equivariant CNN (group cross-correlations with full filters, docs/theory/group-equivariant.md) trained by the loss-normalized gradient flow (rtol 1e−10) to margins 1e1 … 1e4.\n\n' +
    'Theory (Lawrence, Georgiev, Dereventsov & Fanuel, ICML 2022): the direction of β tends to a stationary point of Σ_ρ d_ρ ‖β̂(ρ)‖_{S_{2/L}}^{2/L} s.t. margins ≥ 1. For L = 2 this is the weighted nuclear norm of the group Fourier blocks: for the abelian C_6 the blocks are 1×1 and it is the ℓ1 norm of the Fourier coefficients (as for the convolutional kind); for the non-abelian D_3 (the same order, 6) it has 2×2 blocks, solved exactly as an SOCP in the real block basis (‖[[a, b], [c, d]]‖_* = max(‖(a+d, c−b)‖, ‖(a−d, b+c)‖)) with a duality-gap certificate. ' +
    "The contrast column is 1 − cos between the D_3 prediction and the C_6 (convolutional) prediction on the same data: the group's structure, not only its order, sets the limit. The rank-1 column counts the 2×2 blocks of the prediction with σ₂ = 0: the non-abelian analogue of Fourier sparsity.",
  grid: {
    quick: [
      ...gridOf({ group: ['C6'], L: [2], seed: [0] }),
      ...gridOf({ group: ['D3'], L: [2], seed: [0] }),
    ],
    full: gridOf({ group: ['C6', 'D3', 'D4'], L: [2, 3], seed: [0, 1, 2] }),
  },
  async run(p, ctx) {
    const out: Record<string, number | string | null> = {};
    const group = groupOf(String(p['group']));
    const L = Number(p['L']);
    let fieldEvals = 0;
    for (const m of GROUP_MARGIN_STAGES) {
      const c = await comparePoint(groupConfigOf(p, m), ctx);
      const tag = tagOf(m);
      out[`gap_${tag}`] = c.distance;
      out[`nm_${tag}`] = c.train.normalizedMargin;
      out[`st_${tag}`] = c.certificates['singularTupleResidual'] ?? null;
      out['status'] = c.train.status;
      fieldEvals += c.train.stats.fieldEvals;
      if ('notSupported' in c.prediction) {
        out['prediction'] = 'none';
        continue;
      }
      out['prediction'] = c.prediction.kind;
      out['predStatus'] = c.prediction.status;
      const cert = c.prediction.certificate;
      out['predCertificate'] = cert['dualityGap'] ?? cert['kktResidual'] ?? null;
      if (m === GROUP_MARGIN_STAGES[GROUP_MARGIN_STAGES.length - 1]) {
        const beta = Float64Array.from(c.prediction.beta);
        out['rank1Blocks'] = rankOneBlocks(group, L, beta);
        // the abelian/non-abelian contrast: the cyclic prediction of the same order on the same data
        if (group.kind !== 'cyclic') {
          const order = orderOf(group);
          const cyc = await predictClassification(
            groupNetwork({ group: { kind: 'cyclic', n: order }, depth: L }),
            c.data,
          );
          out['vsCyclic'] = 'notSupported' in cyc ? null : oneMinusCos(beta, cyc.beta);
        }
      }
    }
    out['fieldEvals'] = fieldEvals;
    return out;
  },
  rowsOf: (p: PointResult) =>
    GROUP_MARGIN_STAGES.map((m) => {
      const row: Record<string, number | string> = {
        margin: m,
        series: `${String(p.params['group'])} L=${String(p.params['L'])}`,
      };
      const v = p.metrics[`gap_${tagOf(m)}`];
      if (typeof v === 'number') row['gap'] = v;
      return row;
    }),
  figures: [
    {
      id: 'group-gap',
      title: 'G-CNN: direction gap to the Schatten-2/L prediction',
      caption:
        '1 − cos(β̂, β_pred) against the reached margin for the abelian C_6 (character ℓ1) and the non-abelian D_3 (nuclear norm of the 2×2 Fourier blocks), both of order 6, on the same data.',
      x: { field: 'margin', title: 'margin', log: true },
      y: { field: 'gap', title: '1 − cos(β̂, β_pred)', log: true },
      series: 'series',
    },
  ],
  columns: [
    ['group', 'group'],
    ['L', 'L'],
    ['seed', 'seed'],
    ['prediction', 'prediction'],
    ['predStatus', 'prediction status'],
    ['predCertificate', 'gap / KKT of the prediction'],
    ['gap_m1', 'gap @1e1'],
    ['gap_m2', 'gap @1e2'],
    ['gap_m3', 'gap @1e3'],
    ['gap_m4', 'gap @1e4'],
    ['rank1Blocks', 'rank-1 2×2 blocks'],
    ['vsCyclic', '1 − cos to the C_n prediction'],
    ['st_m4', 'singular tuple @1e4'],
    ['fieldEvals', 'field evals'],
  ],
  checks(points) {
    const l2 = points.filter((p) => Number(p.params['L']) === 2);
    const worst = (ps: PointResult[]) =>
      Math.max(...ps.map((p) => Number(p.metrics['gap_m4'] ?? Infinity)));
    const abelian = l2.filter((p) => String(p.params['group']).startsWith('C'));
    const dihedral = l2.filter((p) => String(p.params['group']).startsWith('D'));
    const certified = points.filter((p) => p.metrics['predStatus'] === 'converged');
    const fell = l2.filter((p) => Number(p.metrics['gap_m4']) < Number(p.metrics['gap_m1']));
    return [
      {
        claim:
          'abelian C_n, L = 2: 1 − cos to the character-ℓ1 max-margin direction ≤ 5e−3 at margin 1e4',
        passed: abelian.length > 0 && worst(abelian) <= 5e-3,
        detail: `worst ${worst(abelian).toExponential(2)} over ${abelian.length} runs`,
      },
      {
        claim:
          'non-abelian D_n, L = 2: 1 − cos to the nuclear-norm max-margin direction ≤ 5e−3 at margin 1e4',
        passed: dihedral.length > 0 && worst(dihedral) <= 5e-3,
        detail: `worst ${worst(dihedral).toExponential(2)} over ${dihedral.length} runs`,
      },
      {
        claim: 'every prediction is certified (duality gap ≤ 1e−9 for L = 2, KKT ≤ 1e−9 for L ≥ 3)',
        passed: certified.length === points.length,
        detail: `${certified.length} of ${points.length}`,
      },
      {
        claim: 'the gap falls between margin 1e1 and 1e4 for every L = 2 run',
        passed: l2.length > 0 && fell.length === l2.length,
        detail: `${fell.length} of ${l2.length}`,
      },
    ];
  },
};
