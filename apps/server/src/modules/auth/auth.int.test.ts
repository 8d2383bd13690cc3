import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertUser, newTotpSecret } from "../../seed/factories.ts";
import { createTestApp, TEST_PASSWORD, type TestApp } from "../../testing/harness.ts";
import { totpCodeAt } from "./auth.service.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  expect(t.maskingViolations).toEqual([]);
  await t.close();
});

async function makeUser(role: "case_worker" | "admin", username: string, totp?: string) {
  await insertUser(t.db, t.cipher, { username, role, regionCode: "3201", password: TEST_PASSWORD, totpSecret: totp });
}

function login(username: string, password: string, ip: string, totpCode?: string) {
  return t.request(null, {
    method: "POST",
    url: "/api/v1/auth/login",
    payload: { username, password, ...(totpCode ? { totpCode } : {}) },
    remoteAddress: ip,
  });
}

describe("login", () => {
  it("signs in with a httpOnly SameSite=Strict cookie and answers /me", async () => {
    await makeUser("case_worker", "cw_login");
    const res = await login("cw_login", TEST_PASSWORD, "10.1.0.1");
    expect(res.statusCode).toBe(200);
    const cookie = String(res.headers["set-cookie"]);
    expect(cookie).toMatch(/jiuye_sid=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    const me = await t.request(null, { method: "GET", url: "/api/v1/me", headers: { cookie: cookie.split(";")[0]! } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({
      username: "cw_login",
      role: "case_worker",
      regionCode: "3201",
      regionName: "南京市",
    });
  });

  it("answers 401 with a problem+json body for a wrong password", async () => {
    const res = await login("cw_login", "Wrong-password-1", "10.1.0.2");
    expect(res.statusCode).toBe(401);
    expect(res.headers["content-type"]).toMatch(/application\/problem\+json/);
    expect(res.json()).toMatchObject({ status: 401, code: "INVALID_CREDENTIALS", title: "用户名或密码错误" });
  });

  it("locks the account for 15 minutes after 5 failures, even for the right password", async () => {
    await makeUser("case_worker", "cw_lock");
    for (let i = 0; i < 4; i++)
      expect((await login("cw_lock", "Wrong-password-1", "10.1.1.1")).json().code).toBe("INVALID_CREDENTIALS");
    expect((await login("cw_lock", "Wrong-password-1", "10.1.1.1")).json().code).toBe("ACCOUNT_LOCKED");
    expect((await login("cw_lock", TEST_PASSWORD, "10.1.1.2")).json().code).toBe("ACCOUNT_LOCKED");
    t.clock.advance(14 * 60_000);
    expect((await login("cw_lock", TEST_PASSWORD, "10.1.1.3")).json().code).toBe("ACCOUNT_LOCKED");
    t.clock.advance(60_000 + 1);
    expect((await login("cw_lock", TEST_PASSWORD, "10.1.1.4")).statusCode).toBe(200);
  });

  it("answers 429 with Retry-After after 20 login attempts a minute from one address", async () => {
    const codes: number[] = [];
    for (let i = 0; i < 22; i++) codes.push((await login(`nobody${i}`, "Wrong-password-1", "10.1.2.1")).statusCode);
    expect(codes.slice(0, 20).every((c) => c === 401)).toBe(true);
    expect(codes.slice(20)).toEqual([429, 429]);
    const limited = await login("nobody", "x", "10.1.2.1");
    expect(limited.json().code).toBe("RATE_LIMITED");
    expect(limited.headers["retry-after"]).toBeDefined();
    // another address is not affected
    expect((await login("nobody", "Wrong-password-1", "10.1.2.2")).statusCode).toBe(401);
  });

  it("requires the TOTP code when the second factor is enabled", async () => {
    const secret = newTotpSecret();
    await makeUser("admin", "admin_totp", secret);
    expect((await login("admin_totp", TEST_PASSWORD, "10.1.3.1")).json().code).toBe("TOTP_REQUIRED");
    expect((await login("admin_totp", TEST_PASSWORD, "10.1.3.1", "000000")).json().code).toMatch(
      /TOTP_INVALID|ACCOUNT_LOCKED/,
    );
    const ok = await login("admin_totp", TEST_PASSWORD, "10.1.3.1", totpCodeAt(secret, t.clock.now()));
    expect(ok.statusCode).toBe(200);
  });

  it("makes an admin without a second factor enrol one before anything else", async () => {
    await makeUser("admin", "admin_nototp");
    const res = await login("admin_nototp", TEST_PASSWORD, "10.1.4.1");
    expect(res.statusCode).toBe(200);
    const session = { cookie: String(res.headers["set-cookie"]).split(";")[0]!, csrf: res.json().csrfToken };
    const blocked = await t.request(session as never, { method: "GET", url: "/api/v1/users" });
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().code).toBe("TOTP_SETUP_REQUIRED");
    const setup = await t.request(session as never, { method: "POST", url: "/api/v1/account/totp/setup" });
    expect(setup.statusCode).toBe(200);
    const { secret, otpauthUri } = setup.json();
    expect(otpauthUri).toMatch(/^otpauth:\/\/totp\//);
    const wrong = await t.request(session as never, {
      method: "POST",
      url: "/api/v1/account/totp/enable",
      payload: { code: "123456" },
    });
    expect(wrong.statusCode).toBe(401);
    const enable = await t.request(session as never, {
      method: "POST",
      url: "/api/v1/account/totp/enable",
      payload: { code: totpCodeAt(secret, t.clock.now()) },
    });
    expect(enable.statusCode).toBe(200);
    // the session is re-read per request, so the gate opens at once
    expect((await t.request(session as never, { method: "GET", url: "/api/v1/users" })).statusCode).toBe(200);
  });
});

describe("sessions", () => {
  it("ends a staff session after 15 idle minutes (injected clock)", async () => {
    const s = await t.signIn("case_worker");
    t.clock.advance(14 * 60_000);
    expect((await t.request(s, { method: "GET", url: "/api/v1/me" })).statusCode).toBe(200);
    t.clock.advance(14 * 60_000);
    expect((await t.request(s, { method: "GET", url: "/api/v1/me" })).statusCode).toBe(200);
    t.clock.advance(15 * 60_000);
    const res = await t.request(s, { method: "GET", url: "/api/v1/me" });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe("SESSION_EXPIRED");
    // and the session is gone for good
    expect((await t.request(s, { method: "GET", url: "/api/v1/me" })).json().code).toBe("AUTH_REQUIRED");
  });

  it("ends a staff session after 12 hours however active", async () => {
    const s = await t.signIn("analyst");
    for (let i = 0; i < 12 * 6; i++) {
      t.clock.advance(10 * 60_000);
      const r = await t.request(s, { method: "GET", url: "/api/v1/me" });
      if (i < 12 * 6 - 1) expect(r.statusCode).toBe(200);
      else expect(r.json().code).toBe("SESSION_EXPIRED");
    }
  });

  it("refuses a state-changing request without the CSRF token", async () => {
    const s = await t.signIn("case_worker");
    const res = await t.request({ ...s, csrf: "forged" }, { method: "POST", url: "/api/v1/auth/logout" });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe("CSRF_TOKEN_INVALID");
    expect((await t.request(s, { method: "POST", url: "/api/v1/auth/logout" })).statusCode).toBe(200);
    expect((await t.request(s, { method: "GET", url: "/api/v1/me" })).statusCode).toBe(401);
  });

  it("changes a password under the policy and keeps the current session", async () => {
    const s = await t.signIn("case_worker");
    const weak = await t.request(s, {
      method: "POST",
      url: "/api/v1/account/password",
      payload: { currentPassword: TEST_PASSWORD, newPassword: "short" },
    });
    expect(weak.statusCode).toBe(422);
    expect(weak.json().errors.map((e: { code: string }) => e.code)).toContain("PASSWORD_TOO_SHORT");
    const wrong = await t.request(s, {
      method: "POST",
      url: "/api/v1/account/password",
      payload: { currentPassword: "nope-nope-nope", newPassword: "Another-Good-Pass-7" },
    });
    expect(wrong.json().code).toBe("PASSWORD_WRONG");
    const ok = await t.request(s, {
      method: "POST",
      url: "/api/v1/account/password",
      payload: { currentPassword: TEST_PASSWORD, newPassword: "Another-Good-Pass-7" },
    });
    expect(ok.statusCode).toBe(200);
    expect((await t.request(s, { method: "GET", url: "/api/v1/me" })).statusCode).toBe(200);
  });
});
