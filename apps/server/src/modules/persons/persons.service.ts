import type { Writable } from "node:stream";
import type { Database } from "@jiuye/db";
import { checkIdNumber, EDUCATION_LABELS, type EducationLevel, scopeCovers, shanghaiDate } from "@jiuye/domain";
import type { Kysely } from "kysely";
import { AppError } from "../../errors/catalogue.ts";
import type { Actor } from "../../lib/actor.ts";
import { type Clock, LIST_COUNT_CAP, type RequestContext } from "../../lib/executor.ts";
import type { FieldCipher } from "../../lib/field-cipher.ts";
import { isUniqueViolation } from "../../lib/scope.ts";
import { tableWriter } from "../../lib/spreadsheet.ts";
import type { AuditService } from "../audit/audit.service.ts";
import { assertRevealPurpose, personScopeOf } from "./persons.policy.ts";
import { presentPerson } from "./persons.presenter.ts";
import { presentAttribute, protectCertificateNumber } from "./persons.profile.ts";
import { idNumberIndex, phoneIndex, protectedPersonRow } from "./persons.protect.ts";
import { personsRepository as repo } from "./persons.repository.ts";

export type PersonsService = ReturnType<typeof createPersonsService>;

export interface PersonsDeps {
  db: Kysely<Database>;
  audit: AuditService;
  cipher: FieldCipher;
  clock: Clock;
  revealPurposes: Array<{ code: string; label: string }>;
}

