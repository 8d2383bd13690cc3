import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp, type TestSession } from "../../testing/harness.ts";

let t: TestApp;
let cityAdmin: TestSession;
let districtAdmin: TestSession;

function login(username: string, password: string) {
  return t.request(null, {
    method: "POST",
    url: "/api/v1/auth/login",
    payload: { username, password },
    remoteAddress: "10.5.5.5",
  });
}
function sessionOf(res: Awaited<ReturnType<typeof login>>): TestSession {
  return {
    cookie: String(res.headers["set-cookie"]).split(";")[0]!,
    csrf: res.json().csrfToken,
    userId: res.json().id,
    role: res.json().role,
  };
}

beforeAll(async () => {
  t = await createTestApp();
  cityAdmin = await t.signIn("admin", { regionCode: "3201" });
  districtAdmin = await t.signIn("admin", { regionCode: "320102" });
});
afterAll(async () => {
  expect(t.maskingViolations).toEqual([]);
  await t.close();
});

describe("user management", () => {
  it("creates a case worker with a temporary password that must be changed at first login", async () => {
    const res = await t.request(cityAdmin, {
      method: "POST",
      url: "/api/v1/users",
      payload: { username: "li.na", displayName: "李娜", role: "case_worker", regionCode: "320102003" },
    });
    expect(res.statusCode).toBe(201);
    const { user, temporaryPassword } = res.json();
    expect(user).toMatchObject({
      username: "li.na",
      role: "case_worker",
      regionCode: "320102003",
      regionName: "新街口街道",
      mustChangePassword: true,
    });
    const first = await login("li.na", temporaryPassword);
    expect(first.statusCode).toBe(200);
    const s = sessionOf(first);
    const blocked = await t.request(s, { method: "GET", url: "/api/v1/overview" });
    expect(blocked.json().code).toBe("PASSWORD_CHANGE_REQUIRED");
    const changed = await t.request(s, {
      method: "POST",
      url: "/api/v1/account/password",
      payload: { currentPassword: temporaryPassword, newPassword: "Lina-Works-2026" },
    });
    expect(changed.statusCode).toBe(200);
    expect((await t.request(s, { method: "GET", url: "/api/v1/overview" })).statusCode).toBe(200);
  });

  it("refuses duplicates, unknown regions, regions outside the admin's scope and weak passwords — writing nothing", async () => {
    const count = async () => (await sql<{ n: number }>`select count(*)::int as n from users`.execute(t.db)).rows[0]!.n;
    const before = await count();
    const dup = await t.request(cityAdmin, {
      method: "POST",
      url: "/api/v1/users",
      payload: { username: "LI.NA", displayName: "重复", role: "case_worker", regionCode: "3201" },
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().errors[0]).toMatchObject({ field: "username", code: "USERNAME_TAKEN" });
    const unknown = await t.request(cityAdmin, {
      method: "POST",
      url: "/api/v1/users",
      payload: { username: "xx1", displayName: "x", role: "case_worker", regionCode: "320199999" },
    });
    expect(unknown.json().code).toBe("REGION_UNKNOWN");
    const outside = await t.request(districtAdmin, {
      method: "POST",
      url: "/api/v1/users",
      payload: { username: "xx2", displayName: "x", role: "case_worker", regionCode: "320104" },
    });
    expect(outside.statusCode).toBe(422);
    expect(outside.json().code).toBe("REGION_OUT_OF_SCOPE");
    const weak = await t.request(cityAdmin, {
      method: "POST",
      url: "/api/v1/users",
      payload: { username: "xx3", displayName: "x", role: "analyst", regionCode: "3201", password: "password1234" },
    });
    expect(weak.json().code).toBe("PASSWORD_WEAK");
    const employer = await t.request(cityAdmin, {
      method: "POST",
      url: "/api/v1/users",
      payload: { username: "xx4", displayName: "x", role: "employer", regionCode: "3201" },
    });
    expect(employer.statusCode).toBe(400);
    expect(await count()).toBe(before);
  });

  it("a district admin does not see users of another district (404, empty list)", async () => {
    const created = await t.request(cityAdmin, {
      method: "POST",
      url: "/api/v1/users",
      payload: { username: "qh.worker", displayName: "秦淮经办", role: "case_worker", regionCode: "320104" },
    });
    const id = created.json().user.id;
    expect((await t.request(districtAdmin, { method: "GET", url: `/api/v1/users/${id}` })).statusCode).toBe(404);
    expect(
      (await t.request(districtAdmin, { method: "PATCH", url: `/api/v1/users/${id}`, payload: { disabled: true } }))
        .statusCode,
    ).toBe(404);
    expect(
      (await t.request(districtAdmin, { method: "POST", url: `/api/v1/users/${id}/reset-password` })).statusCode,
    ).toBe(404);
    const list = await t.request(districtAdmin, { method: "GET", url: "/api/v1/users?q=qh.worker" });
    expect(list.json().total).toBe(0);
    expect((await t.request(cityAdmin, { method: "GET", url: "/api/v1/users?q=qh.worker" })).json().total).toBe(1);
    expect((await t.request(cityAdmin, { method: "GET", url: `/api/v1/users/${randomUUID()}` })).statusCode).toBe(404);
  });

  it("disabling ends the user's sessions and refuses their login; a reset unlocks with a new temporary password", async () => {
    const created = await t.request(cityAdmin, {
      method: "POST",
      url: "/api/v1/users",
      payload: {
        username: "to.disable",
        displayName: "停用测试",
        role: "analyst",
        regionCode: "3201",
        password: "Analyst-Pass-2026",
      },
    });
    const id = created.json().user.id;
    const s = sessionOf(await login("to.disable", "Analyst-Pass-2026"));
    await t.request(s, {
      method: "POST",
      url: "/api/v1/account/password",
      payload: { currentPassword: "Analyst-Pass-2026", newPassword: "Analyst-Pass-2027" },
    });
    const off = await t.request(cityAdmin, {
      method: "PATCH",
      url: `/api/v1/users/${id}`,
      payload: { disabled: true },
    });
    expect(off.json().disabled).toBe(true);
    expect((await t.request(s, { method: "GET", url: "/api/v1/me" })).statusCode).toBe(401);
    expect((await login("to.disable", "Analyst-Pass-2027")).json().code).toBe("ACCOUNT_DISABLED");
    await t.request(cityAdmin, { method: "PATCH", url: `/api/v1/users/${id}`, payload: { disabled: false } });
    const reset = await t.request(cityAdmin, { method: "POST", url: `/api/v1/users/${id}/reset-password` });
    const again = await login("to.disable", reset.json().temporaryPassword);
    expect(again.statusCode).toBe(200);
    expect(again.json().mustChangePassword).toBe(true);
  });

  it("an admin cannot disable themselves", async () => {
    const res = await t.request(cityAdmin, {
      method: "PATCH",
      url: `/api/v1/users/${cityAdmin.userId}`,
      payload: { disabled: true },
    });
    expect(res.json().code).toBe("SELF_MODIFICATION");
  });

  it("every change is audited", async () => {
    const actions = (
      await t.db.selectFrom("audit_log").select("action").where("actor_id", "=", cityAdmin.userId).execute()
    ).map((r) => r.action);
    expect(actions).toEqual(
      expect.arrayContaining(["user.create", "user.disable", "user.enable", "user.reset_password"]),
    );
  });
});

describe("session cache coherence", () => {
  it("a disabled user's next request fails at once, even right after a cached success", async () => {
    const created = await t.request(cityAdmin, {
      method: "POST",
      url: "/api/v1/users",
      payload: {
        username: "cache.check",
        displayName: "缓存",
        role: "analyst",
        regionCode: "3201",
        password: "Cache-Check-2026",
      },
    });
    const s = sessionOf(await login("cache.check", "Cache-Check-2026"));
    // warm the cache: the first request reads the session, the next ones may reuse it
    expect((await t.request(s, { method: "GET", url: "/api/v1/me" })).statusCode).toBe(200);
    expect((await t.request(s, { method: "GET", url: "/api/v1/me" })).statusCode).toBe(200);
    await t.request(cityAdmin, {
      method: "PATCH",
      url: `/api/v1/users/${created.json().user.id}`,
      payload: { disabled: true },
    });
    expect((await t.request(s, { method: "GET", url: "/api/v1/me" })).statusCode).toBe(401);
  });
});
