import type { Writable } from "node:stream";
import type { Database } from "@jiuye/db";
import {
  parseQuarter,
  quarterOf,
  REGION_CODE_LENGTHS,
  shanghaiDate,
  vacancyRatio,
  WAGE_MIN_SAMPLE,
  WAGE_PERCENTILES,
} from "@jiuye/domain";
import type { Kysely } from "kysely";
import { AppError } from "../../errors/catalogue.ts";
import type { Actor } from "../../lib/actor.ts";
import type { Clock } from "../../lib/executor.ts";
import { streamingSheet } from "../../lib/spreadsheet.ts";
import { occupationsRepository } from "../postings/occupations.repository.ts";
import { regionsRepository } from "../regions/regions.repository.ts";
import { marketRepository as repo } from "./market.repository.ts";

export type MarketService = ReturnType<typeof createMarketService>;
export type VacancyGrouping = "region" | "major" | "middle";

const OCCUPATION_LEN = { major: 1, middle: 4, detailed: 10 } as const;

/**
 * 人力资源市场供求分析: 求人倍率 and 工资价位 within the caller's region, aggregates only — no
 * person, no posting and no employer appears in any answer.
 */
export function createMarketService(deps: { db: Kysely<Database>; clock: Clock }) {
  const { db, clock } = deps;

  function resolve(actor: Actor, regionCode: string | undefined, quarter: string | undefined) {
    const scope = actor.regionCode ?? "";
    const region = regionCode ?? scope;
    if (!region.startsWith(scope)) throw new AppError("NOT_FOUND");
    const q = quarter ?? quarterOf(shanghaiDate(clock()));
    const range = parseQuarter(q);
    if (!range)
      throw new AppError("VALIDATION_FAILED", {
        errors: [{ field: "quarter", code: "QUARTER_INVALID", message: "季度格式应为 YYYYQn，如 2026Q4" }],
      });
    return { region, quarter: q, range };
  }

  async function names(kind: "region" | "occupation", codes: string[]) {
    const rows =
      kind === "region" ? await regionsRepository.byCodes(db, codes) : await occupationsRepository.namesOf(db, codes);
    return new Map(rows.map((r) => [r.code, r.name]));
  }

  async function vacancyRatios(actor: Actor, q: { regionCode?: string; quarter?: string; by: VacancyGrouping }) {
    const { region, quarter, range } = resolve(actor, q.regionCode, q.quarter);
    const key = q.by === "region" ? "region" : "occupation";
    const len =
      q.by === "region" ? (REGION_CODE_LENGTHS.find((n) => n > region.length) ?? region.length) : OCCUPATION_LEN[q.by];
    const [vac, seek] = await Promise.all([
      repo.vacanciesBy(db, region, key, len, range.from, range.until),
      repo.seekersBy(db, region, key, len, range.from, range.until),
    ]);
    const keys = [...new Set([...vac.map((v) => v.key), ...seek.map((s) => s.key)])].sort();
    const n = await names(key, [...keys, ...(region ? [region] : [])]);
    const rows = keys.map((k) => {
      const v = vac.find((x) => x.key === k);
      const s = seek.find((x) => x.key === k);
      return {
        key: k,
        name: n.get(k) ?? k,
        vacancies: v?.vacancies ?? 0,
        postings: v?.postings ?? 0,
        seekers: s?.seekers ?? 0,
        ratio: vacancyRatio(v?.vacancies ?? 0, s?.seekers ?? 0),
      };
    });
    const vacancies = vac.reduce((a, v) => a + v.vacancies, 0);
    const seekersTotal = key === "region" ? seek.reduce((a, s) => a + s.seekers, 0) : null;
    return {
      quarter,
      quarterLabel: range.label,
      regionCode: region,
      regionName: region ? (n.get(region) ?? region) : "全部",
      by: q.by,
      definition: "求人倍率 = 本季度有效岗位需求人数 ÷ 本季度有效求职人数",
      rows,
      total: {
        vacancies,
        // by occupation a seeker may count in several groups, so the total is not their sum
        seekers: seekersTotal,
        ratio: seekersTotal === null ? null : vacancyRatio(vacancies, seekersTotal),
      },
    };
  }

  async function wages(actor: Actor, q: { regionCode?: string; quarter?: string; level: "middle" | "detailed" }) {
    const { region, quarter, range } = resolve(actor, q.regionCode, q.quarter);
    const rows = await repo.wages(db, region, OCCUPATION_LEN[q.level], range.from, range.until);
    const n = await names(
      "occupation",
      rows.map((r) => r.key),
    );
    const rn = region ? await names("region", [region]) : new Map<string, string>();
    return {
      quarter,
      quarterLabel: range.label,
      regionCode: region,
      regionName: region ? (rn.get(region) ?? region) : "全部",
      minSample: WAGE_MIN_SAMPLE,
      percentiles: [...WAGE_PERCENTILES],
      rows: rows.map((r) => ({
        key: r.key,
        name: n.get(r.key) ?? r.key,
        postings: r.postings,
        shown: r.postings >= WAGE_MIN_SAMPLE,
        // 分/月, rounded to the 元; null when the sample is too small to publish
        values: r.postings >= WAGE_MIN_SAMPLE ? r.percentiles.map((p) => Math.round(p / 100) * 100) : null,
      })),
    };
  }

  return {
    vacancyRatios,
    wages,

    async exportXlsx(
      actor: Actor,
      q: {
        kind: "vacancy-ratio" | "wages";
        regionCode?: string;
        quarter?: string;
        by?: VacancyGrouping;
        level?: "middle" | "detailed";
      },
      out: Writable,
    ) {
      if (q.kind === "vacancy-ratio") {
        const r = await vacancyRatios(actor, { regionCode: q.regionCode, quarter: q.quarter, by: q.by ?? "region" });
        return async () => {
          const sheet = streamingSheet(out, "求人倍率", [
            "代码",
            "名称",
            "岗位需求人数",
            "岗位数",
            "求职人数",
            "求人倍率",
          ]);
          for (const row of r.rows) sheet.add([row.key, row.name, row.vacancies, row.postings, row.seekers, row.ratio]);
          sheet.add([
            "合计",
            `${r.regionName} ${r.quarterLabel}`,
            r.total.vacancies,
            null,
            r.total.seekers,
            r.total.ratio,
          ]);
          await sheet.end();
        };
      }
      const r = await wages(actor, { regionCode: q.regionCode, quarter: q.quarter, level: q.level ?? "middle" });
      return async () => {
        const sheet = streamingSheet(out, "工资价位", [
          "职业代码",
          "职业",
          "岗位数",
          "P10（元/月）",
          "P25",
          "P50",
          "P75",
          "P90",
        ]);
        for (const row of r.rows)
          sheet.add([
            row.key,
            row.name,
            row.postings,
            ...(row.values
              ? row.values.map((v) => v / 100)
              : [`样本不足${r.minSample}个，不发布`, null, null, null, null]),
          ]);
        await sheet.end();
      };
    },
  };
}
