import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveDirectory } from './static-server.js';
import { chromiumLaunchOptions, chromiumUnavailableReason } from './chromium.js';

const root = mkdtempSync(join(tmpdir(), 'ib-static-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('serveDirectory', () => {
  it('serves files with the content types browsers need, index.html for /, 404 otherwise', async () => {
    mkdirSync(join(root, 'site', 'a'), { recursive: true });
    writeFileSync(join(root, 'site', 'index.html'), '<p>hi</p>');
    writeFileSync(join(root, 'site', 'a', 'm.js'), 'export {}');
    writeFileSync(join(root, 'site', 'a', 'k.wasm'), Buffer.from([0, 97, 115, 109]));
    writeFileSync(join(root, 'secret.txt'), 'outside');
    const s = await serveDirectory(join(root, 'site'));
    try {
      const home = await fetch(s.url);
      expect([home.status, home.headers.get('content-type'), await home.text()]).toEqual([
        200,
        'text/html; charset=utf-8',
        '<p>hi</p>',
      ]);
      expect((await fetch(`${s.url}a/m.js`)).headers.get('content-type')).toMatch(
        /^text\/javascript/,
      );
      const wasm = await fetch(`${s.url}a/k.wasm`);
      expect(wasm.headers.get('content-type')).toBe('application/wasm');
      expect(new Uint8Array(await wasm.arrayBuffer())).toEqual(new Uint8Array([0, 97, 115, 109]));
      expect((await fetch(`${s.url}missing.js`)).status).toBe(404);
      // encoded ../ must not escape the root
      expect((await fetch(`${s.url}%2e%2e/secret.txt`)).status).toBe(404);
      expect((await fetch(`${s.url}a/%2e%2e%2f%2e%2e%2fsecret.txt`)).status).toBe(404);
    } finally {
      await s.close();
    }
  });
});

describe('Chromium launch settings', () => {
  it('software WebGL through SwiftShader by default, no GPU when webgl is false', () => {
    const gl = chromiumLaunchOptions();
    expect(gl.executablePath).toBe('/usr/bin/chromium');
    expect(gl.args).toEqual(
      expect.arrayContaining(['--headless', '--no-sandbox', '--use-angle=swiftshader']),
    );
    expect(chromiumLaunchOptions({ webgl: false }).args).toContain('--disable-gpu');
    expect(chromiumLaunchOptions({ webgl: false }).args).not.toContain('--use-angle=swiftshader');
  });

  it('a missing browser gives the reason and the install command', () => {
    expect(chromiumUnavailableReason(join(root, 'no-such-browser'))).toMatch(
      /is not installed \(install it with: apt-get install -y chromium\)/,
    );
  });
});
