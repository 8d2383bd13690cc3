export * from "./blind-index.ts";
export * from "./classification.ts";
export * from "./connection.ts";
export * from "./copy.ts";
export * from "./migrate.ts";
export { PGliteDialect } from "./pglite-dialect.ts";
export * from "./regions-import.ts";
export * from "./schema.ts";
