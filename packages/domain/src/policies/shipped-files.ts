/**
 * Where the shipped policy catalogue lives (packages/domain/policies/*.yaml) and its YAML cases
 * (packages/domain/policies/cases/*.yaml). Reading the files is the caller's business: this module
 * only names them, so the domain stays free of I/O.
 */
export const SHIPPED_POLICY_DIR = new URL("../../policies/", import.meta.url);
export const SHIPPED_CASES_DIR = new URL("../../policies/cases/", import.meta.url);
