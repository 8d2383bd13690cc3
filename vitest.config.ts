import { defineConfig } from "vitest/config";

// Unit tests sit beside pure code (*.test.ts); integration tests run against real PostgreSQL
// (*.int.test.ts: embedded PGlite by default, the server when DATABASE_URL is set); browser
// tests drive Debian's chromium (apps/web/e2e/*.spec.ts).
export default defineConfig({
  test: {
    env: { TZ: "Asia/Shanghai" },
    pool: "forks",
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["packages/**/src/**/*.test.ts", "apps/*/src/**/*.test.ts"],
          exclude: ["**/*.int.test.ts", "**/node_modules/**"],
        },
      },
      { extends: true, test: { name: "integration", include: ["**/*.int.test.ts"], exclude: ["**/node_modules/**"] } },
      {
        extends: true,
        test: { name: "e2e", include: ["apps/web/e2e/**/*.spec.ts"], maxWorkers: 1, testTimeout: 60_000 },
      },
    ],
  },
});
