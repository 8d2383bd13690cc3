export * from "./schema.ts";
export * from "./connection.ts";
export * from "./migrate.ts";
export * from "./classification.ts";
export * from "./regions-import.ts";
export { PGliteDialect } from "./pglite-dialect.ts";
