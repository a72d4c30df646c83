import { createCpuBackend } from '@implicit-bias/backend-cpu';
import { groupExperiment } from './group.js';
import { paperSuite } from './index.js';

// Trained G-CNN directions against the Schatten-2/L predictions (issue #22), cpu backend, float64.
const backend = createCpuBackend();

describe('G-CNN trained direction vs prediction (quick grid, cpu float64)', () => {
  it.each([
    ['C6', 'group-character-l1'],
    ['D3', 'group-nuclear-margin'],
  ])(
    '%s, L = 2: 1 − cos ≤ 5e−3 at margin 1e4 and falling (oracle: the certified L = 2 max-margin SOCP, prediction %s)',
    async (group, kind) => {
      const p = groupExperiment.grid.quick.find((q) => q['group'] === group && q['L'] === 2)!;
      const m = await groupExperiment.run(p, { backend });
      expect(m['prediction']).toBe(kind);
      expect(m['predStatus']).toBe('converged');
      expect(Number(m['predCertificate'])).toBeLessThanOrEqual(1e-9);
      expect(m['status']).toBe('converged');
      expect(Number(m['gap_m4'])).toBeLessThanOrEqual(5e-3);
      expect(Number(m['gap_m4'])).toBeLessThan(Number(m['gap_m1']));
      if (group === 'D3') {
        // the non-abelian limit is not the cyclic one of the same order
        expect(Number(m['vsCyclic'])).toBeGreaterThan(1e-2);
      }
    },
    240000,
  );

  it('is registered in the paper suite with a tiny quick grid', () => {
    expect(paperSuite).toContain(groupExperiment);
    expect(groupExperiment.grid.quick.length).toBeLessThanOrEqual(2);
  });
});
