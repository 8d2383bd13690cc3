import { randomUUID } from "node:crypto";
import type { Role } from "@jiuye/domain";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp, type TestSession } from "./testing/harness.ts";

let t: TestApp;
const sessions = {} as Record<Role, TestSession>;
const ROLES: Role[] = ["admin", "auditor", "analyst", "case_worker", "employer", "individual"];
type Allowed = "public" | "all" | Role[];

/**
 * The role × route matrix, written out by hand: a new route fails this test until it is added
 * here, and every route is exercised for every role and for an anonymous caller.
 */
const MATRIX: Record<string, Allowed> = {
  "GET /api/v1/health": "public",
  "POST /api/v1/auth/login": "public",
  "POST /api/v1/auth/logout": "all",
  "GET /api/v1/me": "all",
  "POST /api/v1/account/password": "all",
  "POST /api/v1/account/totp/setup": "all",
  "POST /api/v1/account/totp/enable": "all",
  "GET /api/v1/users": ["admin"],
  "POST /api/v1/users": ["admin"],
  "GET /api/v1/users/{id}": ["admin"],
  "PATCH /api/v1/users/{id}": ["admin"],
  "POST /api/v1/users/{id}/reset-password": ["admin"],
  "POST /api/v1/users/{id}/reset-totp": ["admin"],
  "GET /api/v1/audit": ["auditor"],
  "POST /api/v1/audit/verify": ["auditor"],
  "GET /api/v1/regions": "all",
  "GET /api/v1/regions/search": "all",
  "GET /api/v1/regions/{code}": "all",
  "GET /api/v1/persons": ["case_worker"],
  "POST /api/v1/persons": ["case_worker"],
  "GET /api/v1/persons/{id}": ["case_worker", "individual"],
  "POST /api/v1/persons/{id}/reveal": ["case_worker", "individual"],
  "GET /api/v1/reveal-purposes": ["case_worker", "individual"],
  "GET /api/v1/overview": "all",
  "POST /api/v1/checks/id-number": ["admin", "analyst", "case_worker", "employer"],
  "POST /api/v1/checks/credit-code": ["admin", "analyst", "case_worker", "employer"],
  "POST /api/v1/checks/retirement": ["admin", "analyst", "case_worker", "employer"],
  "GET /api/v1/persons/{id}/ledger": ["case_worker", "individual"],
  "PATCH /api/v1/persons/{id}": ["case_worker"],
  "GET /api/v1/persons/{id}/attributes": ["case_worker", "individual"],
  "POST /api/v1/persons/{id}/attributes": ["case_worker"],
  "POST /api/v1/persons/{id}/ledger": ["case_worker"],
  "GET /api/v1/industries": "all",
  "GET /api/v1/employers": ["case_worker", "employer"],
  "GET /api/v1/employers/export": ["case_worker"],
  "POST /api/v1/employers": ["case_worker"],
  "GET /api/v1/employers/{id}": ["case_worker", "employer"],
  "PATCH /api/v1/employers/{id}": ["case_worker", "employer"],
  "POST /api/v1/employers/{id}/accounts": ["case_worker"],
  "GET /api/v1/households": ["case_worker"],
  "POST /api/v1/households": ["case_worker"],
  "GET /api/v1/households/{id}": ["case_worker"],
  "POST /api/v1/households/{id}/members": ["case_worker"],
  "POST /api/v1/households/{id}/members/{memberId}/leave": ["case_worker"],
  "GET /api/v1/persons/{id}/household": ["case_worker"],
  "GET /api/v1/imports/templates/{kind}": ["case_worker"],
  "POST /api/v1/imports": ["case_worker"],
  "GET /api/v1/imports": ["case_worker"],
  "GET /api/v1/imports/{id}": ["case_worker"],
  "POST /api/v1/imports/{id}/commit": ["case_worker"],
  "GET /api/v1/imports/{id}/report": ["case_worker"],
  "GET /api/v1/occupations": "public",
  "POST /api/v1/occupations/import": ["admin"],
  "GET /api/v1/minimum-wages": "public",
  "POST /api/v1/minimum-wages": ["admin"],
  "GET /api/v1/jobs/search": "public",
  "GET /api/v1/jobs/{id}": "public",
  "POST /api/v1/jobs/{id}/report": "all",
  "POST /api/v1/postings/screen": ["case_worker", "employer"],
  "GET /api/v1/postings": ["case_worker", "employer"],
  "POST /api/v1/postings": ["case_worker", "employer"],
  "GET /api/v1/postings/{id}": ["case_worker", "employer"],
  "PATCH /api/v1/postings/{id}": ["case_worker", "employer"],
  "POST /api/v1/postings/{id}/submit": ["case_worker", "employer"],
  "POST /api/v1/postings/{id}/confirm": ["case_worker", "employer"],
  "POST /api/v1/postings/{id}/withdraw": ["case_worker", "employer"],
  "POST /api/v1/postings/{id}/fill": ["case_worker", "employer"],
  "GET /api/v1/posting-reviews": ["case_worker"],
  "GET /api/v1/market/vacancy-ratio": ["case_worker", "analyst"],
  "GET /api/v1/market/wages": ["case_worker", "analyst"],
  "GET /api/v1/market/export": ["case_worker", "analyst"],
  "GET /api/v1/public/job-fairs": "public",
  "GET /api/v1/public/job-fairs/{id}": "public",
  "GET /api/v1/job-fairs": ["case_worker"],
  "POST /api/v1/job-fairs": ["case_worker"],
  "POST /api/v1/job-fairs/{id}/status": ["case_worker"],
  "POST /api/v1/job-fairs/{id}/postings": ["employer", "case_worker"],
  "POST /api/v1/job-fairs/{id}/registrations": ["individual"],
  "POST /api/v1/job-fairs/{id}/applications": ["individual"],
  "GET /api/v1/job-fairs/{id}/applications": ["case_worker"],
  "PATCH /api/v1/job-fairs/{id}/applications/{applicationId}": ["case_worker"],
  "POST /api/v1/seekers": ["case_worker", "individual"],
  "GET /api/v1/seekers/{id}": ["case_worker", "individual"],
  "PATCH /api/v1/seekers/{id}": ["case_worker", "individual"],
  "GET /api/v1/persons/{id}/seeker": ["case_worker", "individual"],
  "GET /api/v1/seekers/{id}/recommendations": ["case_worker", "individual"],
  "GET /api/v1/postings/{id}/candidates": ["case_worker", "employer"],
  "POST /api/v1/seekers/{id}/feedback": ["case_worker", "individual"],
  "POST /api/v1/referrals": ["case_worker"],
  "GET /api/v1/seekers/{id}/referrals": ["case_worker"],
  "PATCH /api/v1/referrals/{id}": ["case_worker"],
  "POST /api/v1/referrals/{id}/employment": ["case_worker"],
  "POST /api/v1/posting-reviews/{id}/decide": ["case_worker"],
  "GET /api/v1/persons/export": ["case_worker"],
  "POST /api/v1/persons/export": ["case_worker"],
  "GET /api/v1/ledger": ["case_worker"],
  "GET /api/v1/ledger/export": ["case_worker"],
  "POST /api/v1/ledger/export": ["case_worker"],
  "POST /api/v1/external/{kind}": ["case_worker"],
  "GET /api/v1/persons/{id}/external": ["case_worker", "individual"],
  "GET /api/v1/public/policies": "public",
  "POST /api/v1/policies/evaluate": ["admin", "analyst", "case_worker"],
  "POST /api/v1/me/policy-check": ["individual", "employer"],
  "GET /api/v1/me/messages": ["individual", "employer"],
  "POST /api/v1/me/messages/{id}/read": ["individual", "employer"],
  "GET /api/v1/me/payments": ["individual", "employer"],
  "GET /api/v1/policy-sweeps": ["case_worker"],
  "POST /api/v1/policy-sweeps": ["case_worker"],
  "GET /api/v1/policy-sweeps/{id}": ["case_worker"],
  "GET /api/v1/policy-sweeps/{id}/candidates": ["case_worker"],
  "GET /api/v1/policy-sweeps/{id}/candidates/{candidateId}": ["case_worker"],
  "POST /api/v1/policy-sweeps/{id}/decisions": ["case_worker"],
  "POST /api/v1/policy-sweeps/{id}/notice": ["case_worker"],
  "POST /api/v1/policy-sweeps/{id}/objections/{objectionId}/resolve": ["case_worker"],
  "POST /api/v1/policy-sweeps/{id}/finalise": ["case_worker"],
  "POST /api/v1/me/policy-applications": ["individual", "employer"],
  "GET /api/v1/me/policy-applications": ["individual", "employer"],
  "GET /api/v1/policy-applications": ["case_worker"],
  "POST /api/v1/policy-applications/{id}/decide": ["case_worker"],
  "GET /api/v1/policy-versions": ["admin", "auditor"],
  "POST /api/v1/policy-versions": ["admin"],
  "POST /api/v1/policy-versions/{id}/decide": ["admin"],
  "GET /api/v1/public/notices/{id}": "public",
  "GET /api/v1/policy-schedules": ["case_worker"],
  "POST /api/v1/policy-schedules": ["case_worker"],
  "POST /api/v1/policy-schedules/{id}/stop": ["case_worker"],
  "POST /api/v1/notices/{id}/objections": "all",
};

