import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp, type TestSession } from "../../testing/harness.ts";

let t: TestApp;
let worker: TestSession;
let outsider: TestSession;

const unemployed = (id: string) =>
  t.request(worker, {
    method: "POST",
    url: `/api/v1/persons/${id}/ledger`,
    payload: { type: "unemployment", date: "2026-11-02", ableAndWilling: true },
  });

beforeAll(async () => {
  t = await createTestApp();
  worker = await t.signIn("case_worker", { regionCode: "320102003" });
  outsider = await t.signIn("case_worker", { regionCode: "320104" });
});
afterAll(async () => {
  expect(t.maskingViolations).toEqual([]);
  await t.close();
});

describe("家庭 and 零就业家庭", () => {
  it("registers a household; it is a 零就业家庭 exactly while every working-age member is registered unemployed", async () => {
    const father = await t.createPerson({ birthDate: "1975-03-01", name: "王父" });
    const mother = await t.createPerson({ birthDate: "1977-05-01", sex: "female", name: "王母" });
    const grandpa = await t.createPerson({ birthDate: "1950-01-01", name: "王爷爷" });
    const res = await t.request(worker, {
      method: "POST",
      url: "/api/v1/households",
      payload: {
        regionCode: "320102003001",
        address: "新街口某小区",
        members: [
          { personId: father.id, relation: "head", joinedOn: "2000-01-01" },
          { personId: mother.id, relation: "spouse", joinedOn: "2000-01-01" },
          { personId: grandpa.id, relation: "parent", joinedOn: "2000-01-01" },
        ],
      },
    });
    expect(res.statusCode).toBe(201);
    const h = res.json();
    const byPerson = (x: { members: Array<{ personId: string; workingAge: boolean; status: string }> }) =>
      Object.fromEntries(x.members.map((m) => [m.personId, m]));
    expect(h.members[0].personId).toBe(father.id);
    expect(byPerson(h)[mother.id]!.workingAge).toBe(true);
    expect(byPerson(h)[grandpa.id]!.workingAge).toBe(false);
    expect(h.zeroEmployment).toBe(false);

    expect((await unemployed(father.id)).statusCode).toBe(201);
    const half = (await t.request(worker, { method: "GET", url: `/api/v1/households/${h.id}` })).json();
    expect(half.zeroEmployment).toBe(false);
    expect((await unemployed(mother.id)).statusCode).toBe(201);
    const zero = (await t.request(worker, { method: "GET", url: `/api/v1/persons/${mother.id}/household` })).json();
    expect(zero.id).toBe(h.id);
    expect(zero.zeroEmployment).toBe(true);
    expect(byPerson(zero)[father.id]!.status).toBe("unemployed");
    expect(byPerson(zero)[grandpa.id]!.status).toBe("none");

    const employed = await t.request(worker, {
      method: "POST",
      url: `/api/v1/persons/${mother.id}/ledger`,
      payload: {
        type: "employment",
        date: "2026-11-20",
        form: "flexible",
      },
    });
    expect(employed.statusCode, employed.body).toBe(201);
    expect((await t.request(worker, { method: "GET", url: `/api/v1/households/${h.id}` })).json().zeroEmployment).toBe(
      false,
    );
  });

  it("keeps a person in one household at a time and a household with one head; refuses without writing", async () => {
    const a = await t.createPerson({ birthDate: "1980-01-01" });
    const b = await t.createPerson({ birthDate: "1982-01-01", sex: "female" });
    const first = await t.request(worker, {
      method: "POST",
      url: "/api/v1/households",
      payload: { regionCode: "320102003001", members: [{ personId: a.id, relation: "head", joinedOn: "2010-01-01" }] },
    });
    expect(first.statusCode).toBe(201);
    const count = async () =>
      (await sql<{ n: number }>`select count(*)::int as n from household_members`.execute(t.db)).rows[0]!.n;
    const before = await count();
    const again = await t.request(worker, {
      method: "POST",
      url: "/api/v1/households",
      payload: {
        regionCode: "320102003001",
        members: [
          { personId: b.id, relation: "head", joinedOn: "2010-01-01" },
          { personId: a.id, relation: "spouse", joinedOn: "2010-01-01" },
        ],
      },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe("HOUSEHOLD_MEMBER_CONFLICT");
    const secondHead = await t.request(worker, {
      method: "POST",
      url: `/api/v1/households/${first.json().id}/members`,
      payload: { personId: b.id, relation: "head", joinedOn: "2012-01-01" },
    });
    expect(secondHead.statusCode).toBe(409);
    const noHead = await t.request(worker, {
      method: "POST",
      url: "/api/v1/households",
      payload: { regionCode: "320102003001", members: [{ personId: b.id, relation: "child", joinedOn: "2010-01-01" }] },
    });
    expect(noHead.statusCode).toBe(400);
    expect(noHead.json().errors[0]).toMatchObject({ field: "members", code: "ONE_HEAD" });
    expect(await count()).toBe(before);

    const spouse = await t.request(worker, {
      method: "POST",
      url: `/api/v1/households/${first.json().id}/members`,
      payload: { personId: b.id, relation: "spouse", joinedOn: "2012-01-01" },
    });
    expect(spouse.statusCode).toBe(200);
    const memberId = spouse.json().members.find((m: { personId: string }) => m.personId === b.id).id;
    const left = await t.request(worker, {
      method: "POST",
      url: `/api/v1/households/${first.json().id}/members/${memberId}/leave`,
      payload: { leftOn: "2020-06-30" },
    });
    expect(left.json().members.find((m: { id: string }) => m.id === memberId).leftOn).toBe("2020-06-30");
    // having left, b may found a household of her own
    const own = await t.request(worker, {
      method: "POST",
      url: "/api/v1/households",
      payload: { regionCode: "320102003001", members: [{ personId: b.id, relation: "head", joinedOn: "2020-07-01" }] },
    });
    expect(own.statusCode).toBe(201);
  });

  it("answers 404 for households and persons outside the case worker's region", async () => {
    const p = await t.createPerson({ birthDate: "1985-01-01" });
    const h = (
      await t.request(worker, {
        method: "POST",
        url: "/api/v1/households",
        payload: {
          regionCode: "320102003001",
          members: [{ personId: p.id, relation: "head", joinedOn: "2010-01-01" }],
        },
      })
    ).json();
    expect((await t.request(outsider, { method: "GET", url: `/api/v1/households/${h.id}` })).statusCode).toBe(404);
    expect((await t.request(outsider, { method: "GET", url: `/api/v1/persons/${p.id}/household` })).statusCode).toBe(
      404,
    );
    const list = (await t.request(outsider, { method: "GET", url: "/api/v1/households" })).json();
    expect(list.items.map((x: { id: string }) => x.id)).not.toContain(h.id);
    const foreign = await t.request(outsider, {
      method: "POST",
      url: "/api/v1/households",
      payload: { regionCode: "320104001", members: [{ personId: p.id, relation: "head", joinedOn: "2010-01-01" }] },
    });
    expect(foreign.statusCode).toBe(404);
  });
});
