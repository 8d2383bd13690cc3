import { randomUUID } from "node:crypto";
import { findUnmaskedIdentifiers } from "@jiuye/domain";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRandom, insertPersons, syntheticPerson } from "../../seed/factories.ts";
import { createTestApp, type TestApp, type TestSession } from "../../testing/harness.ts";

let t: TestApp;
let xinjiekou: TestSession; // 玄武区新街口街道 320102003
let other: TestSession; // 秦淮区 某街道 (320104 subtree)
let city: TestSession;
const people = {
  inXinjiekou: "",
  inQinhuai: "",
  xinjiekouIdNumber: "",
  qinhuaiIdNumber: "",
  qinhuaiPhone: "",
  qinhuaiName: "",
};

beforeAll(async () => {
  t = await createTestApp();
  const rnd = createRandom(7);
  const qinhuaiStreet = (
    await t.db
      .selectFrom("regions")
      .select("code")
      .where("code", "like", "320104%")
      .where("level", "=", 4)
      .orderBy("code")
      .executeTakeFirstOrThrow()
  ).code;
  const a = { ...syntheticPerson(rnd, "320102003001"), name: "新街口居民" };
  const b = {
    ...syntheticPerson(rnd, `${qinhuaiStreet}001`.slice(0, 12)),
    residenceRegionCode: qinhuaiStreet,
    name: "秦淮居民",
  };
  const [idA, idB] = await insertPersons(t.db, t.cipher, [a, b]);
  Object.assign(people, {
    inXinjiekou: idA,
    inQinhuai: idB,
    xinjiekouIdNumber: a.idNumber,
    qinhuaiIdNumber: b.idNumber,
    qinhuaiPhone: b.phone,
    qinhuaiName: b.name,
  });
  xinjiekou = await t.signIn("case_worker", { regionCode: "320102003" });
  other = await t.signIn("case_worker", { regionCode: qinhuaiStreet });
  city = await t.signIn("case_worker", { regionCode: "3201" });
});
afterAll(async () => {
  expect(t.maskingViolations).toEqual([]);
  await t.close();
});

