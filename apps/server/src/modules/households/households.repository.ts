import type { HouseholdMembersTable } from "@jiuye/db";
import { type Insertable, sql } from "kysely";
import type { Executor } from "../../lib/executor.ts";
import { prefixPattern } from "../../lib/scope.ts";
import { inPersonScope } from "../persons/persons.repository.ts";

/** 家庭 and their members; households are scoped by their region like persons. */
export const householdsRepository = {
  insert(
    db: Executor,
    h: { province_code: string; region_code: string; address: string | null; created_by: string; created_at: Date },
  ) {
    return db.insertInto("households").values(h).returning("id").executeTakeFirstOrThrow();
  },

  insertMembers(db: Executor, rows: Insertable<HouseholdMembersTable>[]) {
    return db.insertInto("household_members").values(rows).execute();
  },

  findInScope(db: Executor, prefix: string, id: string) {
    return db
      .selectFrom("households")
      .leftJoin("regions", "regions.code", "households.region_code")
      .select([
        "households.id",
        "households.region_code",
        "households.address",
        "households.created_at",
        "regions.name as region_name",
      ])
      .where("households.id", "=", id)
      .where("households.region_code", "like", prefixPattern(prefix))
      .executeTakeFirst();
  },

  list(db: Executor, prefix: string, page: number, pageSize: number) {
    const q = db.selectFrom("households").where("households.region_code", "like", prefixPattern(prefix));
    return Promise.all([
      q
        .leftJoin("regions", "regions.code", "households.region_code")
        .select([
          "households.id",
          "households.region_code",
          "households.address",
          "households.created_at",
          "regions.name as region_name",
        ])
        .orderBy("households.region_code")
        .orderBy("households.id")
        .limit(pageSize)
        .offset((page - 1) * pageSize)
        .execute(),
      q.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
    ]);
  },

  /** Members with their ledger status (an open, non-voided spell), oldest membership first. */
  members(db: Executor, householdIds: string[]) {
    if (householdIds.length === 0) return Promise.resolve([]);
    return db
      .selectFrom("household_members as m")
      .innerJoin("persons as p", "p.id", "m.person_id")
      .select((eb) => [
        "m.id",
        "m.household_id",
        "m.person_id",
        "m.relation",
        "m.joined_on",
        "m.left_on",
        "p.name",
        "p.id_number_masked",
        "p.sex",
        "p.birth_date",
        "p.retirement_category",
        "p.death_date",
        eb
          .selectFrom("ledger_spells as s")
          .select("s.kind")
          .whereRef("s.person_id", "=", "p.id")
          .where("s.ended_on", "is", null)
          .where("s.voided", "=", false)
          .orderBy("s.kind")
          .limit(1)
          .as("open_spell"),
      ])
      .where("m.household_id", "in", householdIds)
      .orderBy(sql`m.relation = 'head'`, "desc")
      .orderBy("m.joined_on")
      .orderBy("m.id")
      .execute();
  },

  /** Persons among `ids` inside the region subtree. */
  personsInScope(db: Executor, prefix: string, ids: string[]) {
    return db
      .selectFrom("persons")
      .select("persons.id")
      .where("persons.id", "in", ids)
      .where(inPersonScope({ kind: "region", prefix }))
      .execute();
  },

  findMembership(db: Executor, householdId: string, memberId: string) {
    return db
      .selectFrom("household_members")
      .selectAll()
      .where("household_id", "=", householdId)
      .where("id", "=", memberId)
      .executeTakeFirst();
  },

  leave(db: Executor, memberId: string, leftOn: string) {
    return db
      .updateTable("household_members")
      .set({ left_on: leftOn })
      .where("id", "=", memberId)
      .where("left_on", "is", null)
      .executeTakeFirst();
  },

  currentHouseholdOf(db: Executor, personId: string) {
    return db
      .selectFrom("household_members")
      .select("household_id")
      .where("person_id", "=", personId)
      .where("left_on", "is", null)
      .executeTakeFirst();
  },

  regionExists(db: Executor, code: string) {
    return db.selectFrom("regions").select("code").where("code", "=", code).executeTakeFirst();
  },
};
