import { ImplicitBiasError } from '@implicit-bias/core';
import type { BackendPlugin } from '@implicit-bias/backend';

/** Environment variable listing the backends the shared suites run on (comma-separated ids). */
export const TEST_BACKENDS_ENV_VAR = 'IMPLICIT_BIAS_TEST_BACKENDS';

/** The backends the shared suites run on when the variable is unset or empty. */
export const DEFAULT_TEST_BACKENDS: readonly string[] = ['cpu', 'tfjs-cpu', 'wasm'];

/**
 * The backend ids selected by `value` (a comma list, blanks ignored; default
 * {@link DEFAULT_TEST_BACKENDS}). Throws `INVALID_CONFIG` naming the variable and the valid
 * ids when an id is not among `validIds`.
 */
export function parseTestBackends(
  value: string | undefined,
  validIds: readonly string[],
): string[] {
  const ids =
    value === undefined || value.trim() === ''
      ? [...DEFAULT_TEST_BACKENDS]
      : value
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s !== '');
  const unknown = ids.filter((id) => !validIds.includes(id));
  if (unknown.length > 0) {
    throw new ImplicitBiasError(
      'INVALID_CONFIG',
      `unknown backend id ${unknown.map((u) => `'${u}'`).join(', ')}; ` +
        `valid ids: ${validIds.join(', ')} (comma-separated)`,
      { path: TEST_BACKENDS_ENV_VAR },
    );
  }
  return [...new Set(ids)];
}

/**
 * The backend ids named by {@link TEST_BACKENDS_ENV_VAR} in `env`, in the order listed.
 * Valid ids are those of `plugins` plus {@link DEFAULT_TEST_BACKENDS}.
 */
export function selectTestBackendIds(
  plugins: readonly BackendPlugin[],
  env: Readonly<Record<string, string | undefined>> = process.env,
): string[] {
  const valid = [...new Set([...plugins.map((p) => p.id), ...DEFAULT_TEST_BACKENDS])];
  return parseTestBackends(env[TEST_BACKENDS_ENV_VAR], valid);
}
