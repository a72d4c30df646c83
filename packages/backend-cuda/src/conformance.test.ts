import { describeConformance } from '@implicit-bias/testing';
import { cudaPluginFromEnv, tensorflowPluginFromEnv } from './index.js';

// Oracle: the shared Backend conformance suite of @implicit-bias/testing (float64 host
// reference loops, tolerances from float32 precision). Each plug-in is skipped with its probe's
// reason where its package is not installed. IMPLICIT_BIAS_TFJS_NODE may name a tfjs-node
// package folder built elsewhere (tools/scripts/setup-tfjs-node) to run the tensorflow backend,
// IMPLICIT_BIAS_TFJS_NODE_GPU a tfjs-node-gpu folder for cuda.

describeConformance(tensorflowPluginFromEnv());
describeConformance(cudaPluginFromEnv());
