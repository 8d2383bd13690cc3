import type { Writable } from "node:stream";
import type { Database } from "@jiuye/db";
import {
  checkCreditCode,
  maskPhone,
  OWNERSHIP_TYPES,
  type OwnershipType,
  SIZE_CLASSES,
  type SizeClass,
  scopeCovers,
} from "@jiuye/domain";
import type { Kysely } from "kysely";
import { AppError } from "../../errors/catalogue.ts";
import type { Actor } from "../../lib/actor.ts";
import type { Clock, RequestContext } from "../../lib/executor.ts";
import type { FieldCipher } from "../../lib/field-cipher.ts";
import { hashPassword } from "../../lib/passwords.ts";
import { isUniqueViolation } from "../../lib/scope.ts";
import { tableWriter } from "../../lib/spreadsheet.ts";
import { temporaryPassword } from "../../lib/tokens.ts";
import type { AuditService } from "../audit/audit.service.ts";
import { usersRepository } from "../users/users.repository.ts";
import { presentEmployer } from "./employers.presenter.ts";
import { type EmployerScope, employersRepository as repo } from "./employers.repository.ts";

export type EmployersService = ReturnType<typeof createEmployersService>;

export function employerScopeOf(actor: Actor): EmployerScope {
  if (actor.role === "employer")
    return actor.employerId ? { kind: "own", employerId: actor.employerId } : { kind: "none" };
  if (actor.role === "case_worker" && actor.regionCode) return { kind: "region", prefix: actor.regionCode };
  return { kind: "none" };
}

interface HeadcountInput {
  headcount?: number;
  insuredHeadcount?: number;
  headcountAsOf?: string;
  contactName?: string;
  contactPhone?: string;
  address?: string;
}

function fieldError(field: string, code: string, message: string) {
  return { errors: [{ field, code, message }] };
}

