import { z } from "zod";
import { cappedPageOf, PageQuery, RegionCodeSchema, UuidSchema } from "./common.ts";

const DateSchema = z.iso.date({ message: "日期格式应为 YYYY-MM-DD" });

export const LedgerEventBodySchema = z.discriminatedUnion(
  "type",
  [
    z.strictObject({
      type: z.literal("employment"),
      date: DateSchema,
      form: z.enum(["employer", "self_employed", "flexible", "platform"], {
        message: "就业形式应为单位就业、个体经营、灵活就业或新就业形态",
      }),
      employerName: z.string().trim().max(100, "单位名称不超过100个字符").optional(),
      employerCreditCode: z.string().trim().max(18).optional(),
      contractType: z.enum(["fixed_term", "open_ended", "task_based", "none"]).optional(),
      contractEnd: DateSchema.optional(),
      regionCode: z
        .string()
        .regex(/^(\d{9}|\d{12})$/, "经办区划应为街道或社区代码")
        .optional(),
    }),
    z.strictObject({
      type: z.literal("employment_end"),
      date: DateSchema,
      spellId: UuidSchema.optional(),
      reason: z.enum(["voluntary", "involuntary", "contract_expiry", "layoff", "retirement", "death"], {
        message: "请选择注销原因",
      }),
    }),
    z.strictObject({
      type: z.literal("unemployment"),
      date: DateSchema,
      ableAndWilling: z.boolean({ message: "请确认本人有劳动能力和就业要求" }),
      regionCode: z
        .string()
        .regex(/^(\d{9}|\d{12})$/, "经办区划应为街道或社区代码")
        .optional(),
    }),
    z.strictObject({
      type: z.literal("unemployment_end"),
      date: DateSchema,
      reason: z.enum(["employed", "retired", "moved", "enrolled", "no_contact", "death"], {
        message: "请选择注销原因",
      }),
    }),
    z.strictObject({
      type: z.literal("correction"),
      date: DateSchema,
      correctsEventId: UuidSchema,
      reason: z.literal("wrong_entry"),
      note: z.string().trim().min(2, "请说明更正原因").max(500),
    }),
  ],
  { message: "登记类型应为 employment、employment_end、unemployment、unemployment_end 或 correction" },
);
export type LedgerEventBody = z.infer<typeof LedgerEventBodySchema>;

export const LedgerEventSchema = z
  .object({
    id: z.string(),
    type: z.string(),
    date: z.string(),
    regionCode: z.string(),
    employmentForm: z.string().nullable(),
    employerName: z.string().nullable(),
    reason: z.string().nullable(),
    spellId: z.string(),
    correctsEventId: z.string().nullable(),
    correctedBy: z.string().nullable(),
    note: z.string().nullable(),
    recordedAt: z.string(),
    summary: z.string(),
  })
  .meta({ id: "LedgerEvent" });

export const LedgerSpellSchema = z.object({
  id: z.string(),
  kind: z.enum(["employment", "unemployment"]),
  employmentForm: z.string().nullable(),
  employerName: z.string().nullable(),
  startedOn: z.string(),
  endedOn: z.string().nullable(),
  endReason: z.string().nullable(),
  voided: z.boolean(),
});

export const LedgerStatusSchema = z.object({
  status: z.enum(["employed", "unemployed", "none"]),
  label: z.string(),
  openSpells: z.array(LedgerSpellSchema),
});

export const LedgerHistorySchema = z
  .object({ current: LedgerStatusSchema, events: z.array(LedgerEventSchema), spells: z.array(LedgerSpellSchema) })
  .meta({ id: "LedgerHistory" });
export const LedgerWriteResultSchema = z
  .object({ event: LedgerEventSchema, alsoRecorded: z.array(LedgerEventSchema), current: LedgerStatusSchema })
  .meta({ id: "LedgerWriteResult" });

/**
 * 实名台账: the ledger's events as a filtered list (persons in the caller's region; `regionCode`
 * narrows by the office that recorded the event, 经办区划).
 */
const LedgerFilterFields = {
  type: z
    .enum(["employment", "employment_end", "unemployment", "unemployment_end", "correction"], {
      message: "登记类型应为 employment、employment_end、unemployment、unemployment_end 或 correction",
    })
    .optional(),
  from: DateSchema.optional(),
  to: DateSchema.optional(),
  regionCode: RegionCodeSchema.optional(),
  q: z.string().trim().max(50, "姓名关键词不超过50个字符").optional(),
  employer: z.string().trim().max(100, "单位名称或统一社会信用代码不超过100个字符").optional(),
};
const dateOrder = {
  check: (f: { from?: string; to?: string }) => !f.from || !f.to || f.from <= f.to,
  params: { message: "截止日期不能早于起始日期", path: ["to"] },
};
const LedgerExportFormat = z.enum(["xlsx", "csv"], { message: "导出格式应为 xlsx 或 csv" }).default("xlsx");

export const ListLedgerQuerySchema = z
  .strictObject({ ...PageQuery, ...LedgerFilterFields })
  .refine(dateOrder.check, dateOrder.params);
export const ExportLedgerQuerySchema = z
  .strictObject({ ...LedgerFilterFields, format: LedgerExportFormat })
  .refine(dateOrder.check, dateOrder.params);
/** Export with full ID and phone numbers: needs a stated purpose and is audited. */
export const ExportLedgerUnmaskedBodySchema = z
  .strictObject({
    ...LedgerFilterFields,
    format: LedgerExportFormat,
    purpose: z.string().min(1, "请选择导出目的").max(64),
  })
  .refine(dateOrder.check, dateOrder.params);
export type LedgerFilterInput = Omit<z.infer<typeof ExportLedgerQuerySchema>, "format">;

export const LedgerEntrySchema = z
  .object({
    id: z.string(),
    personId: z.string(),
    personName: z.string(),
    idNumberMasked: z.string(),
    type: z.string(),
    typeLabel: z.string(),
    date: z.string(),
    regionCode: z.string(),
    regionName: z.string().nullable(),
    employmentForm: z.string().nullable(),
    employerName: z.string().nullable(),
    employerCreditCode: z.string().nullable(),
    contractType: z.string().nullable(),
    reason: z.string().nullable(),
    summary: z.string(),
    /** A later correction voided this event (更正作废). */
    voided: z.boolean(),
    recordedAt: z.string(),
  })
  .meta({ id: "LedgerEntry" });
export const LedgerListSchema = cappedPageOf(LedgerEntrySchema).meta({ id: "LedgerList" });
