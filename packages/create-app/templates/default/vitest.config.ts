import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

// swc keeps decorator metadata (constructor injection by type); vitest's default transform drops it.
export default defineConfig({
  plugins: [swc.vite({ jsc: { transform: { legacyDecorator: true, decoratorMetadata: true } } })],
  test: { include: ['test/**/*.test.ts'] },
});
