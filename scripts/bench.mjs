#!/usr/bin/env node
// `npm run bench -- NAME`: runs bench/NAME.ts (TypeScript through tsx) and prints its figures.
import { existsSync, readdirSync } from "node:fs";

const name = process.argv[2];
const dir = new URL("../bench/", import.meta.url);
const available = readdirSync(dir)
  .filter((f) => f.endsWith(".ts"))
  .map((f) => f.replace(/\.ts$/, ""));
if (!name || !existsSync(new URL(`${name}.ts`, dir))) {
  process.stderr.write(`usage: npm run bench -- NAME   (available: ${available.join(", ")})\n`);
  process.exit(1);
}
const { register } = await import("tsx/esm/api");
register();
await import(new URL(`${name}.ts`, dir).href);
