import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // The catalogue lives outside web/; allow the dev server to read it.
  },
  server: { fs: { allow: ['..'] } },
});
