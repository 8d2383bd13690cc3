export * from "./identifiers/id-number.ts";
export * from "./privacy/mask.ts";
export * from "./auth/password-policy.ts";
export * from "./auth/roles.ts";
export * from "./auth/session-policy.ts";
export * from "./regions/region-scope.ts";
export * from "./audit/audit-chain.ts";
export * from "./seed/prng.ts";