/** 用人单位 registry: staff register employers in their region; employer accounts see only their own. */
export function createEmployersService(deps: {
  db: Kysely<Database>;
  audit: AuditService;
  cipher: FieldCipher;
  clock: Clock;
}) {
  const { db, audit, cipher, clock } = deps;

  function checkHeadcount(h: HeadcountInput, current?: { headcount: number | null; insured: number | null }) {
    const headcount = h.headcount ?? current?.headcount ?? null;
    const insured = h.insuredHeadcount ?? current?.insured ?? null;
    if (headcount !== null && insured !== null && insured > headcount) {
      throw new AppError(
        "VALIDATION_FAILED",
        fieldError("insuredHeadcount", "INSURED_EXCEEDS_HEADCOUNT", "参保人数不能多于职工人数"),
      );
    }
    if ((h.headcount !== undefined || h.insuredHeadcount !== undefined) && !h.headcountAsOf) {
      throw new AppError("VALIDATION_FAILED", fieldError("headcountAsOf", "DATE_REQUIRED", "请填写人数的统计日期"));
    }
  }

  function headcountColumns(h: HeadcountInput) {
    return {
      ...(h.headcount !== undefined ? { headcount: h.headcount } : {}),
      ...(h.insuredHeadcount !== undefined ? { insured_headcount: h.insuredHeadcount } : {}),
      ...(h.headcountAsOf !== undefined ? { headcount_as_of: h.headcountAsOf } : {}),
      ...(h.contactName !== undefined ? { contact_name: h.contactName } : {}),
      ...(h.address !== undefined ? { address: h.address } : {}),
      ...(h.contactPhone !== undefined
        ? { contact_phone_enc: cipher.encrypt(h.contactPhone), contact_phone_masked: maskPhone(h.contactPhone) }
        : {}),
    };
  }

  async function checkIndustry(code: string) {
    if (!(await repo.industryExists(db, code)))
      throw new AppError(
        "INDUSTRY_UNKNOWN",
        fieldError("industryCode", "INDUSTRY_UNKNOWN", "行业代码不是 GB/T 4754-2017 的大类代码"),
      );
  }

  return {
    industries: () => repo.industries(db),

    async search(
      actor: Actor,
      query: {
        page: number;
        pageSize: number;
        q?: string;
        creditCode?: string;
        industryCode?: string;
        regionCode?: string;
      },
    ) {
      const { rows, total } = await repo.search(
        db,
        employerScopeOf(actor),
        {
          nameContains: query.q || undefined,
          creditCode: query.creditCode || undefined,
          industryCode: query.industryCode || undefined,
          regionPrefix: query.regionCode,
        },
        query.page,
        query.pageSize,
      );
      return { items: rows.map(presentEmployer), total, page: query.page, pageSize: query.pageSize };
    },

    /** Exports the filtered list (.xlsx or .csv): contact phones masked, formulas neutralised. */
    async exportList(
      actor: Actor,
      input: { q?: string; industryCode?: string; regionCode?: string; format: "xlsx" | "csv" },
      out: Writable,
      ctx: RequestContext,
    ) {
      const scope = employerScopeOf(actor);
      const filter = {
        nameContains: input.q || undefined,
        industryCode: input.industryCode || undefined,
        regionPrefix: input.regionCode,
      };
      await audit.record(db, ctx, {
        action: "employer.export",
        subjectType: "employer",
        fields: ["name", "creditCode", "contactPhoneMasked"],
        detail: {
          format: input.format,
          filters: Object.keys(filter).filter((k) => (filter as Record<string, unknown>)[k]),
        },
      });
      const headers = [
        "单位名称",
        "统一社会信用代码",
        "行业代码",
        "行业",
        "单位类型",
        "企业规模",
        "所在地区划代码",
        "所在地",
        "职工人数",
        "参保人数",
        "统计日期",
        "联系人",
        "联系电话",
      ];
      return async () => {
        const table = tableWriter(out, input.format, "用人单位", headers);
        let after: string | null = null;
        for (;;) {
          const rows = await repo.exportBatch(db, scope, filter, after, 2000);
          if (rows.length === 0) break;
          for (const r of rows) {
            const values = [
              r.name,
              r.credit_code,
              r.industry_code,
              r.industry_name ?? "",
              OWNERSHIP_TYPES[r.ownership as OwnershipType] ?? r.ownership,
              r.size_class ? SIZE_CLASSES[r.size_class as SizeClass] : "",
              r.region_code,
              r.region_name ?? "",
              r.headcount,
              r.insured_headcount,
              r.headcount_as_of ?? "",
              r.contact_name ?? "",
              r.contact_phone_masked ?? "",
            ];
            await table.add(values);
          }
          after = rows[rows.length - 1]!.id;
        }
        await table.end();
      };
    },

    async get(actor: Actor, id: string) {
      const row = await repo.findById(db, employerScopeOf(actor), id);
      if (!row) throw new AppError("NOT_FOUND");
      return presentEmployer(row);
    },

    async create(
      actor: Actor,
      input: HeadcountInput & {
        creditCode: string;
        creditCodeOverrideReason?: string;
        name: string;
        industryCode: string;
        ownership: string;
        sizeClass?: string;
        regionCode: string;
      },
      ctx: RequestContext,
    ) {
      const check = checkCreditCode(input.creditCode);
      const creditCode = input.creditCode.trim().toUpperCase();
      const override = !check.valid && !!input.creditCodeOverrideReason;
      // An override covers a legacy code whose checksum or segments fail, never a malformed one.
      const malformed = check.errors.some((e) => e.code === "CREDIT_CODE_LENGTH" || e.code === "CREDIT_CODE_CHARSET");
      if (!check.valid && (!override || malformed)) {
        throw new AppError("CREDIT_CODE_INVALID", {
          errors: check.errors.map((e) => ({ field: "creditCode", code: e.code, message: e.message })),
        });
      }
      if (!actor.regionCode || !scopeCovers(actor.regionCode, input.regionCode)) {
        throw new AppError(
          "REGION_OUT_OF_SCOPE",
          fieldError("regionCode", "REGION_OUT_OF_SCOPE", "单位所在地不在您的管辖范围内"),
        );
      }
      if (!(await repo.regionExists(db, input.regionCode))) {
        throw new AppError("REGION_UNKNOWN", fieldError("regionCode", "REGION_UNKNOWN", "单位所在地区划代码不存在"));
      }
      await checkIndustry(input.industryCode);
      checkHeadcount(input);
      const now = clock();
      try {
        return await db.transaction().execute(async (trx) => {
          const { id } = await repo.insert(trx, {
            province_code: input.regionCode.slice(0, 2),
            credit_code: creditCode,
            credit_code_override: override,
            credit_code_override_reason: override ? input.creditCodeOverrideReason! : null,
            name: input.name,
            industry_code: input.industryCode,
            ownership: input.ownership,
            size_class: input.sizeClass ?? null,
            region_code: input.regionCode,
            created_by: actor.userId,
            created_at: now,
            updated_at: now,
            ...headcountColumns(input),
          });
          await audit.record(trx, ctx, {
            action: override ? "employer.create_with_credit_code_override" : "employer.create",
            subjectType: "employer",
            subjectId: id,
            fields: ["creditCode", "name", "contactPhone"],
            ...(override
              ? { detail: { overrideReason: input.creditCodeOverrideReason, failed: check.errors.map((e) => e.code) } }
              : {}),
          });
          return presentEmployer((await repo.findById(trx, employerScopeOf(actor), id))!);
        });
      } catch (e) {
        if (isUniqueViolation(e))
          throw new AppError(
            "EMPLOYER_EXISTS",
            fieldError("creditCode", "EMPLOYER_EXISTS", "该统一社会信用代码已登记"),
          );
        throw e;
      }
    },

    /** Staff may change everything but the identity; an employer account its contact and headcounts. */
    async update(
      actor: Actor,
      id: string,
      patch: HeadcountInput & { name?: string; industryCode?: string; sizeClass?: string },
      ctx: RequestContext,
    ) {
      const scope = employerScopeOf(actor);
      const current = await repo.findById(db, scope, id);
      if (!current) throw new AppError("NOT_FOUND");
      if (actor.role === "employer" && (patch.name || patch.industryCode || patch.sizeClass)) {
        throw new AppError("FORBIDDEN", { detail: "单位名称、行业和规模由经办机构根据登记信息维护" });
      }
      if (patch.industryCode) await checkIndustry(patch.industryCode);
      checkHeadcount(patch, { headcount: current.headcount, insured: current.insured_headcount });
      await db.transaction().execute(async (trx) => {
        await repo.update(trx, id, {
          ...(patch.name ? { name: patch.name } : {}),
          ...(patch.industryCode ? { industry_code: patch.industryCode } : {}),
          ...(patch.sizeClass ? { size_class: patch.sizeClass } : {}),
          ...headcountColumns(patch),
          updated_at: clock(),
        });
        await audit.record(trx, ctx, {
          action: "employer.update",
          subjectType: "employer",
          subjectId: id,
          fields: Object.keys(patch),
        });
      });
      return presentEmployer((await repo.findById(db, scope, id))!);
    },

    /** Creates a login for the employer (role `employer`), shown its temporary password once. */
    async createAccount(
      actor: Actor,
      id: string,
      input: { username: string; displayName: string },
      ctx: RequestContext,
    ) {
      if (actor.role !== "case_worker" || !(await repo.findById(db, employerScopeOf(actor), id)))
        throw new AppError("NOT_FOUND");
      const temporary = temporaryPassword();
      const passwordHash = await hashPassword(temporary);
      try {
        const userId = await db.transaction().execute(async (trx) => {
          const { id: userId } = await usersRepository.insert(trx, {
            username: input.username,
            display_name: input.displayName,
            role: "employer",
            region_code: null,
            employer_id: id,
            password_hash: passwordHash,
            must_change_password: true,
          });
          await audit.record(trx, ctx, {
            action: "employer.account_create",
            subjectType: "employer",
            subjectId: id,
            fields: ["username"],
            detail: { userId },
          });
          return userId;
        });
        return { userId, username: input.username, temporaryPassword: temporary };
      } catch (e) {
        if (isUniqueViolation(e))
          throw new AppError("USERNAME_TAKEN", fieldError("username", "USERNAME_TAKEN", "用户名已被使用"));
        throw e;
      }
    },
  };
}