describe("region scope", () => {
  it("a street worker reads a person of their own street, masked", async () => {
    const res = await t.request(xinjiekou, { method: "GET", url: `/api/v1/persons/${people.inXinjiekou}` });
    expect(res.statusCode).toBe(200);
    expect(res.json().idNumberMasked).toBe(
      `${people.xinjiekouIdNumber.slice(0, 3)}***********${people.xinjiekouIdNumber.slice(-4)}`,
    );
    expect(res.body).not.toContain(people.xinjiekouIdNumber);
  });

  it("another street's person answers 404, exactly like an id that does not exist", async () => {
    const foreign = await t.request(xinjiekou, { method: "GET", url: `/api/v1/persons/${people.inQinhuai}` });
    const missing = await t.request(xinjiekou, { method: "GET", url: `/api/v1/persons/${randomUUID()}` });
    expect(foreign.statusCode).toBe(404);
    expect(missing.statusCode).toBe(404);
    expect(foreign.json()).toEqual(missing.json());
    const reveal = await t.request(xinjiekou, {
      method: "POST",
      url: `/api/v1/persons/${people.inQinhuai}/reveal`,
      payload: { field: "idNumber", purpose: "identity_verification" },
    });
    expect(reveal.statusCode).toBe(404);
  });

  it("listing and searching never return another street's people", async () => {
    const list = await t.request(xinjiekou, { method: "GET", url: "/api/v1/persons?pageSize=200" });
    expect(list.json().items.map((p: { id: string }) => p.id)).toEqual([people.inXinjiekou]);
    for (const q of [
      `idNumber=${people.qinhuaiIdNumber}`,
      `phone=${people.qinhuaiPhone}`,
      `q=${encodeURIComponent(people.qinhuaiName)}`,
      "regionCode=320104",
    ]) {
      const res = await t.request(xinjiekou, { method: "GET", url: `/api/v1/persons?${q}` });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ items: [], total: 0 });
    }
    // the owner of that street finds the same person by the same exact ID number
    const own = await t.request(other, { method: "GET", url: `/api/v1/persons?idNumber=${people.qinhuaiIdNumber}` });
    expect(own.json().items.map((p: { id: string }) => p.id)).toEqual([people.inQinhuai]);
    expect(own.json().total).toBe(1);
    const byPhone = await t.request(other, { method: "GET", url: `/api/v1/persons?phone=${people.qinhuaiPhone}` });
    expect(byPhone.json().items.map((p: { id: string }) => p.id)).toEqual([people.inQinhuai]);
    const page2 = await t.request(other, {
      method: "GET",
      url: `/api/v1/persons?idNumber=${people.qinhuaiIdNumber}&page=2`,
    });
    expect(page2.json()).toMatchObject({ items: [], total: 1, page: 2 });
    // and the city worker sees both
    const all = (await t.request(city, { method: "GET", url: "/api/v1/persons?pageSize=200" })).json();
    expect(all).toMatchObject({ total: 2, totalCapped: false });
    // the count stops at its cap and says so; the page is the same
    const { personsRepository } = await import("./persons.repository.ts");
    const scope = { kind: "region", prefix: "3201" } as const;
    const exact = await personsRepository.search(t.db, scope, {}, 1, 200, 2);
    const capped = await personsRepository.search(t.db, scope, {}, 1, 200, 1);
    expect(exact).toMatchObject({ total: 2, capped: false });
    expect(capped).toMatchObject({ total: 1, capped: true });
    expect(capped.rows.map((r) => r.id)).toEqual(exact.rows.map((r) => r.id));
  });

  it("an individual sees only their own record", async () => {
    const self = await t.signIn("individual", { personId: people.inXinjiekou });
    expect((await t.request(self, { method: "GET", url: `/api/v1/persons/${people.inXinjiekou}` })).statusCode).toBe(
      200,
    );
    expect((await t.request(self, { method: "GET", url: `/api/v1/persons/${people.inQinhuai}` })).statusCode).toBe(404);
    expect((await t.request(self, { method: "GET", url: "/api/v1/persons" })).statusCode).toBe(403);
  });

  it("no plain ID number is stored in any column", async () => {
    const dump = await sql<{ row: string }>`select row_to_json(p)::text as row from persons p`.execute(t.db);
    for (const r of dump.rows) {
      expect(r.row).not.toContain(people.xinjiekouIdNumber);
      expect(r.row).not.toContain(people.qinhuaiIdNumber);
      expect(findUnmaskedIdentifiers(r.row)).toEqual([]);
    }
  });
});

describe("reveal", () => {
  it("requires a purpose from the configured list and then writes exactly one audit row", async () => {
    const before = await t.auditCount();
    const none = await t.request(xinjiekou, {
      method: "POST",
      url: `/api/v1/persons/${people.inXinjiekou}/reveal`,
      payload: { field: "idNumber" },
    });
    expect(none.statusCode).toBe(400);
    expect(none.json().errors[0]).toMatchObject({ field: "purpose" });
    const unknown = await t.request(xinjiekou, {
      method: "POST",
      url: `/api/v1/persons/${people.inXinjiekou}/reveal`,
      payload: { field: "idNumber", purpose: "curiosity" },
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().code).toBe("REVEAL_PURPOSE_UNKNOWN");
    expect(await t.auditCount()).toBe(before);

    const ok = await t.request(xinjiekou, {
      method: "POST",
      url: `/api/v1/persons/${people.inXinjiekou}/reveal`,
      payload: { field: "idNumber", purpose: "identity_verification" },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().value).toBe(people.xinjiekouIdNumber);
    expect(ok.headers["cache-control"]).toBe("no-store");
    // the scanner used on every other response does catch this one
    expect(findUnmaskedIdentifiers(ok.body).map((f) => f.kind)).toEqual(["id_number"]);
    expect(await t.auditCount()).toBe(before + 1);
    const row = await t.db
      .selectFrom("audit_log")
      .selectAll()
      .orderBy("seq", "desc")
      .limit(1)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      action: "person.reveal",
      subject_id: people.inXinjiekou,
      purpose: "identity_verification",
      actor_id: xinjiekou.userId,
      fields: ["idNumber"],
    });
  });

  it("reveals == audit rows over a mixed sequence of valid and invalid requests", async () => {
    const rnd = createRandom(99);
    const before = await t.auditCount("person.reveal");
    let succeeded = 0;
    for (let i = 0; i < 30; i++) {
      const purpose = rnd.pick(["identity_verification", "contact_service", "bogus", ""]);
      const field = rnd.pick(["idNumber", "phone", "name"]);
      const target = rnd.pick([people.inXinjiekou, people.inQinhuai]);
      const res = await t.request(xinjiekou, {
        method: "POST",
        url: `/api/v1/persons/${target}/reveal`,
        payload: { field, purpose },
      });
      if (res.statusCode === 200) succeeded++;
      else expect([400, 404]).toContain(res.statusCode);
    }
    expect(succeeded).toBeGreaterThan(0);
    expect(await t.auditCount("person.reveal")).toBe(before + succeeded);
  });
});

