import { separableClassification } from '@implicit-bias/datasets';
import { checkSeparable } from '@implicit-bias/theory';

// The datasets package cannot depend on theory (dependency rules), so the cross-check of its
// generated classification sets by the theory's independent separability LP lives here.
describe('generated classification sets are separable (oracle: theory.checkSeparable LP)', () => {
  it.each([
    ['dense', {}],
    ['sparse', { k: 2 }],
    ['fourier-sparse', { k: 2 }],
  ] as const)('%s separator with margin 0.1', async (separator, extra) => {
    const ds = separableClassification({ n: 20, d: 8, seed: 4, separator, margin: 0.1, ...extra });
    const r = await checkSeparable(ds.X, ds.y);
    expect(r.separable).toBe(true);
    // the planted separator w (‖w‖₂ = 1, so ‖w‖∞ ≤ 1) is feasible for the LP and has margin ≥ 0.1,
    // so the LP's best margin is at least the requested one
    expect(r.margin).toBeGreaterThanOrEqual(0.1 - 1e-12);
  });
});
