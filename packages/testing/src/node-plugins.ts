import type { BackendPlugin } from '@implicit-bias/backend';
import { cpuPlugin } from '@implicit-bias/backend-cpu';

/** The backend plug-ins usable in Node, best known first. */
export function nodePlugins(): BackendPlugin[] {
  return [cpuPlugin];
}
