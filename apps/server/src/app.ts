import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import fastifyCookie from "@fastify/cookie";
import fastifyRateLimit from "@fastify/rate-limit";
import fastifyStatic from "@fastify/static";
import fastifySwagger from "@fastify/swagger";
import fastifySwaggerUi from "@fastify/swagger-ui";
import fastifyUnderPressure from "@fastify/under-pressure";
import type { Database } from "@jiuye/db";
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyRequest } from "fastify";
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from "fastify-type-provider-zod";
import type { Kysely } from "kysely";
import type { Logger } from "pino";
import type { Config } from "./config.ts";
import { AppError, problemBody } from "./errors/catalogue.ts";
import { registerErrorHandling } from "./errors/error-handler.ts";
import type { Clock } from "./lib/executor.ts";
import { createFieldCipher } from "./lib/field-cipher.ts";
import { createLogger } from "./lib/logger.ts";
import { securityHeaders } from "./lib/security-headers.ts";
import { auditRoutes } from "./modules/audit/audit.routes.ts";
import { createAuditService } from "./modules/audit/audit.service.ts";
import { authRoutes } from "./modules/auth/auth.routes.ts";
import { createAuthService } from "./modules/auth/auth.service.ts";
import { checksRoutes } from "./modules/checks/checks.routes.ts";
import { employersRoutes } from "./modules/employers/employers.routes.ts";
import { createEmployersService } from "./modules/employers/employers.service.ts";
import { externalRoutes } from "./modules/external/external.routes.ts";
import { createExternalService } from "./modules/external/external.service.ts";
import { householdsRoutes } from "./modules/households/households.routes.ts";
import { createHouseholdsService } from "./modules/households/households.service.ts";
import { importsRoutes } from "./modules/imports/imports.routes.ts";
import { createImportsService } from "./modules/imports/imports.service.ts";
import { jobFairsRoutes } from "./modules/job-fairs/job-fairs.routes.ts";
import { createJobFairsService } from "./modules/job-fairs/job-fairs.service.ts";
import { ledgerRoutes } from "./modules/ledger/ledger.routes.ts";
import { createLedgerService } from "./modules/ledger/ledger.service.ts";
import { createLedgerRegisterService } from "./modules/ledger/ledger-register.service.ts";
import { marketRoutes } from "./modules/market/market.routes.ts";
import { createMarketService } from "./modules/market/market.service.ts";
import { overviewRoutes } from "./modules/overview/overview.routes.ts";
import { createOverviewService } from "./modules/overview/overview.service.ts";
import { personsRoutes } from "./modules/persons/persons.routes.ts";
import { createPersonsService } from "./modules/persons/persons.service.ts";
import { createPolicyCatalogue } from "./modules/policies/catalogue.ts";
import { policiesRoutes } from "./modules/policies/policies.routes.ts";
import { createPoliciesService } from "./modules/policies/policies.service.ts";
import { createOccupationsService } from "./modules/postings/occupations.service.ts";
import { postingsRoutes } from "./modules/postings/postings.routes.ts";
import { createPostingsService } from "./modules/postings/postings.service.ts";
import { createSearchIndex } from "./modules/postings/search-index.ts";
import { createReferralsService } from "./modules/referrals/referrals.service.ts";
import { regionsRoutes } from "./modules/regions/regions.routes.ts";
import { createRegionsService } from "./modules/regions/regions.service.ts";
import { createMatchIndexLoader } from "./modules/seekers/match-index.ts";
import { seekersRoutes } from "./modules/seekers/seekers.routes.ts";
import { createSeekersService } from "./modules/seekers/seekers.service.ts";
import { systemRoutes } from "./modules/system/system.routes.ts";
import { usersRoutes } from "./modules/users/users.routes.ts";
import { createUsersService } from "./modules/users/users.service.ts";
import { registerAuth, SESSION_COOKIE } from "./plugins/auth.ts";
import { registerIdempotency } from "./plugins/idempotency.ts";
import { registerInputHygiene } from "./plugins/input-hygiene.ts";

