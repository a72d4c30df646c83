import type { BackendPlugin } from '@implicit-bias/backend';
import { createCpuBackend } from './backend.js';

/**
 * The `cpu` plug-in: native float64 TypeScript loops, available everywhere (probe always
 * succeeds). Priority 100, so `'auto'` prefers it unless a faster backend ranks higher.
 */
export const cpuPlugin: BackendPlugin = Object.freeze({
  id: 'cpu',
  description: 'native float64 TypeScript loops; runs everywhere, no dependencies',
  precision: 'float64',
  priority: 100,
  probe: () => Promise.resolve({ ok: true } as const),
  create: () => Promise.resolve(createCpuBackend()),
});
