export * from "./audit.ts";
export * from "./auth.ts";
export * from "./checks.ts";
export * from "./common.ts";
export * from "./overview.ts";
export * from "./persons.ts";
export * from "./regions.ts";
export * from "./users.ts";