export interface AppDeps {
  db: Kysely<Database>;
  config: Config;
  clock?: Clock;
  logger?: Logger;
  /** Sees every response before it is sent (the test suite's masking scanner). */
  observeResponse?: (req: FastifyRequest, payload: unknown) => void;
}

const here = dirname(fileURLToPath(import.meta.url));
export const DEFAULT_WEB_DIST = resolve(here, "../../web/dist");

/** Content-Security-Policy the web app satisfies (antd injects styles at run time). */
const CSP = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", "data:"],
  fontSrc: ["'self'", "data:"],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

/** The composition root: builds every service once and wires the HTTP layer around them. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { db, config } = deps;
  const clock = deps.clock ?? (() => new Date());
  const app = Fastify({
    loggerInstance: (deps.logger ?? createLogger(config.logLevel)) as FastifyBaseLogger,
    bodyLimit: config.bodyLimitBytes,
    genReqId: () => randomUUID(),
    return503OnClosing: true,
    forceCloseConnections: "idle",
    routerOptions: { ignoreTrailingSlash: true },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  const cipher = createFieldCipher(config.secretKey);
  const audit = createAuditService({ clock });
  const auth = createAuthService({
    db,
    audit,
    cipher,
    clock,
    limits: {
      staffIdleMs: config.sessionIdleMs,
      staffAbsoluteMs: config.sessionMaxMs,
      publicIdleMs: 2 * config.sessionIdleMs,
      publicAbsoluteMs: 2 * config.sessionMaxMs,
    },
  });
  const users = createUsersService({ db, audit, clock, sessions: auth });
  const regions = createRegionsService({ db });
  const persons = createPersonsService({ db, audit, cipher, clock, revealPurposes: config.revealPurposes });
  const overview = createOverviewService({ db, clock });
  const ledger = createLedgerService({ db, audit, clock });
  const ledgerRegister = createLedgerRegisterService({ db, audit, cipher, revealPurposes: config.revealPurposes });
  const employers = createEmployersService({ db, audit, cipher, clock });
  const households = createHouseholdsService({ db, audit, clock });
  // Built by the server after it starts listening (server.ts); until then searches use SQL.
  const searchIndex = createSearchIndex(db);
  const postings = createPostingsService({ db, audit, clock, confirmDays: config.postingConfirmDays, searchIndex });
  const occupations = createOccupationsService({ db, audit });
  const market = createMarketService({ db, clock });
  const fairs = createJobFairsService({ db, audit, clock, confirmDays: config.postingConfirmDays });
  // Loaded by the server after it starts listening (server.ts); until then recommendations use SQL.
  const matchIndex = createMatchIndexLoader(db);
  postings.onChange(async (id) => {
    await Promise.all([
      matchIndex.isLoaded() &&
        matchIndex.refreshPosting(id).catch((e) => app.log.error({ err: String(e) }, "match index refresh failed")),
      searchIndex.isLoaded() &&
        searchIndex.refresh(id).catch((e) => app.log.error({ err: String(e) }, "search index refresh failed")),
    ]);
  });
  const seekers = createSeekersService({ db, audit, clock, confirmDays: config.postingConfirmDays, matchIndex });
  const referrals = createReferralsService({ db, audit, clock, ledger });
  const catalogue = createPolicyCatalogue(db);
  const policies = createPoliciesService({ db, audit, clock, catalogue, noticeDays: config.noticeDays });
  const external = createExternalService({ db, audit, cipher, clock });
  const imports = createImportsService({
    db,
    audit,
    cipher,
    clock,
    dataDir: config.dataDir,
    maxUnzippedBytes: config.importMaxUnzippedBytes,
    ledger,
    onError: (jobId, e) => app.log.error({ err: e, jobId }, "import job failed"),
  });

  registerErrorHandling(app);
  // Shutdown drain: once `beginDrain()` is called, new requests are answered 503 + Retry-After with
  // `Connection: close` (not reset), while requests already running finish normally.
  let draining = false;
  app.decorate("imports", imports);
  app.decorate("postings", postings);
  app.decorate("matchIndex", matchIndex);
  app.decorate("searchIndex", searchIndex);
  app.decorate("policyCatalogue", catalogue);
  app.decorate("policies", policies);
  app.decorate("beginDrain", () => {
    draining = true;
  });
  app.addHook("onRequest", async (_req, reply) => {
    if (!draining) return;
    reply.header("connection", "close").header("retry-after", "5");
    return reply
      .status(503)
      .type("application/problem+json; charset=utf-8")
      .send(problemBody("OVERLOADED", "服务正在重启，请稍后再试"));
  });
  const observe = deps.observeResponse;
  if (observe) app.addHook("onSend", async (req, _reply, payload) => observe(req, payload));
  await app.register(fastifyCookie);
  const headers = securityHeaders({ contentSecurityPolicy: { directives: CSP }, crossOriginEmbedderPolicy: false });
  app.addHook("onRequest", async (_req, reply) => {
    reply.headers(headers);
  });
  await app.register(fastifyUnderPressure, {
    maxEventLoopDelay: 1000,
    retryAfter: 10,
    pressureHandler: (_req, reply) => {
      reply
        .status(503)
        .header("retry-after", "10")
        .type("application/problem+json; charset=utf-8")
        .send(problemBody("OVERLOADED"));
    },
  });
  await app.register(fastifyRateLimit, {
    global: config.rateLimitPerMinute > 0,
    max: Math.max(config.rateLimitPerMinute, 1),
    timeWindow: 60_000,
    keyGenerator: (req) => req.cookies?.[SESSION_COOKIE] ?? req.ip,
    errorResponseBuilder: () => new AppError("RATE_LIMITED"),
  });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Jiuye 就业促进服务平台 API",
        version: "0.1.0",
        description: "所有接口位于 /api/v1；错误以 application/problem+json 返回。",
      },
      components: { securitySchemes: { session: { type: "apiKey", in: "cookie", name: SESSION_COOKIE } } },
      security: [{ session: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(fastifySwaggerUi, { routePrefix: "/api/docs", staticCSP: true });
  registerAuth(app, auth);
  registerInputHygiene(app);
  registerIdempotency(app, { db, clock });

  await app.register(
    async (v1) => {
      await v1.register(systemRoutes());
      await v1.register(
        authRoutes({ auth, cookieSecure: config.cookieSecure, loginRateLimit: config.loginRateLimitPerMinute }),
      );
      await v1.register(usersRoutes(users));
      await v1.register(auditRoutes({ db, audit }));
      await v1.register(regionsRoutes(regions));
      await v1.register(personsRoutes({ persons, revealPurposes: config.revealPurposes }));
      await v1.register(overviewRoutes(overview));
      await v1.register(checksRoutes({ db, clock }));
      await v1.register(ledgerRoutes(ledger, ledgerRegister));
      await v1.register(employersRoutes({ employers }));
      await v1.register(householdsRoutes({ households }));
      await v1.register(postingsRoutes({ postings, occupations }));
      await v1.register(seekersRoutes({ seekers, referrals }));
      await v1.register(marketRoutes({ market }));
      await v1.register(jobFairsRoutes({ fairs }));
      await v1.register(policiesRoutes({ policies }));
      await v1.register(externalRoutes({ external }));
      await v1.register(importsRoutes({ imports, dataDir: config.dataDir, maxBytes: config.importMaxBytes, clock }));
    },
    { prefix: "/api/v1" },
  );
  app.get("/api/openapi.json", { schema: { hide: true } }, async () => app.swagger());

  const webDist = config.webDist ?? DEFAULT_WEB_DIST;
  const hasWeb = existsSync(resolve(webDist, "index.html"));
  if (hasWeb) await app.register(fastifyStatic, { root: webDist, wildcard: false, index: false });
  app.setNotFoundHandler((req, reply) => {
    if (req.method === "GET" && !req.url.startsWith("/api/")) {
      if (hasWeb) return reply.header("cache-control", "no-cache").sendFile("index.html");
      return reply.type("text/plain; charset=utf-8").send("Jiuye: web app not built (npm run build:web)");
    }
    return reply.status(404).type("application/problem+json; charset=utf-8").send(problemBody("ROUTE_NOT_FOUND"));
  });
  return app as unknown as FastifyInstance;
}