function concreteUrl(path: string): string {
  return path
    .replace("{id}", randomUUID())
    .replace("{memberId}", randomUUID())
    .replace("{applicationId}", randomUUID())
    .replace("{candidateId}", randomUUID())
    .replace("{objectionId}", randomUUID())
    .replace("{code}", "3201")
    .replace("{kind}", path.includes("/external/") ? "dibao" : "persons");
}

beforeAll(async () => {
  t = await createTestApp();
  for (const r of ROLES) sessions[r] = await t.signIn(r);
});
afterAll(async () => {
  expect(t.maskingViolations).toEqual([]);
  await t.close();
});

describe("role × route access matrix", () => {
  it("lists every route of the OpenAPI document, and nothing else", async () => {
    const doc = (await t.request(null, { method: "GET", url: "/api/openapi.json" })).json();
    const routes = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(routes.sort()).toEqual(Object.keys(MATRIX).sort());
  });

  const entries = Object.entries(MATRIX).sort(([a], [b]) =>
    a.includes("logout") ? 1 : b.includes("logout") ? -1 : a.localeCompare(b),
  );
  for (const [route, allowed] of entries) {
    it(route, async () => {
      const [method, path] = route.split(" ") as [string, string];
      const anon = await t.request(null, { method, url: concreteUrl(path), remoteAddress: "10.77.0.1" });
      if (allowed === "public") expect(anon.statusCode).not.toBe(401);
      else {
        expect(anon.statusCode).toBe(401);
        expect(anon.json().code).toBe("AUTH_REQUIRED");
      }
      for (const role of ROLES) {
        if (route.includes("logout")) sessions[role] = await t.signIn(role); // logout ends the shared session
        const res = await t.request(sessions[role], {
          method,
          url: concreteUrl(path),
          payload: method === "GET" ? undefined : {},
        });
        const mayCall = allowed === "public" || allowed === "all" || allowed.includes(role);
        if (mayCall)
          expect([401, 403], `${role} ${route} → ${res.statusCode} ${res.body}`).not.toContain(res.statusCode);
        else {
          expect(res.statusCode, `${role} ${route}`).toBe(403);
          expect(res.json().code).toBe("FORBIDDEN");
        }
      }
    });
  }
});

