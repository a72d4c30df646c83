import * as tf from '@tensorflow/tfjs-core';
import { createWasmPlugin } from './index.js';

// Oracle: the plug-in contract (probe never throws and names what to fix).

tf.env().set('IS_TEST', true);

it('a wrong wasmPaths is reported by probe and create, naming the location', async () => {
  const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined); // emscripten's abort log
  try {
    const plugin = createWasmPlugin({ wasmPaths: '/no/such/dir/' });
    const r = await plugin.probe();
    expect(r).toEqual({ ok: false, reason: expect.stringMatching(/\/no\/such\/dir\//) });
    const err: unknown = await plugin.create().catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'BACKEND_UNAVAILABLE' });
    expect(String(err)).toMatch(/\/no\/such\/dir\//);
  } finally {
    warn.mockRestore();
  }
});
