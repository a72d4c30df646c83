import { gridOf, pointId } from './experiment.js';

describe('experiment grids', () => {
  it('gridOf is the cartesian product with the last axis fastest', () => {
    expect(gridOf({ a: [1, 2], b: ['x', 'y'] })).toEqual([
      { a: 1, b: 'x' },
      { a: 1, b: 'y' },
      { a: 2, b: 'x' },
      { a: 2, b: 'y' },
    ]);
    expect(gridOf({})).toEqual([{}]);
  });
  it('pointId is order-independent and file-safe', () => {
    expect(pointId({ net: 'fully connected', alpha: 0.001 })).toBe(
      'alpha=0.001_net=fully-connected',
    );
    expect(pointId({ alpha: 0.001, net: 'fully connected' })).toBe(
      pointId({ net: 'fully connected', alpha: 0.001 }),
    );
  });
});
