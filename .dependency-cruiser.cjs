// The import rules of the layout: data flows files → data → engine → worker → client →
// hooks → components, and `shared/` is the contract both sides of the worker boundary read.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'engine-is-pure',
      comment: 'The training engine imports nothing outside itself, so it runs anywhere.',
      severity: 'error',
      from: { path: '^src/engine/', pathNot: '\\.test\\.ts$' },
      to: { pathNot: '^src/engine/' },
    },
    {
      name: 'shared-is-self-contained',
      severity: 'error',
      from: { path: '^src/shared/', pathNot: '\\.test(-d)?\\.ts$' },
      to: { pathNot: '^src/shared/' },
    },
    {
      name: 'data-reads-only-shared',
      severity: 'error',
      from: { path: '^src/data/', pathNot: '\\.test\\.ts$' },
      to: { pathNot: '^src/(data|shared)/' },
    },
    {
      name: 'worker-below-the-page',
      severity: 'error',
      from: { path: '^src/worker/' },
      to: { path: '^src/(client|hooks|components)/' },
    },
    {
      name: 'client-talks-to-worker-only-by-url',
      comment: 'The page reaches the worker through Comlink and the shared contract, never by import.',
      severity: 'error',
      from: { path: '^src/(client|hooks|components)/' },
      to: { path: '^src/(worker|engine|data)/' },
    },
    {
      name: 'client-has-no-react',
      severity: 'error',
      from: { path: '^src/client/' },
      to: { path: '^src/(hooks|components)/|node_modules/react' },
    },
    {
      name: 'hooks-below-components',
      severity: 'error',
      from: { path: '^src/hooks/' },
      to: { path: '^src/components/' },
    },
    {
      name: 'e2e-drives-the-built-app',
      comment: 'End-to-end tests use the page as a user would, not the source.',
      severity: 'error',
      from: { path: '^tests/e2e/' },
      to: { path: '^src/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.node.json' },
    tsPreCompilationDeps: true,
    exclude: { path: '(^dist/|^public/)' },
  },
};
