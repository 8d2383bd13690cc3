import type { Executor } from "../../lib/executor.ts";

export const checksRepository = {
  /** Today's name of a 6-digit county-level code, if it is in the region table. */
  async areaName(db: Executor, code: string): Promise<string | undefined> {
    const r = await db.selectFrom("regions").select("name").where("code", "=", code).executeTakeFirst();
    return r?.name;
  },
};
