import { z } from "zod";

/**
 * persons / employers / ledger: the registries; insurance (参保记录), benefits (失业保险金领取),
 * certificates (职业技能证书), dibao (低保), disability (残疾人证): records owned by other systems.
 */
export const ImportKindSchema = z.enum(
  ["persons", "employers", "ledger", "insurance", "benefits", "certificates", "dibao", "disability"],
  {
    message:
      "花名册类型应为 persons（劳动者）、employers（用人单位）、ledger（就业失业登记）、insurance（参保记录）、benefits（失业保险金）、certificates（职业技能证书）、dibao（低保）或 disability（残疾人证）",
  },
);

export const ImportJobSchema = z
  .object({
    id: z.string(),
    kind: ImportKindSchema,
    fileName: z.string(),
    format: z.enum(["csv", "xlsx"]),
    mode: z.enum(["atomic", "chunked"]),
    dryRun: z.boolean(),
    status: z.enum(["queued", "staging", "staged", "committing", "committed", "failed"]),
    statusLabel: z.string(),
    totalRows: z.number().int(),
    acceptedRows: z.number().int(),
    rejectedRows: z.number().int(),
    committedRows: z.number().int(),
    processedRows: z.number().int(),
    /** 0–1 for the current phase (staging: bytes read; committing: rows committed). */
    progress: z.number(),
    rowsPerSecond: z.number().nullable(),
    etaSeconds: z.number().nullable(),
    error: z.string().nullable(),
    createdAt: z.string(),
    finishedAt: z.string().nullable(),
    /** True when this file had been imported (or started) before: nothing new was created for it. */
    reused: z.boolean().optional(),
  })
  .meta({ id: "ImportJob" });
export type ImportJobDto = z.infer<typeof ImportJobSchema>;

export const StartImportQuerySchema = z.strictObject({
  kind: ImportKindSchema,
  dryRun: z
    .enum(["true", "false"], { message: "dryRun 应为 true 或 false" })
    .default("false")
    .transform((v) => v === "true"),
  mode: z
    .enum(["atomic", "chunked"], { message: "mode 应为 atomic（整体提交）或 chunked（分批提交）" })
    .default("atomic"),
});

export const CommitImportBodySchema = z.strictObject({
  mode: z.enum(["atomic", "chunked"]).optional(),
});

export const ImportTemplateParamsSchema = z.strictObject({ kind: ImportKindSchema });
