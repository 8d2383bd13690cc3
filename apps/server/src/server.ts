import {
  ensureServerDatabase,
  importRegions,
  listenForNotifications,
  loadChinaDivision,
  migrateToLatest,
  openDatabase,
} from "@jiuye/db";
import { checkPasswordStrength } from "@jiuye/domain";
import type { FastifyInstance } from "fastify";
import { buildApp } from "./app.ts";
import { type Config, ensureSecretKey } from "./config.ts";
import { createFieldCipher } from "./lib/field-cipher.ts";
import { SEAL_WINDOW } from "./modules/audit/audit.repository.ts";
import { createAuditService } from "./modules/audit/audit.service.ts";
import type { ImportsService } from "./modules/imports/imports.service.ts";
import type { PolicyCatalogue } from "./modules/policies/catalogue.ts";
import { dispatchOutbox, inAppSender, unconfiguredSmsSender } from "./modules/policies/outbox.ts";
import type { PoliciesService } from "./modules/policies/policies.service.ts";
import type { PostingsService } from "./modules/postings/postings.service.ts";
import type { SearchIndex } from "./modules/postings/search-index.ts";
import type { MatchIndexLoader } from "./modules/seekers/match-index.ts";
import { isDemoSeeded, seedDemoCity } from "./seed/demo-city.ts";
import { insertUser } from "./seed/factories.ts";

export interface StartOptions {
  demo?: boolean;
  onProgress?: (step: string, done: number, total: number) => void;
  log?: (line: string) => void;
}

/** Opens (and if needed creates) the database and brings its schema up to date. */
export async function openMigratedDatabase(config: Config) {
  if (config.databaseUrl) await ensureServerDatabase(config.databaseUrl);
  const handle = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: config.dbPoolSize,
    onIdleClientError: (err) =>
      process.stderr.write(
        `${JSON.stringify({ level: 40, msg: "idle database connection lost; it will be replaced", err: err.message })}\n`,
      ),
  });
  await migrateToLatest(handle.db);
  return handle;
}

/**
 * Creates the first administrator from JIUYE_ADMIN_USER / JIUYE_ADMIN_PASSWORD when no
 * administrator exists (the Keycloak / Grafana convention). Returns the username created.
 */
export async function bootstrapAdmin(
  db: Awaited<ReturnType<typeof openMigratedDatabase>>["db"],
  config: Config,
): Promise<string | null> {
  if (!config.admin) return null;
  const existing = await db.selectFrom("users").select("id").where("role", "=", "admin").executeTakeFirst();
  if (existing) return null;
  const problems = checkPasswordStrength(config.admin.password, config.admin.username);
  if (problems.length) throw new Error(`JIUYE_ADMIN_PASSWORD: ${problems.map((p) => p.message).join("；")}`);
  await insertUser(db, createFieldCipher(config.secretKey), {
    username: config.admin.username,
    displayName: "系统管理员",
    role: "admin",
    regionCode: config.admin.regionCode ?? null,
    password: config.admin.password,
  });
  return config.admin.username;
}