/** 劳动者 records: region-scoped reads (each audited), masked by default, reveal with a purpose. */
export function createPersonsService(deps: PersonsDeps) {
  const { db, audit, cipher, clock } = deps;

  return {
    async search(
      actor: Actor,
      query: {
        page: number;
        pageSize: number;
        q?: string;
        idNumber?: string;
        phone?: string;
        regionCode?: string;
        keyGroup?: string;
      },
      ctx: RequestContext,
    ) {
      const scope = personScopeOf(actor);
      const filter = {
        nameContains: query.q || undefined,
        idNumberBidx: query.idNumber ? idNumberIndex(cipher, query.idNumber) : undefined,
        phoneBidx: query.phone ? phoneIndex(cipher, query.phone) : undefined,
        regionPrefix: query.regionCode,
        keyGroup: query.keyGroup,
      };
      // No transaction: the two reads run in parallel on the pool and the audit row is
      // group-committed; the response still waits until that row is durable.
      const { rows, total, capped } = await repo.search(db, scope, filter, query.page, query.pageSize, LIST_COUNT_CAP);
      await audit.record(db, ctx, {
        action: "person.search",
        subjectType: "person",
        fields: ["name", "idNumberMasked", "phoneMasked"],
        detail: {
          filters: Object.keys(filter).filter((k) => (filter as Record<string, unknown>)[k]),
          returned: rows.length,
          total,
          capped,
        },
      });
      return {
        items: rows.map(presentPerson),
        total,
        totalCapped: capped,
        page: query.page,
        pageSize: query.pageSize,
      };
    },

    async get(actor: Actor, id: string, ctx: RequestContext) {
      // A read needs no transaction: the audit row is written (autocommit) before anything is
      // returned, so a failed audit write still fails the request — in 2 round trips, not 4.
      const row = await repo.findById(db, personScopeOf(actor), id);
      if (!row) throw new AppError("NOT_FOUND");
      await audit.record(db, ctx, {
        action: "person.read",
        subjectType: "person",
        subjectId: id,
        fields: ["name", "idNumberMasked", "phoneMasked", "birthDate", "residence"],
      });
      return presentPerson(row);
    },

    async create(
      actor: Actor,
      input: { name: string; idNumber: string; phone?: string; residenceRegionCode: string },
      ctx: RequestContext,
    ) {
      const check = checkIdNumber(input.idNumber, shanghaiDate(clock()));
      if (!check.valid || !check.normalized) {
        throw new AppError("ID_NUMBER_INVALID", {
          errors: check.errors.map((e) => ({ field: "idNumber", code: e.code, message: e.message })),
        });
      }
      if (!actor.regionCode || !scopeCovers(actor.regionCode, input.residenceRegionCode)) {
        throw new AppError("REGION_OUT_OF_SCOPE", {
          errors: [{ field: "residenceRegionCode", code: "REGION_OUT_OF_SCOPE", message: "常住地不在您的管辖范围内" }],
        });
      }
      if (!(await repo.regionExists(db, input.residenceRegionCode))) {
        throw new AppError("REGION_UNKNOWN", {
          errors: [{ field: "residenceRegionCode", code: "REGION_UNKNOWN", message: "常住地区划代码不存在" }],
        });
      }
      const idNumber = check.normalized;
      try {
        return await db.transaction().execute(async (trx) => {
          const { id } = await repo.insert(
            trx,
            protectedPersonRow(cipher, { ...input, idNumber, sex: check.sex!, birthDate: check.birthDate! }),
          );
          await audit.record(trx, ctx, {
            action: "person.create",
            subjectType: "person",
            subjectId: id,
            fields: ["name", "idNumber", "phone", "residence"],
          });
          const row = await repo.findById(trx, { kind: "region", prefix: input.residenceRegionCode }, id);
          return presentPerson(row!);
        });
      } catch (e) {
        if (isUniqueViolation(e))
          throw new AppError("PERSON_EXISTS", {
            errors: [{ field: "idNumber", code: "PERSON_EXISTS", message: "该身份证号码已登记" }],
          });
        throw e;
      }
    },

    /** Shows one unmasked value for a stated purpose; writes exactly one audit record. */
    async reveal(
      actor: Actor,
      id: string,
      input: { field: "idNumber" | "phone"; purpose: string },
      ctx: RequestContext,
    ) {
      assertRevealPurpose(deps.revealPurposes, input.purpose, "查看");
      return db.transaction().execute(async (trx) => {
        const row = await repo.findSecretFields(trx, personScopeOf(actor), id);
        if (!row) throw new AppError("NOT_FOUND");
        const enc = input.field === "idNumber" ? row.id_number_enc : row.phone_enc;
        await audit.record(trx, ctx, {
          action: "person.reveal",
          subjectType: "person",
          subjectId: id,
          fields: [input.field],
          purpose: input.purpose,
        });
        return { field: input.field, value: enc ? cipher.decrypt(enc) : null };
      });
    },

    /** Education, 户籍 and retirement category (which must agree with the sex in the ID number). */
    async updateProfile(
      actor: Actor,
      id: string,
      patch: {
        education?: string | null;
        hukouType?: "urban" | "rural" | null;
        hukouRegionCode?: string | null;
        retirementCategory?: "male-60" | "female-55" | "female-50" | null;
      },
      ctx: RequestContext,
    ) {
      return db.transaction().execute(async (trx) => {
        const row = await repo.findById(trx, personScopeOf(actor), id);
        if (!row) throw new AppError("NOT_FOUND");
        if (patch.retirementCategory && (patch.retirementCategory === "male-60") !== (row.sex === "male")) {
          throw new AppError("VALIDATION_FAILED", {
            errors: [
              {
                field: "retirementCategory",
                code: "RETIREMENT_CATEGORY_SEX",
                message: "退休类别与性别不一致：男性为 male-60，女性为 female-55 或 female-50",
              },
            ],
          });
        }
        await repo.updateProfile(
          trx,
          id,
          {
            education: patch.education,
            hukou_type: patch.hukouType,
            hukou_region_code: patch.hukouRegionCode,
            retirement_category: patch.retirementCategory,
          },
          clock(),
        );
        await audit.record(trx, ctx, {
          action: "person.update",
          subjectType: "person",
          subjectId: id,
          fields: Object.keys(patch),
        });
        return presentPerson((await repo.findById(trx, personScopeOf(actor), id))!);
      });
    },

    /** Records a key-group attribute with its source; 'verified' names the verifying case worker. */
    async addAttribute(
      actor: Actor,
      id: string,
      input: {
        kind: string;
        details: Record<string, unknown>;
        source: "declared" | "verified";
        validFrom?: string;
        validTo?: string;
      },
      ctx: RequestContext,
    ) {
      if (input.validFrom && input.validTo && input.validTo < input.validFrom) {
        throw new AppError("VALIDATION_FAILED", {
          errors: [{ field: "validTo", code: "DATE_ORDER", message: "有效期止不能早于有效期起" }],
        });
      }
      let details = input.details;
      if (input.kind === "disability") {
        const { certificateNumber, ...rest } = details as { certificateNumber: string };
        details = { ...rest, ...protectCertificateNumber(certificateNumber, cipher.encrypt) };
      }
      return db.transaction().execute(async (trx) => {
        if (!(await repo.findById(trx, personScopeOf(actor), id))) throw new AppError("NOT_FOUND");
        const row = await repo.insertAttribute(trx, {
          person_id: id,
          kind: input.kind,
          details,
          source: input.source,
          verified_by: input.source === "verified" ? actor.userId : null,
          valid_from: input.validFrom ?? null,
          valid_to: input.validTo ?? null,
          recorded_by: actor.userId,
          recorded_at: clock(),
        });
        await audit.record(trx, ctx, {
          action: "person.attribute_add",
          subjectType: "person",
          subjectId: id,
          fields: [input.kind],
        });
        return presentAttribute(row);
      });
    },

    /**
     * Exports the filtered list (whole scope, not one page) to .xlsx or .csv, every cell
     * formula-neutralised. Masked by default; with a listed purpose the ID and phone numbers are
     * decrypted, and the audit row records the purpose, the filter and the row count.
     */
    async exportList(
      actor: Actor,
      input: { q?: string; regionCode?: string; keyGroup?: string; format: "xlsx" | "csv"; purpose?: string },
      out: Writable,
      ctx: RequestContext,
    ) {
      const unmasked = input.purpose !== undefined;
      if (unmasked) assertRevealPurpose(deps.revealPurposes, input.purpose, "导出");
      const scope = personScopeOf(actor);
      if (scope.kind !== "region") throw new AppError("FORBIDDEN");
      const filter = { nameContains: input.q || undefined, regionPrefix: input.regionCode, keyGroup: input.keyGroup };
      const headers = [
        "姓名",
        "公民身份号码",
        "手机号码",
        "性别",
        "出生日期",
        "常住地区划代码",
        "常住地",
        "学历",
        "户籍类型",
        "户籍地区划代码",
      ];
      // The audit row is written before any data leaves: a failed audit write stops the export.
      const total = await repo.countFiltered(db, scope, filter);
      await audit.record(db, ctx, {
        action: unmasked ? "person.export_unmasked" : "person.export",
        subjectType: "person",
        fields: unmasked ? ["name", "idNumber", "phone"] : ["name", "idNumberMasked", "phoneMasked"],
        ...(unmasked ? { purpose: input.purpose } : {}),
        detail: {
          format: input.format,
          rows: total,
          filters: Object.keys(filter).filter((k) => (filter as Record<string, unknown>)[k]),
        },
      });
      return async () => {
        const table = tableWriter(out, input.format, "劳动者", headers);
        let after: string | null = null;
        for (;;) {
          const rows = await repo.exportBatch(db, scope, filter, after, 2000, unmasked);
          if (rows.length === 0) break;
          for (const r of rows) {
            const values = [
              r.name,
              unmasked ? cipher.decrypt(r.id_number_enc!) : r.id_number_masked,
              unmasked ? (r.phone_enc ? cipher.decrypt(r.phone_enc) : "") : (r.phone_masked ?? ""),
              r.sex === "male" ? "男" : "女",
              r.birth_date,
              r.residence_region_code,
              r.region_name ?? "",
              r.education ? (EDUCATION_LABELS[r.education as EducationLevel] ?? r.education) : "",
              r.hukou_type === "urban" ? "城镇" : r.hukou_type === "rural" ? "农村" : "",
              r.hukou_region_code ?? "",
            ];
            await table.add(values);
          }
          after = rows[rows.length - 1]!.id;
        }
        await table.end();
      };
    },

    async attributes(actor: Actor, id: string, ctx: RequestContext) {
      if (!(await repo.findById(db, personScopeOf(actor), id))) throw new AppError("NOT_FOUND");
      const rows = await repo.attributes(db, id);
      await audit.record(db, ctx, {
        action: "person.attributes_read",
        subjectType: "person",
        subjectId: id,
        fields: rows.map((r) => r.kind),
      });
      return rows.map(presentAttribute);
    },
  };
}
