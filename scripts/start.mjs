#!/usr/bin/env node
// `npm start`: builds the web app when its sources are newer than the last build, then runs
// `jiuye start` (embedded PostgreSQL under ./data unless DATABASE_URL is set; demo city seeded).
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const dist = join(root, "apps/web/dist/index.html");

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

const sources = [join(root, "apps/web/src"), join(root, "packages/contracts/src")];
const stale =
  !existsSync(dist) ||
  Math.max(...sources.map(newest), statSync(join(root, "apps/web/index.html")).mtimeMs) > statSync(dist).mtimeMs;
if (stale) {
  process.stdout.write("正在构建网页……\n");
  const r = spawnSync("npm", ["run", "build:web", "--silent"], { cwd: root, stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
const { register } = await import("tsx/esm/api");
register();
process.argv = [process.argv[0], "jiuye", "start"];
await import("../apps/cli/src/main.ts");
