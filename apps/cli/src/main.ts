import { createWriteStream, existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { basename, resolve } from "node:path";
import { createInterface } from "node:readline/promises";
import { finished } from "node:stream/promises";
import { EvaluateBodySchema, type ImportJobDto } from "@jiuye/contracts";
import { importRegions, loadChinaDivision } from "@jiuye/db";
import {
  checkPasswordStrength,
  creditCodeCheck,
  idNumberCheck,
  ROLES,
  retirementCheck,
  shanghaiDate,
} from "@jiuye/domain";
import {
  AppError,
  buildApp,
  ConfigError,
  caseWorkerActor,
  createAuditService,
  createFieldCipher,
  createImportsService,
  createLedgerService,
  createPolicyCatalogue,
  DEMO_ACCOUNTS,
  DEMO_CITY,
  DEMO_PASSWORD,
  ensureSecretKey,
  evaluateWhatIf,
  insertUser,
  loadConfig,
  openMigratedDatabase,
  presentImportJob,
  SCALES,
  seedDemoCity,
  seedJobMarket,
  seedPopulation,
  startServer,
} from "@jiuye/server";
import { SingleBar } from "cli-progress";
import { Command } from "commander";
import { sql } from "kysely";

function config() {
  try {
    return ensureSecretKey(loadConfig(process.env));
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
}

function progress() {
  let bar: SingleBar | null = null;
  let current = "";
  return {
    update(step: string, done: number, total: number) {
      if (!process.stdout.isTTY) return;
      if (step !== current) {
        bar?.stop();
        current = step;
        bar = new SingleBar({ format: `${step} [{bar}] {value}/{total}`, hideCursor: true });
        bar.start(total, 0);
      }
      bar?.update(done);
      if (done >= total) {
        bar?.stop();
        bar = null;
        current = "";
      }
    },
    stop: () => bar?.stop(),
  };
}

function printDemoAccounts(url: string) {
  const lines = [
    "",
    `就业促进服务平台已启动：${url}`,
    `API 文档：${url}/api/docs`,
    "",
    `演示账号（密码均为 ${DEMO_PASSWORD}）：`,
    ...DEMO_ACCOUNTS.map(
      (a) => `  ${a.username.padEnd(18)} ${a.note}${a.totpSecret ? `，动态口令密钥 ${a.totpSecret}` : ""}`,
    ),
    "",
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
}

const program = new Command().name("jiuye").description("就业促进服务平台 命令行工具").version("0.1.0");

program
  .command("start")
  .description("演示模式：嵌入式数据库（或 DATABASE_URL），首次启动写入演示城市数据，并提供网页")
  .action(async () => {
    const t0 = performance.now();
    const p = progress();
    const { url } = await startServer(config(), { demo: true, onProgress: p.update });
    p.stop();
    printDemoAccounts(url);
    process.stdout.write(`启动耗时 ${Math.round(performance.now() - t0)} ms\n`);
  });

program
  .command("serve")
  .description(
    "生产模式：迁移数据库并提供服务，不写入演示数据（首个管理员取自 JIUYE_ADMIN_USER / JIUYE_ADMIN_PASSWORD）",
  )
  .action(async () => {
    const { url } = await startServer(config(), { demo: false });
    process.stdout.write(`就业促进服务平台已启动：${url}\n`);
  });

program
  .command("migrate")
  .description("将数据库结构升级到最新版本")
  .action(async () => {
    const h = await openMigratedDatabase(config());
    await h.close();
    process.stdout.write("数据库已是最新版本\n");
  });

program
  .command("seed")
  .description("生成合成人口：demo＝演示城市（南京市，含演示账号）；city≈100万人；province≈500万人（仅用于性能测试）")
  .option("--scale <scale>", "demo | city | province", "demo")
  .option("--seed <n>", "随机种子（相同种子生成相同人口）", "20211227")
  .option("--persons <n>", "覆盖该规模的劳动者人数")
  .option("--postings <n>", "同时生成的招聘岗位数（city/province；默认不生成）")
  .option("--seekers <n>", "同时生成的求职登记数（从已生成的劳动者中抽取）")
  .option("--seeker-share <x>", "劳动年龄人口中登记求职的比例（0–1）", "0.35")
  .action(
    async (opts: {
      scale: string;
      seed: string;
      persons?: string;
      postings?: string;
      seekers?: string;
      seekerShare: string;
    }) => {
      if (!(opts.scale in SCALES)) {
        process.stderr.write("--scale 应为 demo、city 或 province\n");
        process.exit(1);
      }
      const scale = opts.scale as keyof typeof SCALES;
      const c = config();
      const h = await openMigratedDatabase(c);
      const p = progress();
      const cipher = createFieldCipher(c.secretKey);
      const persons = opts.persons ? Number(opts.persons) : SCALES[scale].persons;
      const t0 = performance.now();
      if (scale === "demo") {
        const r = await seedDemoCity(h.db, cipher, { persons, seed: Number(opts.seed), onProgress: p.update });
        p.stop();
        process.stdout.write(`已写入 ${r.regions} 个行政区划、${r.persons} 名劳动者及演示账号\n`);
      } else {
        // city: the demo city's communities; province: every community of its province (only missing ones are added)
        const area = scale === "province" ? DEMO_CITY.code.slice(0, 2) : DEMO_CITY.code;
        const existing = await h.db
          .selectFrom("regions")
          .select("code")
          .where("level", "=", 5)
          .where("code", "like", `${area}__%`)
          .limit(1)
          .execute();
        const others = await h.db
          .selectFrom("regions")
          .select("code")
          .where("level", "=", 5)
          .where("code", "not like", `${DEMO_CITY.code}%`)
          .where("code", "like", `${area}%`)
          .limit(1)
          .execute();
        if (existing.length === 0 || (scale === "province" && others.length === 0))
          await importRegions(h.db, loadChinaDivision({ communitiesOf: [area] }), (d, t) => p.update("行政区划", d, t));
        const r = await seedPopulation(h.db, cipher, {
          persons,
          employers: SCALES[scale].employers,
          seed: Number(opts.seed),
          cityCode: area,
          today: shanghaiDate(new Date()),
          onProgress: p.update,
        });
        p.stop();
        process.stdout.write(
          `已生成 ${r.persons} 名劳动者、${r.households} 户家庭、${r.employers} 家用人单位、${r.attributes} 条重点群体属性、${r.ledgerEvents} 条就业失业登记（${((performance.now() - t0) / 1000).toFixed(1)} 秒）\n`,
        );
        if (opts.postings || opts.seekers) {
          const t1 = performance.now();
          // province scale spreads postings over every street of the demo city's province
          const m = await seedJobMarket(h.db, {
            postings: Number(opts.postings ?? 0),
            seekers: Number(opts.seekers ?? 0),
            seed: Number(opts.seed) + 1,
            seekerShare: Number(opts.seekerShare),
            cityCode: scale === "province" ? DEMO_CITY.code.slice(0, 2) : DEMO_CITY.code,
            today: shanghaiDate(new Date()),
            onProgress: p.update,
          });
          p.stop();
          process.stdout.write(
            `已生成 ${m.postings} 个招聘岗位、${m.seekers} 条求职登记（${((performance.now() - t1) / 1000).toFixed(1)} 秒）\n`,
          );
        }
      }
      await h.close();
    },
  );

const regions = program.command("regions").description("行政区划");
regions
  .command("import")
  .description("导入省、市、县、街道区划，并可导入指定前缀的社区/村")
  .option("--communities <prefixes...>", "导入这些区划代码前缀下的社区/村（如 3201 320102）", [])
  .action(async (opts: { communities: string[] }) => {
    const h = await openMigratedDatabase(config());
    const p = progress();
    const rows = loadChinaDivision({ communitiesOf: opts.communities });
    const n = await importRegions(h.db, rows, (d, t) => p.update("行政区划", d, t));
    p.stop();
    await h.close();
    process.stdout.write(`新增 ${n} 个区划（共读取 ${rows.length} 个）\n`);
  });

const admin = program.command("admin").description("管理员账号");
admin
  .command("create")
  .description("创建管理员账号（密码取自 --password-stdin 或 JIUYE_ADMIN_PASSWORD）")
  .requiredOption("--username <name>", "用户名")
  .option("--region <code>", "管辖区划代码（不填为全部）")
  .option("--role <role>", `角色（${ROLES.join("/")}）`, "admin")
  .option("--password-stdin", "从标准输入读取密码")
  .action(async (opts: { username: string; region?: string; role: string; passwordStdin?: boolean }) => {
    const c = config();
    let password = process.env.JIUYE_ADMIN_PASSWORD ?? "";
    if (opts.passwordStdin) password = readFileSync(0, "utf8").trim();
    if (!password && process.stdin.isTTY) {
      const rl = createInterface({ input: process.stdin, output: process.stdout });
      password = (await rl.question("密码：")).trim();
      rl.close();
    }
    const problems = checkPasswordStrength(password, opts.username);
    if (problems.length) {
      process.stderr.write(`密码不符合要求：${problems.map((p) => p.message).join("；")}\n`);
      process.exit(1);
    }
    if (!ROLES.includes(opts.role as never)) {
      process.stderr.write(`未知角色：${opts.role}\n`);
      process.exit(1);
    }
    const h = await openMigratedDatabase(c);
    try {
      if (
        opts.region &&
        !(await h.db.selectFrom("regions").select("code").where("code", "=", opts.region).executeTakeFirst())
      ) {
        process.stderr.write(`区划代码不存在：${opts.region}（可先运行 jiuye regions import）\n`);
        process.exitCode = 1;
        return;
      }
      await insertUser(h.db, createFieldCipher(c.secretKey), {
        username: opts.username,
        role: opts.role as never,
        regionCode: opts.region ?? null,
        password,
        displayName: "系统管理员",
      });
      process.stdout.write(`已创建账号 ${opts.username}（首次登录须绑定动态口令）\n`);
    } finally {
      await h.close();
    }
  });

const importCmd = program.command("import").description("导入花名册（.xlsx 或 .csv，UTF-8/GB18030）");
for (const [kind, label] of [
  ["persons", "劳动者"],
  ["employers", "用人单位"],
  ["ledger", "就业失业登记"],
  ["insurance", "参保记录"],
  ["benefits", "失业保险金领取"],
  ["certificates", "职业技能证书"],
  ["dibao", "低保对象"],
  ["disability", "持证残疾人"],
] as const) {
  importCmd
    .command(`${kind} <file>`)
    .description(`导入${label}花名册：校验、暂存、提交；中断后用同一命令续传，同一文件不会重复导入`)
    .requiredOption("--as <username>", "以哪位经办人员的身份和辖区导入")
    .option("--dry-run", "只校验并生成错误报告，不入库")
    .option("--mode <mode>", "atomic：全部成功才入库；chunked：每1万行一批提交", "atomic")
    .option("--report <file>", "把错误报告（.xlsx，脱敏）写到这个文件")
    .action(async (file: string, opts: { as: string; dryRun?: boolean; mode: string; report?: string }) => {
      if (opts.mode !== "atomic" && opts.mode !== "chunked") {
        process.stderr.write("--mode 应为 atomic 或 chunked\n");
        process.exit(1);
      }
      const path = resolve(file);
      if (!existsSync(path)) {
        process.stderr.write(`文件不存在：${file}\n`);
        process.exit(1);
      }
      const c = config();
      const h = await openMigratedDatabase(c);
      const user = await h.db
        .selectFrom("users")
        .select(["id", "username", "display_name", "role", "region_code", "disabled"])
        .where(sql`lower(username)`, "=", opts.as.toLowerCase())
        .executeTakeFirst();
      if (user?.role !== "case_worker" || !user.region_code || user.disabled) {
        process.stderr.write(`“${opts.as}”不是可用的经办人员账号\n`);
        await h.close();
        process.exit(1);
      }
      const clock = () => new Date();
      const auditService = createAuditService({ clock });
      const imports = createImportsService({
        db: h.db,
        audit: auditService,
        ledger: createLedgerService({ db: h.db, audit: auditService, clock }),
        cipher: createFieldCipher(c.secretKey),
        clock,
        dataDir: c.dataDir,
        maxUnzippedBytes: c.importMaxUnzippedBytes,
        onError: (_id, e) => process.stderr.write(`${String((e as Error)?.stack ?? e)}\n`),
      });
      const actor = caseWorkerActor({
        userId: user.id,
        username: user.username,
        displayName: user.display_name,
        regionCode: user.region_code,
        sessionId: "cli",
      });
      const ctx = {
        actorId: user.id,
        actorRole: "case_worker",
        ip: null,
        requestId: "cli",
        provinceCode: user.region_code.slice(0, 2),
      };
      let started: Awaited<ReturnType<typeof imports.start>>;
      try {
        started = await imports.start(
          actor,
          {
            kind,
            fileName: basename(path),
            path,
            size: statSync(path).size,
            dryRun: !!opts.dryRun,
            mode: opts.mode,
            copy: false,
          },
          ctx,
        );
      } catch (e) {
        const err = e as { detail?: { errors?: Array<{ message: string }> }; message: string };
        process.stderr.write(`${err.detail?.errors?.[0]?.message ?? err.message}\n`);
        await h.close();
        process.exit(1);
      }
      const id = started.job.id;
      if (started.reused) process.stderr.write("该文件此前已导入（或中断），继续原任务，不会重复登记\n");
      const bar = importProgress();
      const timer = setInterval(async () => {
        const j = await imports.get(actor, id).catch(() => null);
        if (j) bar.update(presentImportJob(j, new Date()));
      }, Number(process.env.JIUYE_PROGRESS_INTERVAL_MS) || 500);
      await imports.run(id);
      clearInterval(timer);
      const job = presentImportJob(await imports.get(actor, id), new Date());
      bar.stop(job);
      if (opts.report && job.rejectedRows > 0) {
        const out = createWriteStream(resolve(opts.report));
        await imports.writeReport(actor, id, out, ctx);
        await finished(out);
      }
      await createAuditService({ clock }).seal(h.db);
      await h.close();
      const { id: jobId, status, totalRows, acceptedRows, rejectedRows, committedRows, error } = job;
      process.stdout.write(
        `${JSON.stringify({ id: jobId, status, totalRows, acceptedRows, rejectedRows, committedRows, error }, null, 2)}\n`,
      );
      if (status === "failed") process.exit(1);
    });
}

/** Progress of an import on stderr: a bar on a terminal, a line every few seconds otherwise. */
function importProgress() {
  let bar: SingleBar | null = null;
  let phase = "";
  let lastLine = 0;
  const fmt = (j: ImportJobDto) =>
    `${j.rowsPerSecond ?? "-"} 行/秒，剩余 ${j.etaSeconds === null ? "-" : `${j.etaSeconds} 秒`}`;
  return {
    update(j: ImportJobDto) {
      if (process.stderr.isTTY) {
        if (j.status !== phase) {
          bar?.stop();
          phase = j.status;
          bar = new SingleBar({
            format: `${j.statusLabel} [{bar}] {percentage}% | {rows} 行 | {rate}`,
            hideCursor: true,
            stream: process.stderr,
          });
          bar.start(100, 0, { rows: 0, rate: "" });
        }
        bar?.update(Math.round(j.progress * 100), { rows: j.processedRows, rate: fmt(j) });
      } else if (Date.now() - lastLine >= (Number(process.env.JIUYE_PROGRESS_INTERVAL_MS) || 2000)) {
        lastLine = Date.now();
        process.stderr.write(
          `[import] ${j.status} ${Math.round(j.progress * 100)}% 已处理 ${j.processedRows} 行 已提交 ${j.committedRows} 行 ${fmt(j)}\n`,
        );
      }
    },
    stop(j: ImportJobDto) {
      bar?.stop();
      process.stderr.write(
        `${j.statusLabel}：共 ${j.totalRows} 行，接受 ${j.acceptedRows} 行，拒绝 ${j.rejectedRows} 行，已入库 ${j.committedRows} 行\n`,
      );
    },
  };
}

const audit = program.command("audit").description("审计日志");
audit
  .command("verify")
  .description("校验审计日志哈希链，发现被修改或删除的记录")
  .action(async () => {
    const h = await openMigratedDatabase(config());
    const r = await createAuditService({ clock: () => new Date() }).verify(h.db);
    await h.close();
    process.stdout.write(`${JSON.stringify(r)}\n`);
    if (!r.ok) {
      process.stderr.write(`审计日志哈希链在第 ${r.brokenAtSeq} 条处断裂（${r.reason}）\n`);
      process.exit(2);
    }
  });

const policy = program.command("policy").description("政策规则工具");
policy
  .command("evaluate")
  .description("政策测算：对假设的个人或单位（JSON 文件）按某日判断可享受的政策，输出 JSON；不读写任何档案")
  .requiredOption("--subject <FILE.json>", '对象文件：{"kind":"person","regionCode":"320102","facts":{…},"paid":{…}}')
  .requiredOption("--as-of <YYYY-MM-DD>", "评估日期")
  .option("--policy <id...>", "只测算这些政策（默认全部）")
  .action(async (opts: { subject: string; asOf: string; policy?: string[] }) => {
    let subject: unknown;
    try {
      subject = JSON.parse(readFileSync(opts.subject, "utf8"));
    } catch (e) {
      process.stderr.write(`无法读取对象文件：${(e as Error).message}\n`);
      process.exit(1);
    }
    const parsed = EvaluateBodySchema.safeParse({
      subject,
      asOf: opts.asOf,
      ...(opts.policy ? { policyIds: opts.policy } : {}),
    });
    if (!parsed.success) {
      const errors = parsed.error.issues.map((i) => ({ field: i.path.join("."), message: i.message }));
      process.stderr.write(`${JSON.stringify({ errors }, null, 2)}\n`);
      process.exit(1);
    }
    // the policies in force: the shipped catalogue with the versions approved in this installation
    const h = await openMigratedDatabase(config());
    try {
      const catalogue = createPolicyCatalogue(h.db);
      await catalogue.refresh();
      process.stdout.write(`${JSON.stringify(evaluateWhatIf(catalogue, parsed.data), null, 2)}\n`);
    } catch (e) {
      if (e instanceof AppError) {
        process.stderr.write(
          `${JSON.stringify({ code: e.code, message: e.message, errors: e.errors ?? [] }, null, 2)}\n`,
        );
        process.exitCode = 1;
      } else throw e;
    } finally {
      await h.close();
    }
  });

const check = program.command("check").description("校验工具（不保存任何数据），输出 JSON");
function printCheck(r: { valid: boolean }) {
  process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
  process.exitCode = r.valid ? 0 : 1;
}
check
  .command("id-number <value>")
  .description("校验居民身份证号码：校验位、出生日期、省份；15位旧号码给出18位号码")
  .action((value: string) => {
    const areas = new Map(
      loadChinaDivision()
        .filter((r) => r.level === 3)
        .map((r) => [r.code, r.name]),
    );
    printCheck(idNumberCheck(value, shanghaiDate(new Date()), (c) => areas.get(c)));
  });
check
  .command("credit-code <value>")
  .description("校验统一社会信用代码（GB 32100-2015）")
  .action((value: string) => printCheck(creditCodeCheck(value)));
check
  .command("retirement")
  .description("计算法定退休年龄和退休年月（渐进式延迟法定退休年龄）")
  .requiredOption("--birth <YYYY-MM>", "出生年月")
  .requiredOption("--sex <male|female>", "性别")
  .requiredOption("--category <male-60|female-55|female-50>", "退休类别")
  .action((opts: { birth: string; sex: string; category: string }) => {
    if (!["male", "female"].includes(opts.sex) || !["male-60", "female-55", "female-50"].includes(opts.category)) {
      printCheck({
        valid: false,
        errors: [
          { code: "ARGUMENT_INVALID", message: "--sex 应为 male|female，--category 应为 male-60|female-55|female-50" },
        ],
        warnings: [],
      } as never);
      return;
    }
    printCheck(
      retirementCheck(
        { birth: opts.birth, sex: opts.sex as "male", category: opts.category as "male-60" },
        shanghaiDate(new Date()),
      ),
    );
  });

program
  .command("openapi")
  .description("输出 OpenAPI 3.1 文档")
  .option("--out <file>", "写入文件而不是标准输出")
  .action(async (opts: { out?: string }) => {
    const c = loadConfig({
      ...process.env,
      JIUYE_SECRET_KEY: Buffer.alloc(32).toString("base64"),
      JIUYE_LOG_LEVEL: "silent",
    });
    const { openDatabase } = await import("@jiuye/db");
    const h = await openDatabase({ dataDir: "memory" });
    const app = await buildApp({ db: h.db, config: c });
    await app.ready();
    const spec = app.swagger() as { components?: { schemas?: Record<string, unknown> } };
    // Component order follows module load order; sort it so the committed document is stable.
    if (spec.components?.schemas) {
      spec.components.schemas = Object.fromEntries(
        Object.entries(spec.components.schemas).sort(([a], [b]) => a.localeCompare(b)),
      );
    }
    const doc = `${JSON.stringify(spec, null, 2)}\n`;
    await app.close();
    await h.close();
    if (opts.out) writeFileSync(opts.out, doc);
    else process.stdout.write(doc);
  });

program.parseAsync(process.argv).catch((e) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
