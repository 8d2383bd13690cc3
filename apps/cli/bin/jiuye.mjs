#!/usr/bin/env node
// The `jiuye` command. TypeScript sources run through tsx; no build step is needed.
import { register } from "tsx/esm/api";

register();
await import("../src/main.ts");
