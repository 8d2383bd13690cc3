// Worker entry: TypeScript sources run through tsx in the worker too (as in the main thread).
import { register } from "tsx/esm/api";

register();
await import("./stage-worker.ts");
