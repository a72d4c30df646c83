import { describeConformance } from '@implicit-bias/testing';
import { createTensorflowPlugin, cudaPlugin, tensorflowPlugin } from './index.js';

// Oracle: the shared Backend conformance suite of @implicit-bias/testing (float64 host
// reference loops, tolerances from float32 precision). Each plug-in is skipped with its probe's
// reason where its package is not installed. IMPLICIT_BIAS_TFJS_NODE may name a tfjs-node
// package folder built elsewhere (scripts/build-tfjs-node.sh) to run the tensorflow backend.

const tfjsNodePath = process.env['IMPLICIT_BIAS_TFJS_NODE'];

describeConformance(
  tfjsNodePath === undefined || tfjsNodePath === ''
    ? tensorflowPlugin
    : createTensorflowPlugin({
        load: async (): Promise<unknown> => (await import(tfjsNodePath)) as unknown,
      }),
);
describeConformance(cudaPlugin);
