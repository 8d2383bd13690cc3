import { maskText } from "@jiuye/domain";
import type { FastifyError, FastifyInstance } from "fastify";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";
import { AppError, type ErrorCode, type FieldError, problemBody } from "./catalogue.ts";

const ZOD_CODE: Record<string, string> = {
  invalid_type: "INVALID_TYPE",
  unrecognized_keys: "UNKNOWN_FIELD",
  too_small: "TOO_SMALL",
  too_big: "TOO_BIG",
  invalid_format: "INVALID_FORMAT",
  invalid_value: "INVALID_VALUE",
  invalid_union: "INVALID_VALUE",
  custom: "INVALID_VALUE",
};

function zodMessage(issue: {
  code: string;
  message: string;
  keys?: string[];
  expected?: string;
  input?: unknown;
}): string {
  if (issue.code === "unrecognized_keys") return `不允许的字段：${(issue.keys ?? []).join("、")}`;
  if (issue.code === "invalid_type") return issue.input === undefined ? "必填" : `类型不正确（应为 ${issue.expected}）`;
  // Our schemas carry Chinese messages; zod's English defaults are replaced by a generic one.
  return /[\u4e00-\u9fff]/.test(issue.message) ? issue.message : "取值不正确";
}

/** Maps every error to application/problem+json with a stable code (one place, per the catalogue). */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    let code: ErrorCode = "INTERNAL";
    let detail: string | undefined;
    let errors: FieldError[] | undefined;
    if (error instanceof AppError) {
      code = error.code;
      detail = error.detail;
      errors = error.errors;
    } else if (hasZodFastifySchemaValidationErrors(error)) {
      code = "VALIDATION_FAILED";
      const where = error.validationContext ?? "body";
      errors = error.validation.flatMap((v) => {
        // fastify-type-provider-zod: { keyword: zod issue code, instancePath: "/a/b", message, params: the rest of the issue }
        const params = (v.params ?? {}) as { keys?: string[]; expected?: string; input?: unknown };
        const issue = { code: v.keyword, message: v.message ?? "", ...params };
        const path = (v.instancePath ?? "").split("/").filter(Boolean);
        const base = [where === "body" ? "" : where, ...path].filter(Boolean).join(".");
        if (issue.code === "unrecognized_keys") {
          return (issue.keys ?? []).map((k) => ({
            field: [base, k].filter(Boolean).join("."),
            code: "UNKNOWN_FIELD",
            message: `不允许的字段：${k}`,
          }));
        }
        return [{ field: base || where, code: ZOD_CODE[issue.code] ?? "INVALID_VALUE", message: zodMessage(issue) }];
      });
    } else if (
      error.code === "FST_ERR_CTP_INVALID_JSON_BODY" ||
      error.code === "FST_ERR_CTP_EMPTY_JSON_BODY" ||
      (error instanceof SyntaxError && (error as FastifyError).statusCode === 400)
    ) {
      code = "MALFORMED_JSON";
    } else if (error.code === "FST_ERR_CTP_BODY_TOO_LARGE") {
      code = "PAYLOAD_TOO_LARGE";
    } else if (error.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE" || error.code === "FST_ERR_CTP_INVALID_CONTENT_LENGTH") {
      code = error.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE" ? "UNSUPPORTED_MEDIA_TYPE" : "VALIDATION_FAILED";
    } else if (error.statusCode === 429) {
      code = "RATE_LIMITED";
    } else if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      code =
        error.statusCode === 404
          ? "ROUTE_NOT_FOUND"
          : error.statusCode === 413
            ? "PAYLOAD_TOO_LARGE"
            : error.statusCode === 415
              ? "UNSUPPORTED_MEDIA_TYPE"
              : "VALIDATION_FAILED";
      detail = maskText(error.message);
    }
    const body = problemBody(code, detail, errors);
    if (body.status >= 500)
      request.log.error({ err: { message: maskText(String(error.message)), stack: error.stack } }, "request failed");
    else request.log.info({ code }, "request refused");
    if (code === "RATE_LIMITED" && !reply.hasHeader("retry-after")) reply.header("retry-after", "60");
    return reply.status(body.status).type("application/problem+json; charset=utf-8").send(body);
  });
}
