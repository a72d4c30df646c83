// The source of a kernel worker thread (threads.ts starts it with `eval: true`): its own
// instance of the kernel module, data matrices copied in once (keyed by an id), jobs read from
// and results written to a shared float64 buffer. Control words (an Int32Array over a
// SharedArrayBuffer): 0 the job generation (bumped by the calling thread), 1 the last finished
// generation, 2 the command (1: take a message from the port; 2: a batch of runs; 5: residual
// rows then gradient columns of one run, meeting the other threads at a barrier in between),
// 3–6 rows, n, d and the data id, 7 a failure flag, 8 the first row, 9 the columns, 10 the
// first column, 11 the threads meeting at the barrier.

/** The worker thread's source (CommonJS, run with `eval: true`). */
export const WORKER_SOURCE = `
const { workerData, receiveMessageOnPort } = require('node:worker_threads');
const { ctl, port, bytes, spinUs } = workerData;
const ex = new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports;
const base = (ex.heapBase() + 15) & ~15;
let top = base;
let io = new Float64Array(0);
let shared = new Float64Array(0);
let barrier = new Int32Array(1);
const data = new Map();
const al = (b) => (b + 15) & ~15;
function ensure(end) {
  const have = ex.memory.buffer.byteLength;
  if (end > have) ex.memory.grow(Math.max(Math.ceil((end - have) / 65536), have / 65536));
}
let seen = 0;
for (;;) {
  let k = 0;
  let since = performance.now();
  while (Atomics.load(ctl, 0) === seen) {
    if ((++k & 1023) === 0 && (performance.now() - since) * 1000 > spinUs) {
      Atomics.wait(ctl, 0, seen);
      since = performance.now();
    }
  }
  seen = Atomics.load(ctl, 0);
  try {
    if (ctl[2] === 1) {
      const m = receiveMessageOnPort(port).message;
      if (m.io) io = new Float64Array(m.io);
      if (m.shared) {
        shared = new Float64Array(m.shared);
        barrier = new Int32Array(m.barrier);
      }
      if (m.reset) { data.clear(); top = base; }
      if (m.x) {
        ensure(top + m.x.byteLength);
        new Float64Array(ex.memory.buffer).set(m.x, top / 8);
        data.set(m.id, top);
        top += al(m.x.byteLength);
      }
    } else if (ctl[2] === 5) {
      const count = ctl[3], n = ctl[4], d = ctl[5], i0 = ctl[8], j0 = ctl[10], w = ctl[9];
      const parts = ctl[11];
      const px = data.get(ctl[6]);
      const pb = top, py = pb + al(8 * d), pr = py + al(8 * count), pa = pr + al(8 * n);
      const pu = pa + al(8 * n);
      try {
        ensure(pu + 8 * w);
        const v = new Float64Array(ex.memory.buffer);
        v.set(io.subarray(0, d), pb / 8);
        v.set(io.subarray(d, d + count), py / 8);
        ex.residualRows(px + 8 * i0 * d, pb, py, pr, 1, count, d);
        shared.set(v.subarray(pr / 8, pr / 8 + count), i0);
      } finally {
        Atomics.add(barrier, 0, 1); // arrive even after a failure: no thread waits forever
        Atomics.notify(barrier, 0);
      }
      // spin, then block in short waits (the calling thread may be descheduled)
      let k = 0;
      const since = performance.now();
      for (let b = Atomics.load(barrier, 0); b < parts; b = Atomics.load(barrier, 0)) {
        if ((++k & 1023) === 0) {
          if (performance.now() - since > 60000) throw new Error('barrier');
          if (k > 16384) Atomics.wait(barrier, 0, b, 1);
        }
      }
      const v = new Float64Array(ex.memory.buffer);
      v.set(shared.subarray(0, n), pa / 8);
      ex.gradientColumns(px, pa, pu, 1, n, d, j0, w);
      io.set(v.subarray(pu / 8, pu / 8 + w), 0);
    } else {
      const rows = ctl[3], n = ctl[4], d = ctl[5];
      const px = data.get(ctl[6]);
      const pb = top, py = pb + al(8 * rows * d), pr = py + al(8 * n), pu = pr + al(8 * rows * n);
      ensure(pu + 8 * rows * d);
      const v = new Float64Array(ex.memory.buffer);
      v.set(io.subarray(0, rows * d + n), pb / 8);
      if (py !== pb + 8 * rows * d) v.copyWithin(py / 8, pb / 8 + rows * d, pb / 8 + rows * d + n);
      ex.residualGradient(px, pb, py, pr, pu, rows, n, d);
      io.set(v.subarray(pr / 8, pr / 8 + rows * n), 0);
      io.set(v.subarray(pu / 8, pu / 8 + rows * d), rows * n);
    }
    ctl[7] = 0;
  } catch (e) {
    ctl[7] = 1;
  }
  Atomics.store(ctl, 1, seen);
  Atomics.notify(ctl, 1);
}
`;