describe("reads and writes are audited", () => {
  it("a read of a person record writes who, what and from where", async () => {
    const before = await t.auditCount("person.read");
    await t.request(city, { method: "GET", url: `/api/v1/persons/${people.inQinhuai}`, remoteAddress: "10.20.30.40" });
    expect(await t.auditCount("person.read")).toBe(before + 1);
    const row = await t.db
      .selectFrom("audit_log")
      .selectAll()
      .where("action", "=", "person.read")
      .orderBy("seq", "desc")
      .limit(1)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      actor_id: city.userId,
      actor_role: "case_worker",
      ip: "10.20.30.40",
      subject_id: people.inQinhuai,
      outcome: "ok",
    });
    expect(row.request_id).toBeTruthy();
  });

  it("if the audit write fails, the request fails and returns no data", async () => {
    await sql`create function fail_person_read() returns trigger language plpgsql as $$
      begin if new.action = 'person.read' then raise exception 'audit store unavailable'; end if; return new; end $$`.execute(
      t.db,
    );
    await sql`create trigger fail_person_read before insert on audit_log for each row execute function fail_person_read()`.execute(
      t.db,
    );
    try {
      const res = await t.request(city, { method: "GET", url: `/api/v1/persons/${people.inQinhuai}` });
      expect(res.statusCode).toBe(500);
      expect(res.json().code).toBe("INTERNAL");
      expect(res.body).not.toContain(people.qinhuaiName);
    } finally {
      await sql`drop trigger fail_person_read on audit_log`.execute(t.db);
      await sql`drop function fail_person_read()`.execute(t.db);
    }
  });
});

describe("creating a person", () => {
  it("refuses a bad ID number with a field error and writes nothing", async () => {
    const count = async () =>
      (await sql<{ n: number }>`select count(*)::int as n from persons`.execute(t.db)).rows[0]!.n;
    const before = await count();
    const res = await t.request(xinjiekou, {
      method: "POST",
      url: "/api/v1/persons",
      payload: { name: "测试", idNumber: "110101199003070001", residenceRegionCode: "320102003" },
    });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({
      code: "ID_NUMBER_INVALID",
      errors: [{ field: "idNumber", code: "ID_NUMBER_CHECKSUM" }],
    });
    const outside = await t.request(xinjiekou, {
      method: "POST",
      url: "/api/v1/persons",
      payload: { name: "测试", idNumber: "11010119900307002X", residenceRegionCode: "320104001" },
    });
    expect(outside.statusCode).toBe(422);
    expect(outside.json().code).toBe("REGION_OUT_OF_SCOPE");
    expect(await count()).toBe(before);
  });

  it("50 simultaneous identical registrations create exactly one person", async () => {
    const payload = { name: "并发测试", idNumber: "32010219850612001X", residenceRegionCode: "320102003" };
    // the checksum of this number is computed, not assumed
    const { idNumberCheckChar } = await import("@jiuye/domain");
    payload.idNumber = payload.idNumber.slice(0, 17) + idNumberCheckChar(payload.idNumber.slice(0, 17));
    const results = await Promise.all(
      Array.from({ length: 50 }, () => t.request(xinjiekou, { method: "POST", url: "/api/v1/persons", payload })),
    );
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes.filter((c) => c === 201)).toHaveLength(1);
    expect(codes.filter((c) => c === 409)).toHaveLength(49);
    expect(results.find((r) => r.statusCode === 409)!.json().code).toBe("PERSON_EXISTS");
  });
});
