import type { Region } from "@jiuye/contracts";
import type { Database } from "@jiuye/db";
import { ancestorCodes } from "@jiuye/domain";
import type { Kysely } from "kysely";
import { AppError } from "../../errors/catalogue.ts";
import { regionsRepository as repo } from "./regions.repository.ts";

type Row = { code: string; name: string; level: number; parent_code: string | null; child_count: number };
const present = (r: Row): Region => ({
  code: r.code,
  name: r.name,
  level: r.level,
  parentCode: r.parent_code,
  childCount: r.child_count,
});

export type RegionsService = ReturnType<typeof createRegionsService>;

/** 行政区划: public reference data, browsable by every signed-in user. */
export function createRegionsService(deps: { db: Kysely<Database> }) {
  const { db } = deps;
  return {
    async children(parent: string | null) {
      return (await repo.children(db, parent)).map(present);
    },
    async detail(code: string) {
      const rows = await repo.byCodes(db, [...ancestorCodes(code), code]);
      const self = rows.find((r) => r.code === code);
      if (!self) throw new AppError("NOT_FOUND");
      return { region: present(self), path: rows.filter((r) => r.code !== code).map(present) };
    },
    async search(q: string, within: string | null) {
      return (await repo.search(db, q, within)).map(present);
    },
  };
}
