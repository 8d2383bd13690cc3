import { readdirSync, readFileSync } from "node:fs";
import { type CompiledPolicy, compilePolicySet, SHIPPED_POLICY_DIR } from "@jiuye/domain";

let shipped: CompiledPolicy[] | null = null;

/** The shipped catalogue (packages/domain/policies/*.yaml), compiled once, in dependency order. */
export function loadShippedPolicies(): CompiledPolicy[] {
  shipped ??= compilePolicySet(
    readdirSync(SHIPPED_POLICY_DIR)
      .filter((f) => f.endsWith(".yaml"))
      .sort()
      .map((f) => ({ file: f, text: readFileSync(new URL(f, SHIPPED_POLICY_DIR), "utf8") })),
  );
  return shipped;
}
