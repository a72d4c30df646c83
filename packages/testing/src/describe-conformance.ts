import type { BackendPlugin } from '@implicit-bias/backend';
import { describeBackend } from './describe-each-backend.js';
import { caseContext, conformanceCases } from './conformance/cases.js';

/**
 * Declare the Backend conformance suite for one plug-in: every case of
 * {@link conformanceCases}, grouped by part of the contract, against float64 host reference
 * loops with tolerances from the plug-in's precision. Every backend package calls this in
 * its own tests; an unavailable backend is skipped with the probe's reason.
 */
export function describeConformance(plugin: BackendPlugin): void {
  describeBackend(plugin, 'Backend conformance', ({ backend }) => {
    it('the backend reports the id and precision of its plug-in', () => {
      expect({ id: backend().id, precision: backend().precision }).toEqual({
        id: plugin.id,
        precision: plugin.precision,
      });
    });
    const groups = new Map<string, ReturnType<typeof conformanceCases>>();
    for (const c of conformanceCases()) groups.set(c.group, [...(groups.get(c.group) ?? []), c]);
    for (const [group, cases] of groups) {
      describe(group, () => {
        for (const c of cases) it(c.name, () => c.run(caseContext(backend())));
      });
    }
  });
}
