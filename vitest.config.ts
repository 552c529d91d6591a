import { fileURLToPath } from 'node:url';
import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

const src = (pkg: string) => fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url));

// Tests run the TypeScript sources, not dist/: swc keeps `design:paramtypes` metadata,
// which esbuild (vitest's default transform) drops.
export default defineConfig({
  plugins: [
    swc.vite({
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
        target: 'es2022',
        keepClassNames: true,
      },
    }),
  ],
  resolve: {
    // An array, tried in order: `bbwebservice/testing` before `bbwebservice` (a string alias
    // would also match the subpath and append `/testing` to the main entry).
    alias: [
      { find: '@bbws/router', replacement: src('router') },
      { find: '@bbws/responses', replacement: src('responses') },
      { find: '@bbws/transport', replacement: src('transport') },
      { find: '@bbws/core', replacement: src('core') },
      { find: '@bbws/testing', replacement: src('testing') },
      {
        find: /^bbwebservice\/testing$/,
        replacement: fileURLToPath(new URL('./packages/bbwebservice/src/testing.ts', import.meta.url)),
      },
      { find: /^bbwebservice$/, replacement: src('bbwebservice') },
    ],
  },
  test: {
    testTimeout: 20_000,
    hookTimeout: 20_000,
    reporters: ['default'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['packages/*/test/**/*.test.ts', 'apps/*/test/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: ['test/reliability/**', 'apps/bench/test/**'],
        },
      },
      {
        // The reliability drills (docs/reliability.md) measure latency and memory of a server
        // in a child process: they run after the other tests, one file at a time, so nothing
        // else competes for the two cores while they measure. The benchmark suite's smoke run
        // (apps/bench/test) loads both cores, so it runs here too, alone.
        extends: true,
        test: {
          name: 'reliability',
          include: ['test/reliability/**/*.test.ts', 'apps/bench/test/**/*.test.ts'],
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
