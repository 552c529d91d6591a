import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

// swc keeps decorator metadata (constructor injection by type); vitest's default transform drops it.
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
  test: { include: ['test/**/*.test.ts'] },
});
