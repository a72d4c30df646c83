#!/usr/bin/env node
// Create a package skeleton under packages/<name> that follows the monorepo conventions.
// Usage: node tools/scripts/new-package.mjs <name> --description "One sentence." [--deps a,b] [--dev-deps c] [--private]
// The skeleton deliberately has no test: `npm test` (check-packages) fails until you write one.
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

let root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SCOPE = '@implicit-bias';

export function packageJson({
  name,
  description,
  deps = [],
  devDeps = [],
  isPrivate = false,
  version = '0.1.0',
}) {
  const range = (d) => `^${readVersion(d) ?? version}`;
  // core and backend carry shared identity (error brand, backend registry): a public package
  // takes them as peers so that an install holds one copy
  const peers = isPrivate ? [] : deps.filter((d) => d === 'core' || d === 'backend');
  const plain = deps.filter((d) => !peers.includes(d));
  const pkg = {
    name: `${SCOPE}/${name}`,
    version,
    description,
    license: 'MIT',
    ...(isPrivate ? {} : publishFields(name)),
    ...(isPrivate ? { private: true } : {}),
    type: 'module',
    sideEffects: false,
    main: './dist/index.js',
    types: './dist/index.d.ts',
    exports: {
      '.': { types: './dist/index.d.ts', default: './dist/index.js' },
      './package.json': './package.json',
    },
    files: [...PUBLISHED_FILES],
    engines: { node: '>=20.19' },
    scripts: { build: 'tsc -b', lint: 'eslint src', test: 'jest' },
    dependencies: Object.fromEntries(plain.map((d) => [`${SCOPE}/${d}`, range(d)])),
    ...(peers.length
      ? { peerDependencies: Object.fromEntries(peers.map((d) => [`${SCOPE}/${d}`, range(d)])) }
      : {}),
    ...(devDeps.length || peers.length
      ? {
          devDependencies: Object.fromEntries(
            [...peers, ...devDeps].map((d) => [`${SCOPE}/${d}`, range(d)]),
          ),
        }
      : {}),
  };
  return pkg;
}

/** Where the sources live (npm shows it; tarballs carry it). */
export const REPOSITORY_URL = 'git+https://github.com/implicit-bias/implicit-bias.git';

/** What every public tarball ships: built code, README and LICENSE; no tests or build info. */
export const PUBLISHED_FILES = [
  'dist',
  '!dist/**/*.test.*',
  'README.md',
  '!dist/**/*.tsbuildinfo',
  '!dist/**/*.d.ts.map',
  'LICENSE',
];

/** `repository`, `homepage` and `bugs` of a public package. */
export function publishFields(name) {
  return {
    repository: { type: 'git', url: REPOSITORY_URL, directory: `packages/${name}` },
    homepage: `https://github.com/implicit-bias/implicit-bias/tree/main/packages/${name}#readme`,
    bugs: { url: 'https://github.com/implicit-bias/implicit-bias/issues' },
  };
}

function readVersion(name) {
  const p = join(root, 'packages', name, 'package.json');
  return existsSync(p) ? JSON.parse(readFileSync(p, 'utf8')).version : undefined;
}

export function tsconfig(refs) {
  return {
    extends: '../../tsconfig.base.json',
    compilerOptions: { rootDir: 'src', outDir: 'dist', tsBuildInfoFile: 'tsconfig.tsbuildinfo' },
    include: ['src/**/*.ts'],
    references: refs.map((r) => ({ path: `../${r}` })),
  };
}

export function createPackage(opts) {
  const { name, description } = opts;
  if (!/^[a-z][a-z0-9-]*$/.test(name)) throw new Error(`name: '${name}' must be kebab-case`);
  if (!description || !/[.!]$/.test(description.trim()))
    throw new Error('--description: give one sentence ending with a period');
  const dir = join(root, 'packages', name);
  if (existsSync(dir)) throw new Error(`packages/${name} already exists`);
  mkdirSync(join(dir, 'src'), { recursive: true });
  const deps = opts.deps ?? [];
  const devDeps = opts.devDeps ?? [];
  const write = (f, s) => writeFileSync(join(dir, f), s);
  write('package.json', JSON.stringify(packageJson(opts), null, 2) + '\n');
  write(
    'tsconfig.json',
    JSON.stringify(tsconfig([...new Set([...deps, ...devDeps])]), null, 2) + '\n',
  );
  write(
    'jest.config.cjs',
    `module.exports = { ...require('../../jest.preset.cjs'), displayName: '${name}' };\n`,
  );
  write(
    'README.md',
    `# ${SCOPE}/${name}\n\n${description}\n\n## Example\n\n\`\`\`ts\n// a runnable example of about a dozen lines\n\`\`\`\n\n## Place in the dependency graph\n\nDepends on: ${deps.length ? deps.map((d) => `\`${SCOPE}/${d}\``).join(', ') : 'nothing'}.\n`,
  );
  if (!opts.isPrivate) copyFileSync(join(root, 'LICENSE'), join(dir, 'LICENSE'));
  write('src/index.ts', `/**\n * ${description}\n *\n * @packageDocumentation\n */\nexport {};\n`);
  // root tsconfig references
  const rootTs = join(root, 'tsconfig.json');
  const rt = JSON.parse(readFileSync(rootTs, 'utf8'));
  rt.references = [...(rt.references ?? []), { path: `packages/${name}` }];
  writeFileSync(rootTs, JSON.stringify(rt, null, 2) + '\n');
  return dir;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      description: { type: 'string' },
      deps: { type: 'string' },
      'dev-deps': { type: 'string' },
      private: { type: 'boolean' },
      root: { type: 'string' },
    },
  });
  if (values.root) root = resolve(values.root);
  const split = (s) =>
    s
      ? s
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean)
      : [];
  try {
    const dir = createPackage({
      name: positionals[0] ?? '',
      description: values.description ?? '',
      deps: split(values.deps),
      devDeps: split(values['dev-deps']),
      isPrivate: values.private ?? false,
    });
    console.log(
      `created ${dir}\nnext: write src/ code with TSDoc, a test beside it (*.test.ts), and the README example.`,
    );
  } catch (e) {
    console.error(`new-package: ${e.message}`);
    process.exit(2);
  }
}
