import { describeConformance } from '@implicit-bias/testing';
import { wasmPlugin } from './index.js';

// Oracle: the shared Backend conformance suite of @implicit-bias/testing (float64 host
// reference loops, tolerances from float32 precision), on the wasm kernels.

describeConformance(wasmPlugin);
