import { isImplicitBiasError } from '@implicit-bias/core';
import { createWebglPlugin, detectWebgl2, webglPlugin } from './webgl-plugin.js';

describe('webgl plug-in outside a browser', () => {
  it('detects that Node has no WebGL 2 and says what to use instead', () => {
    expect(detectWebgl2()).toMatch(
      /WebGL runs only in browsers.*choose 'wasm', 'tensorflow' or 'cpu'/,
    );
  });

  it('probe() reports unavailable with the reason and never throws', async () => {
    const r = await webglPlugin.probe();
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.reason).toMatch(/browsers/);
    expect(webglPlugin.precision).toBe('float32');
  });

  it('create() fails with BACKEND_UNAVAILABLE', async () => {
    await expect(webglPlugin.create()).rejects.toThrow(/webgl is unavailable/);
    try {
      await webglPlugin.create();
    } catch (e) {
      expect(isImplicitBiasError(e, 'BACKEND_UNAVAILABLE')).toBe(true);
    }
  });

  it('a detector reporting a context loss is passed through', async () => {
    const p = createWebglPlugin({ detect: () => 'context lost' });
    expect(await p.probe()).toEqual({ ok: false, reason: 'context lost' });
  });
});
