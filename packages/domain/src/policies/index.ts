export * from "./columnar.ts";
export * from "./compile.ts";
export * from "./dates.ts";
export * from "./evaluate.ts";
export * from "./facts.ts";
export * from "./model.ts";
export * from "./params.ts";
export * from "./shipped-files.ts";