/** Starts the platform: migrate, optionally seed the demo city, serve, drain on SIGTERM. */
export async function startServer(
  rawConfig: Config,
  options: StartOptions = {},
): Promise<{ app: FastifyInstance; url: string; stop: () => Promise<void> }> {
  const config = ensureSecretKey(rawConfig);
  const log = options.log ?? ((l: string) => process.stdout.write(`${l}\n`));
  const handle = await openMigratedDatabase(config);
  if (options.demo && !(await isDemoSeeded(handle.db))) {
    log("首次启动：正在写入演示城市（南京市）数据……");
    const r = await seedDemoCity(handle.db, createFieldCipher(config.secretKey), { onProgress: options.onProgress });
    log(`已写入 ${r.regions} 个行政区划、${r.persons} 名劳动者。`);
  }
  if (!(await handle.db.selectFrom("regions").select("code").limit(1).executeTakeFirst())) {
    log("首次启动：正在导入全国省、市、县、街道行政区划……");
    await importRegions(handle.db, loadChinaDivision(), (d, t) => options.onProgress?.("行政区划", d, t));
  }
  const created = await bootstrapAdmin(handle.db, config);
  if (created) log(`已创建首个管理员账号：${created}（首次登录须绑定动态口令）`);
  const app = await buildApp({ db: handle.db, config });
  // Policies in force: the shipped catalogue with the approved versions from the database.
  await (app as unknown as { policyCatalogue: PolicyCatalogue }).policyCatalogue.refresh();
  // Seal committed audit rows into the hash chain every second.
  const audit = createAuditService({ clock: () => new Date() });
  // Each tick looks a short way back for late commits; every 600th (10 min) sweeps the whole table
  // (an anti-join of the log and the chain: hundreds of ms per million rows, so not every minute).
  let tick = 0;
  const sealer = setInterval(() => {
    const window = ++tick % 600 === 0 ? SEAL_WINDOW.wide : SEAL_WINDOW.tick;
    audit.seal(handle.db, window).catch((e) => app.log.error({ err: String(e) }, "audit sealing failed"));
  }, 1000);
  sealer.unref();
  // Published postings not re-confirmed in time expire (no ghost postings).
  const expirer = setInterval(() => {
    (app as unknown as { postings: PostingsService }).postings
      .expireDue()
      .catch((e) => app.log.error({ err: String(e) }, "posting expiry failed"));
  }, 60_000);
  expirer.unref();
  // The notification outbox: in-app messages are delivered, SMS waits for a configured gateway.
  const dispatcher = setInterval(() => {
    dispatchOutbox(handle.db, [inAppSender, unconfiguredSmsSender]).catch((e) =>
      app.log.error({ err: String(e) }, "outbox dispatch failed"),
    );
  }, 5_000);
  dispatcher.unref();
  // 定期比对: sweeps case workers scheduled for a day of the month
  const scheduler = setInterval(() => {
    (app as unknown as { policies: PoliciesService }).policies
      .runDueSchedules()
      .catch((e) => app.log.error({ err: String(e) }, "scheduled sweeps failed"));
  }, 5 * 60_000);
  scheduler.unref();
  // The in-process search index: built in the background; changes in this process are applied at
  // once, those of other processes within a second (issue: visible to search within 1 s): polled
  // twice a second.
  const searchIndex = (app as unknown as { searchIndex: SearchIndex }).searchIndex;
  const searchStarted = performance.now();
  const searchLoaded = (
    config.searchIndex ? searchIndex.loadAll() : Promise.reject(new Error("JIUYE_SEARCH_INDEX=off"))
  )
    .then(() =>
      app.log.info(
        { ms: Math.round(performance.now() - searchStarted), ...searchIndex.stats() },
        "search index loaded",
      ),
    )
    .catch((e) =>
      config.searchIndex
        ? app.log.error({ err: String(e) }, "search index load failed")
        : app.log.info("search index off: searches use PostgreSQL full-text search"),
    );
  // The in-process recommendation index: built in the background after the search index (building
  // both at once kept the garbage of both loads at the peak), then kept fresh by polling.
  const matchIndex = (app as unknown as { matchIndex: MatchIndexLoader }).matchIndex;
  let indexStarted = 0;
  searchLoaded
    .then(() => {
      indexStarted = performance.now();
      return matchIndex.loadAll();
    })
    .then(() =>
      app.log.info(
        {
          ms: Math.round(performance.now() - indexStarted),
          postings: matchIndex.index.postingCount,
          seekers: matchIndex.index.seekerCount,
        },
        "match index loaded",
      ),
    )
    .catch((e) => app.log.error({ err: String(e) }, "match index load failed"));
  const poller = setInterval(() => {
    matchIndex.poll().catch((e) => app.log.error({ err: String(e) }, "match index poll failed"));
  }, 30_000);
  poller.unref();
  // one poll at a time; a request for another while one runs is kept and served right after it
  let polling = false;
  let pollAgain = false;
  const pollSearch = () => {
    if (polling) {
      pollAgain = true;
      return;
    }
    polling = true;
    searchIndex
      .poll()
      .catch((e) => app.log.error({ err: String(e) }, "search index poll failed"))
      .finally(() => {
        polling = false;
        if (pollAgain) {
          pollAgain = false;
          pollSearch();
        }
      });
  };
  const searchPoller = setInterval(pollSearch, 500);
  // On a PostgreSQL server, a statement changing postings notifies (migration postings_notify):
  // the poll runs at once. The 500 ms tick stays as the fallback (and is all the embedded engine,
  // which has no other process, needs).
  const unlisten =
    config.searchIndex && handle.engine === "server" && config.databaseUrl
      ? listenForNotifications(config.databaseUrl, "jiuye_postings", pollSearch, (e) =>
          app.log.warn({ err: String(e) }, "postings notifications lost; reconnecting (polling continues)"),
        )
      : null;
  searchPoller.unref();
  await app.listen({ port: config.port, host: config.host });
  // Roster imports interrupted by a crash or restart continue where they stopped.
  const resumed = await (app as unknown as { imports: ImportsService }).imports.resumeUnfinished();
  if (resumed) app.log.info({ resumed }, "resuming interrupted roster imports");
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  const url = `http://localhost:${port}`;
  let stopping: Promise<void> | null = null;
  const stop = () => {
    stopping ??= (async () => {
      // First answer newcomers 503 for a grace period (load balancers notice), then stop
      // listening and wait for in-flight requests before closing the database.
      (app as unknown as { beginDrain: () => void }).beginDrain();
      await new Promise((r) => setTimeout(r, config.shutdownGraceMs));
      await app.close();
      clearInterval(sealer);
      clearInterval(expirer);
      clearInterval(dispatcher);
      clearInterval(scheduler);
      clearInterval(poller);
      clearInterval(searchPoller);
      await unlisten?.();
      await audit.seal(handle.db).catch(() => 0);
      await handle.close();
    })();
    return stopping;
  };
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      app.log.info({ signal }, "shutting down");
      stop().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  }
  return { app, url, stop };
}
