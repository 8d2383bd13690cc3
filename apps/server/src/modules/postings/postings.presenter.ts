import type { PostingSchema, PublicPostingSchema, ReviewSchema } from "@jiuye/contracts";
import { FINDING_CATEGORY_NAMES, type FindingCategory, type ScreeningFinding } from "@jiuye/domain";
import type { z } from "zod";
import type { PostingRow } from "./postings.repository.ts";

type Posting = z.infer<typeof PostingSchema>;
type PublicPosting = z.infer<typeof PublicPostingSchema>;

function iso(d: Date | string | null): string | null {
  return d == null ? null : new Date(d).toISOString();
}

function dateOnly(d: Date | string): string {
  return typeof d === "string" ? d.slice(0, 10) : d.toISOString().slice(0, 10);
}

export function presentFinding(f: ScreeningFinding) {
  return { ...f, categoryName: FINDING_CATEGORY_NAMES[f.category as FindingCategory] ?? f.category };
}

function findingsOf(raw: unknown): ScreeningFinding[] {
  const v = typeof raw === "string" ? JSON.parse(raw) : raw;
  return Array.isArray(v) ? (v as ScreeningFinding[]) : [];
}

export function presentPublicPosting(r: PostingRow, confirmDays: number): PublicPosting {
  const { findings: _f, version: _v, status: _s, confirmedAt: _c, ...rest } = presentPosting(r, confirmDays);
  return rest;
}

export function presentPosting(r: PostingRow, confirmDays: number): Posting {
  const confirmed = r.confirmed_at ? new Date(r.confirmed_at) : null;
  return {
    id: r.id,
    employerId: r.employer_id,
    employerName: r.employer_name,
    title: r.title,
    occupationCode: r.occupation_code,
    occupationName: r.occupation_name ?? null,
    description: r.description,
    requirements: r.requirements,
    benefits: r.benefits,
    skills: r.skills,
    headcount: r.headcount,
    regionCode: r.region_code,
    regionName: r.region_name ?? null,
    address: r.address,
    salaryType: r.salary_type as Posting["salaryType"],
    salaryMinFen: r.salary_min_fen,
    salaryMaxFen: r.salary_max_fen,
    education: r.education,
    experienceYears: r.experience_years,
    contractType: r.contract_type,
    workType: r.work_type,
    isPublicWelfare: r.is_public_welfare,
    isInternship: r.is_internship,
    targetsGraduates: r.targets_graduates,
    validUntil: dateOnly(r.valid_until),
    status: r.status as Posting["status"],
    findings: findingsOf(r.findings).map(presentFinding),
    publishedAt: iso(r.published_at),
    confirmedAt: iso(r.confirmed_at),
    confirmBy:
      r.status === "published" && confirmed
        ? new Date(confirmed.getTime() + confirmDays * 86_400_000).toISOString()
        : null,
    version: r.version,
    createdAt: new Date(r.created_at).toISOString(),
  };
}

export function presentReview(r: {
  id: string;
  posting_id: string;
  posting_title: string;
  employer_name: string;
  region_name: string | null;
  kind: string;
  reason: string | null;
  findings: unknown;
  status: string;
  decision_reason: string | null;
  decided_at: Date | null;
  created_at: Date;
}): z.infer<typeof ReviewSchema> {
  return {
    id: r.id,
    postingId: r.posting_id,
    postingTitle: r.posting_title,
    employerName: r.employer_name,
    regionName: r.region_name,
    kind: r.kind as "screening" | "report",
    reason: r.reason,
    findings: findingsOf(r.findings).map(presentFinding),
    status: r.status as "open" | "approved" | "rejected",
    decisionReason: r.decision_reason,
    decidedAt: iso(r.decided_at),
    createdAt: new Date(r.created_at).toISOString(),
  };
}
