// Dependency rules of docs/architecture.md (enforced by `npm run deps:check`, part of `npm test`).
// Each package lists the workspace packages its *library* sources may import. Tests
// (*.test.ts) may also import @implicit-bias/testing and backend plug-ins.
const ALLOWED = {
  core: [],
  backend: ['core'],
  'backend-cpu': ['backend', 'core'],
  'backend-tfjs': ['backend', 'core'],
  'backend-wasm': ['backend-tfjs', 'backend', 'core'],
  'backend-webgl': ['backend-tfjs', 'backend', 'core'],
  'backend-cuda': ['backend-tfjs', 'backend', 'core'],
  networks: ['backend', 'core'],
  flow: ['networks', 'backend', 'core'],
  theory: ['networks', 'core'],
  datasets: ['core'],
  experiments: [
    'flow',
    'theory',
    'datasets',
    'networks',
    'backend',
    'backend-cpu',
    'backend-tfjs',
    'backend-wasm',
    'backend-cuda',
    'core',
  ],
  cli: [
    'experiments',
    'flow',
    'theory',
    'datasets',
    'networks',
    'backend',
    'backend-cpu',
    'backend-tfjs',
    'backend-wasm',
    'backend-webgl',
    'backend-cuda',
    'core',
  ],
  testing: ['backend', 'backend-cpu', 'backend-tfjs', 'backend-wasm', 'backend-cuda', 'core'],
  playground: [
    'networks',
    'flow',
    'theory',
    'datasets',
    'backend',
    'backend-cpu',
    'backend-tfjs',
    'backend-wasm',
    'backend-webgl',
    'core',
  ],
};
const TEST_EXTRA = [
  'testing',
  'backend-cpu',
  'backend-tfjs',
  'backend-wasm',
  'backend-cuda',
  'networks',
  'datasets',
];

const esc = (s) => s.replace(/[-]/g, '\\-');
const alt = (xs) => xs.map(esc).join('|');

const packageRules = Object.entries(ALLOWED).flatMap(([pkg, allowed]) => [
  {
    name: `layering-${pkg}`,
    severity: 'error',
    comment:
      `@implicit-bias/${pkg} may import only ${allowed.length ? allowed.map((a) => '@implicit-bias/' + a).join(', ') : 'no other workspace package'} ` +
      '(dependency direction in docs/architecture.md): move the code or invert the dependency.',
    from: { path: `^packages/${esc(pkg)}/src/`, pathNot: '\\.test\\.ts$' },
    to: { path: `^packages/(?!(${alt([pkg, ...allowed])})/)[^/]+/` },
  },
  {
    name: `layering-${pkg}-tests`,
    severity: 'error',
    comment: `tests of @implicit-bias/${pkg} may additionally import only ${TEST_EXTRA.join(', ')}.`,
    from: { path: `^packages/${esc(pkg)}/src/.*\\.test\\.ts$` },
    to: { path: `^packages/(?!(${alt([...new Set([pkg, ...allowed, ...TEST_EXTRA])])})/)[^/]+/` },
  },
]);

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...packageRules,
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'Circular imports make load order fragile: extract the shared piece into its own module.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-undeclared-dependency',
      severity: 'error',
      comment:
        "Imported npm package is not declared in this package's package.json: add it to dependencies.",
      from: { path: '^packages/[^/]+/src/', pathNot: '\\.test\\.ts$' },
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'no-deep-import',
      severity: 'error',
      comment:
        'Import workspace packages by name (their index), never by relative path into another package.',
      from: { path: '^packages/([^/]+)/' },
      to: { path: '^packages/(?!$1/)[^/]+/src/(?!index\\.ts$)' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|node_modules)/' },
    tsConfig: { fileName: 'tsconfig.depcruise.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
  },
};
