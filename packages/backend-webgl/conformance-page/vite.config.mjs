// Vite config of the browser conformance page of the webgl backend (built by
// src/conformance.test.ts into a temporary directory; never published). Workspace packages
// resolve to their TypeScript sources, as in the jest preset, so the page never runs a stale
// build. The page's entry is virtual: the webgl plug-in handed to the shared page runner of
// @implicit-bias/testing.
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const ENTRY = 'virtual:webgl-conformance-page';
const RESOLVED = '\0' + ENTRY;

function conformancePage() {
  return {
    name: 'webgl-conformance-page',
    resolveId: (id) => (id === ENTRY ? RESOLVED : undefined),
    load: (id) =>
      id === RESOLVED
        ? [
            // tfjs-backend-webgl falls back to cpu kernels for a few ops: register them too
            "import '@tensorflow/tfjs-backend-cpu';",
            "import { webglPlugin } from '@implicit-bias/backend-webgl';",
            "import { runConformancePage } from '@implicit-bias/testing/conformance-page';",
            'void runConformancePage(webglPlugin);',
          ].join('\n')
        : undefined,
    generateBundle() {
      this.emitFile({
        type: 'asset',
        fileName: 'index.html',
        source:
          '<!doctype html><html><head><meta charset="utf-8"><title>webgl conformance</title>' +
          '<script type="module" src="./conformance.js"></script></head><body></body></html>',
      });
    },
  };
}

export default {
  configFile: false,
  logLevel: 'warn',
  resolve: {
    alias: [
      {
        // the page-side runner only (the rest of the browser helpers are Node code)
        find: '@implicit-bias/testing/conformance-page',
        replacement: resolve(repo, 'packages/testing/src/browser/conformance-page.ts'),
      },
      {
        find: /^@implicit-bias\/([a-z0-9-]+)$/,
        replacement: resolve(repo, 'packages/$1/src/index.ts'),
      },
    ],
  },
  plugins: [conformancePage()],
  build: {
    target: 'es2022',
    emptyOutDir: true,
    sourcemap: false,
    minify: false,
    reportCompressedSize: false,
    rollupOptions: {
      input: ENTRY,
      output: { entryFileNames: 'conformance.js', chunkFileNames: 'chunks/[name]-[hash].js' },
    },
  },
};
