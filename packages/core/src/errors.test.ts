import { ImplicitBiasError, isImplicitBiasError } from './errors.js';
import type * as ErrorsModule from './errors.js';

// A second copy of the module stands for a second installed version of @implicit-bias/core
// (npm nests one when two versions meet): its class is a different object.
function secondCopy(): typeof ErrorsModule {
  let mod: typeof ErrorsModule | undefined;
  jest.isolateModules(() => {
    mod = jest.requireActual<typeof ErrorsModule>('./errors.js');
  });
  return mod!;
}

describe('ImplicitBiasError identity across copies of core', () => {
  const other = secondCopy();

  it('the second copy really is a different class (the premise of the test)', () => {
    expect(other.ImplicitBiasError).not.toBe(ImplicitBiasError);
  });

  it('isImplicitBiasError and instanceof recognize errors from the other copy', () => {
    const foreign = new other.ImplicitBiasError('NOT_SEPARABLE', 'no separator');
    expect(isImplicitBiasError(foreign)).toBe(true);
    expect(isImplicitBiasError(foreign, 'NOT_SEPARABLE')).toBe(true);
    expect(isImplicitBiasError(foreign, 'INTERNAL')).toBe(false);
    expect(foreign instanceof ImplicitBiasError).toBe(true);
    const local = new ImplicitBiasError('SHAPE_MISMATCH', 'bad', { path: 'X' });
    expect(other.isImplicitBiasError(local, 'SHAPE_MISMATCH')).toBe(true);
    expect(local instanceof other.ImplicitBiasError).toBe(true);
  });

  it('plain errors and look-alike objects are not recognized', () => {
    expect(isImplicitBiasError(new Error('x'))).toBe(false);
    expect(isImplicitBiasError({ name: 'ImplicitBiasError', code: 'INTERNAL' })).toBe(false);
    expect(isImplicitBiasError(null)).toBe(false);
    expect(new Error('x') instanceof ImplicitBiasError).toBe(false);
  });

  it('keeps message, path, code and cause; the brand is not enumerable', () => {
    const cause = new Error('inner');
    const e = new ImplicitBiasError('INVALID_CONFIG', 'must be positive', {
      path: 'flow.rtol',
      cause,
    });
    expect(e.message).toBe('flow.rtol: must be positive');
    expect(e.code).toBe('INVALID_CONFIG');
    expect(e.cause).toBe(cause);
    expect(e instanceof Error).toBe(true);
    expect(Object.keys(e)).not.toContain(Symbol.for('@implicit-bias/core:ImplicitBiasError'));
    expect(JSON.parse(JSON.stringify({ ...e }))).toMatchObject({ code: 'INVALID_CONFIG' });
  });

  it('subclasses keep the ordinary prototype check', () => {
    class Special extends ImplicitBiasError {}
    expect(new Special('INTERNAL', 'x') instanceof Special).toBe(true);
    expect(new ImplicitBiasError('INTERNAL', 'x') instanceof Special).toBe(false);
    expect(new Special('INTERNAL', 'x') instanceof ImplicitBiasError).toBe(true);
  });
});
