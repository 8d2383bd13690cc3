import type { Database } from "@jiuye/db";
import { EDUCATION_RANK, indexTokens, monthlyEquivalentFen, toTsvectorLiteral } from "@jiuye/domain";
import { type InsertObject, sql } from "kysely";

/** The posting columns its search row is made from. */
export interface SearchablePosting {
  id: string;
  province_code: string;
  region_code: string;
  occupation_code: string;
  salary_type: string;
  salary_min_fen: number;
  salary_max_fen: number;
  education: string | null;
  work_type: string;
  title: string;
  description: string;
  requirements: string | null;
  benefits: string | null;
  skills: string[];
}

/**
 * The narrow search row of a published posting: filter columns and two bare-lexeme tsvectors
 * (title; everything including the occupation's name and aliases). The one place it is built —
 * publication and the synthetic-market seeder both use it.
 */
export function searchRowOf(
  p: SearchablePosting,
  occupation: { name: string; aliases: string[] } | undefined,
  publishedAt: Date,
): InsertObject<Database, "posting_search"> {
  const type = p.salary_type === "hourly" ? "hourly" : "monthly";
  const titleTokens = indexTokens(p.title);
  const body = [
    p.description,
    p.requirements ?? "",
    p.benefits ?? "",
    p.skills.join(" "),
    occupation?.name ?? "",
    (occupation?.aliases ?? []).join(" "),
  ].join("\n");
  return {
    posting_id: p.id,
    province_code: p.province_code,
    region_code: p.region_code,
    occupation_code: p.occupation_code,
    published_at: publishedAt,
    salary_min_monthly_fen: monthlyEquivalentFen(type, p.salary_min_fen),
    salary_max_monthly_fen: monthlyEquivalentFen(type, p.salary_max_fen),
    education_rank: p.education ? (EDUCATION_RANK[p.education] ?? 0) : 0,
    work_type: p.work_type,
    title_tsv: sql<string>`${toTsvectorLiteral(titleTokens)}::tsvector`,
    tsv: sql<string>`${toTsvectorLiteral(titleTokens, indexTokens(body))}::tsvector`,
  };
}
