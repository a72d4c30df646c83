// Vite config of the playground page (`npm run dev` / `npm run build` of this package).
// Workspace packages resolve to their TypeScript sources (as in the jest preset), so the page
// always runs the current code; the tfjs wasm binaries are served in dev and copied into the
// build under tfjs-wasm/, where the page's wasm plug-in looks for them (setWasmPaths).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../..');
const require = createRequire(import.meta.url);
const WASM_DIR = join(
  dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')),
  'dist',
);
const WASM_FILES = readdirSync(WASM_DIR).filter((f) => f.endsWith('.wasm'));

function tfjsWasmFiles() {
  return {
    name: 'tfjs-wasm-files',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const m = /\/tfjs-wasm\/([^/?#]+\.wasm)(?:[?#].*)?$/.exec(req.url ?? '');
        if (m === null || !WASM_FILES.includes(m[1])) return next();
        res.setHeader('content-type', 'application/wasm');
        res.end(readFileSync(join(WASM_DIR, m[1])));
      });
    },
    generateBundle() {
      for (const f of WASM_FILES) {
        this.emitFile({
          type: 'asset',
          fileName: `tfjs-wasm/${f}`,
          source: readFileSync(join(WASM_DIR, f)),
        });
      }
    },
  };
}

export default {
  root: here,
  base: './',
  logLevel: 'warn',
  resolve: {
    alias: [
      // csv-parse's Node build needs Buffer; its browser build (same parser) brings its own
      { find: /^csv-parse\/sync$/, replacement: 'csv-parse/browser/esm/sync' },
      {
        find: /^@implicit-bias\/([a-z0-9-]+)$/,
        replacement: resolve(repo, 'packages/$1/src/index.ts'),
      },
    ],
  },
  plugins: [tfjsWasmFiles()],
  // HiGHS finds its .wasm with new URL('highs.wasm', import.meta.url): keep it out of the
  // dev-server pre-bundle so that URL still points into the package
  optimizeDeps: { exclude: ['highs'] },
  server: { host: '127.0.0.1', port: 5173 },
  build: {
    target: 'es2022',
    outDir: 'dist/app',
    emptyOutDir: true,
    reportCompressedSize: false,
    chunkSizeWarningLimit: 4096,
  },
};