describe("problem+json for bad input, with nothing written", () => {
  beforeAll(async () => {
    sessions.case_worker = await t.signIn("case_worker");
  });
  const count = async () =>
    (await sql<{ n: number }>`select (select count(*) from persons) + (select count(*) from users) as n`.execute(t.db))
      .rows[0]!.n;

  it("malformed JSON → 400 MALFORMED_JSON", async () => {
    const before = await count();
    const res = await t.request(sessions.case_worker, {
      method: "POST",
      url: "/api/v1/persons",
      payload: "{not json",
      headers: { "content-type": "application/json" },
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({
      type: expect.any(String),
      title: "请求体不是有效的 JSON",
      status: 400,
      code: "MALFORMED_JSON",
    });
    expect(await count()).toBe(before);
  });

  it("unknown fields and wrong types → 400 with one error per field", async () => {
    const before = await count();
    const res = await t.request(sessions.case_worker, {
      method: "POST",
      url: "/api/v1/persons",
      payload: { name: 42, idNumber: "x", residenceRegionCode: "320102003", role: "admin" },
    });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.code).toBe("VALIDATION_FAILED");
    expect(body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: "role", code: "UNKNOWN_FIELD" }),
        expect.objectContaining({ field: "name", code: "INVALID_TYPE" }),
      ]),
    );
    for (const e of body.errors) expect(e.message).toMatch(/[\u4e00-\u9fff]/);
    expect(await count()).toBe(before);
  });

  it("bad query and path parameters → 400 naming them", async () => {
    const q = await t.request(sessions.case_worker, {
      method: "GET",
      url: "/api/v1/persons?pageSize=100000&sort=name",
    });
    expect(q.statusCode).toBe(400);
    expect(
      q
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(["querystring.pageSize", "querystring.sort"]);
    const p = await t.request(sessions.case_worker, { method: "GET", url: "/api/v1/persons/1" });
    expect(p.statusCode).toBe(400);
    expect(p.json().errors[0].field).toBe("params.id");
  });

  it("an oversized body → 413", async () => {
    const res = await t.request(sessions.case_worker, {
      method: "POST",
      url: "/api/v1/persons",
      payload: { name: "x".repeat(2_000_000), idNumber: "1", residenceRegionCode: "320102003" },
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().code).toBe("PAYLOAD_TOO_LARGE");
  });

  it("an unsupported content type → 415", async () => {
    const res = await t.request(sessions.case_worker, {
      method: "POST",
      url: "/api/v1/persons",
      payload: "name=x",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(res.statusCode).toBe(415);
    expect(res.json().code).toBe("UNSUPPORTED_MEDIA_TYPE");
  });

  it("an unknown API route → 404 problem, while other paths serve the web app", async () => {
    const res = await t.request(null, { method: "GET", url: "/api/v1/nope" });
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe("ROUTE_NOT_FOUND");
  });

  it("a small corpus of hostile inputs never produces a 5xx", async () => {
    const hostile = [
      "' OR 1=1 --",
      "<script>alert(1)</script>",
      "\u0000\u0001\u0002",
      "𠀀".repeat(60),
      "9".repeat(400),
      "../../etc/passwd",
      "%00",
      "{{7*7}}",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a Log4Shell probe, literally
      "${jndi:ldap://x}",
      "-1e309",
    ];
    for (const h of hostile) {
      for (const r of [
        { method: "GET", url: `/api/v1/persons?q=${encodeURIComponent(h)}` },
        { method: "GET", url: `/api/v1/persons?idNumber=${encodeURIComponent(h)}` },
        { method: "GET", url: `/api/v1/regions/search?q=${encodeURIComponent(h)}` },
        { method: "GET", url: `/api/v1/persons/${encodeURIComponent(h)}` },
        { method: "POST", url: "/api/v1/persons", payload: { name: h, idNumber: h, residenceRegionCode: h } },
        {
          method: "POST",
          url: "/api/v1/auth/login",
          payload: { username: h, password: h },
          remoteAddress: "10.99.0.1",
        },
      ]) {
        const res = await t.request(r.url.includes("login") ? null : sessions.case_worker, r as never);
        expect(res.statusCode, `${r.method} ${r.url}`).toBeLessThan(500);
      }
    }
  });
});

describe("logs", () => {
  it("carry request and actor ids but never ID numbers, phones, passwords or tokens", async () => {
    const idNumber = "11010519491231002X";
    const phone = "13812345678";
    t.logLines.length = 0;
    await t.request(sessions.case_worker, {
      method: "GET",
      url: `/api/v1/persons?idNumber=${idNumber}&phone=${phone}`,
    });
    await t.request(sessions.case_worker, { method: "GET", url: `/api/v1/persons/${idNumber}` });
    await t.request(null, {
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { username: idNumber, password: "Sup3r-Secret-Pass!" },
      remoteAddress: "10.66.0.1",
    });
    const all = t.logLines.join("\n");
    expect(t.logLines.length).toBeGreaterThan(3);
    expect(all).not.toContain(idNumber);
    expect(all).not.toContain(phone);
    expect(all).not.toContain("Sup3r-Secret-Pass!");
    expect(all).not.toContain(sessions.case_worker.cookie.split("=")[1]);
    expect(all).not.toContain(sessions.case_worker.csrf);
    expect(all).toContain("110***********002X");
    const withActor = t.logLines.map((l) => JSON.parse(l)).filter((l) => l.actorId === sessions.case_worker.userId);
    expect(withActor.length).toBeGreaterThan(0);
    expect(withActor.every((l) => typeof l.reqId === "string")).toBe(true);
  });
});

describe("headers and documents", () => {
  it("sets security headers with a CSP the web app satisfies", async () => {
    const res = await t.request(null, { method: "GET", url: "/" });
    expect(res.headers["content-security-policy"]).toContain("default-src 'self'");
    expect(res.headers["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    expect(res.headers["strict-transport-security"]).toBeDefined();
    // on API answers and refusals alike (computed once at start, set on every reply)
    for (const url of ["/api/v1/health", "/api/v1/persons"]) {
      const api = await t.request(null, { method: "GET", url });
      expect(api.headers["content-security-policy"], url).toContain("frame-ancestors 'none'");
      expect(api.headers["x-frame-options"], url).toBe("SAMEORIGIN");
      expect(api.headers["referrer-policy"], url).toBe("no-referrer");
      expect(api.headers["x-powered-by"], url).toBeUndefined();
    }
  });

  it("publishes an OpenAPI 3.1 document generated from the request schemas, and its reference page", async () => {
    const doc = (await t.request(null, { method: "GET", url: "/api/openapi.json" })).json();
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths).every((p: string) => p.startsWith("/api/v1/"))).toBe(true);
    const body = doc.paths["/api/v1/persons"].post.requestBody.content["application/json"].schema;
    expect(body.additionalProperties).toBe(false);
    expect(body.required).toEqual(expect.arrayContaining(["name", "idNumber", "residenceRegionCode"]));
    const ui = await t.request(null, { method: "GET", url: "/api/docs/" });
    expect(ui.statusCode).toBe(200);
    expect(ui.headers["content-type"]).toMatch(/text\/html/);
  });
});
