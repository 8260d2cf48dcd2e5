import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Root-needing and rootfs tests share cached fixtures under VIGIL_CACHE_DIR; keep files in separate workers.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 900_000,
    reporters: ['default'],
  },
});
