export * from "./common.ts";
export * from "./auth.ts";
export * from "./users.ts";
export * from "./audit.ts";
export * from "./regions.ts";
export * from "./persons.ts";
export * from "./overview.ts";
