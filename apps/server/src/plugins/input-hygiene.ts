import type { FastifyInstance } from "fastify";
import { AppError } from "../errors/catalogue.ts";

/** The path of the first string holding a NUL character (PostgreSQL text cannot store one). */
export function findNulCharacter(value: unknown, path: string[] = []): string | null {
  if (typeof value === "string") return value.includes("\u0000") ? path.join(".") || "body" : null;
  // Only plain data is walked: a streamed upload (a Readable) is checked by its own reader.
  if (value && typeof value === "object" && typeof (value as { pipe?: unknown }).pipe !== "function") {
    for (const [k, v] of Object.entries(value)) {
      const found = findNulCharacter(v, [...path, k]);
      if (found) return found;
    }
  }
  return null;
}

/** Refuses NUL characters anywhere in the input with a 400 naming the field, before any handler. */
export function registerInputHygiene(app: FastifyInstance): void {
  app.addHook("preValidation", async (req) => {
    for (const [where, value] of [
      ["body", req.body],
      ["querystring", req.query],
      ["params", req.params],
    ] as const) {
      const field = findNulCharacter(value);
      if (field) {
        const name = where === "body" ? field : `${where}.${field}`;
        throw new AppError("VALIDATION_FAILED", {
          errors: [{ field: name, code: "CONTROL_CHARACTER", message: "不允许包含空字符（\\u0000）" }],
        });
      }
    }
  });
}
