import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import {
  CommitImportBodySchema,
  IdParamsSchema,
  ImportJobSchema,
  ImportTemplateParamsSchema,
  StartImportQuerySchema,
} from "@jiuye/contracts";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { AppError } from "../../errors/catalogue.ts";
import { attachment, sendDownload, XLSX_TYPE } from "../../lib/download.ts";
import { actorOf, contextOf } from "../../plugins/auth.ts";
import { presentImportJob } from "./imports.presenter.ts";
import type { ImportsService } from "./imports.service.ts";

const tags = ["花名册导入"];
const CASE_WORKER = ["case_worker"] as const;
const UPLOAD_TYPES = [
  "application/octet-stream",
  "text/csv",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
];

function tooLarge(max: number) {
  return new AppError("IMPORT_FILE_TOO_LARGE", {
    errors: [
      {
        field: "file",
        code: "IMPORT_FILE_TOO_LARGE",
        message: `文件超过 ${Math.round(max / 1048576)} MB，请拆分后分批导入`,
      },
    ],
  });
}

export function importsRoutes(deps: {
  imports: ImportsService;
  dataDir: string;
  maxBytes: number;
  clock: () => Date;
}): FastifyPluginAsyncZod {
  const { imports, clock } = deps;
  return async (app) => {
    // Uploads arrive as the raw request body and are streamed to disk, never buffered in memory.
    app.addContentTypeParser(UPLOAD_TYPES, (_req, payload, done) => done(null, payload));

    app.get(
      "/imports/templates/:kind",
      {
        schema: { tags, summary: "下载花名册模板（.xlsx，含下拉选项和填写说明）", params: ImportTemplateParamsSchema },
        config: { access: CASE_WORKER },
      },
      async (req, reply) => {
        const buf = await imports.template(req.params.kind);
        const title = `${imports.titleOf(req.params.kind)}模板.xlsx`;
        reply.header("content-type", XLSX_TYPE).header("content-disposition", attachment(title));
        return reply.send(buf);
      },
    );

    app.post(
      "/imports",
      {
        schema: {
          tags,
          summary: "上传花名册（请求体为文件本身；X-File-Name 为 URL 编码的文件名）",
          description:
            "dryRun=true 只校验并生成错误报告；mode=atomic 全部成功或全部不入库，mode=chunked 每1万行一批提交、中断后可续传。同一用户重复上传同一文件返回原任务，不会重复登记。",
          querystring: StartImportQuerySchema,
          headers: z.object({ "x-file-name": z.string().min(1, "请在 X-File-Name 请求头中给出文件名") }).passthrough(),
          response: { 202: ImportJobSchema },
        },
        config: { access: CASE_WORKER },
      },
      async (req, reply) => {
        const body = req.body as Readable | undefined;
        if (!body || typeof body.pipe !== "function") throw new AppError("UNSUPPORTED_MEDIA_TYPE");
        const declared = Number(req.headers["content-length"] ?? 0);
        if (declared > deps.maxBytes) {
          // discard the body so the connection can answer at once
          body.resume();
          throw tooLarge(deps.maxBytes);
        }
        let fileName: string;
        try {
          fileName = decodeURIComponent(String(req.headers["x-file-name"]));
        } catch {
          throw new AppError("VALIDATION_FAILED", {
            errors: [{ field: "x-file-name", code: "FILE_NAME_INVALID", message: "文件名应为 URL 编码" }],
          });
        }
        const dir = join(deps.dataDir, "imports");
        await mkdir(dir, { recursive: true, mode: 0o700 });
        const path = join(dir, `upload-${randomBytes(8).toString("hex")}.part`);
        let size = 0;
        let exceeded = false;
        body.on("data", (c: Buffer) => {
          size += c.length;
          if (size > deps.maxBytes && !exceeded) {
            exceeded = true;
            body.destroy(tooLarge(deps.maxBytes));
          }
        });
        try {
          await pipeline(body, createWriteStream(path, { mode: 0o600 }));
        } catch (e) {
          await rm(path, { force: true });
          if (exceeded) throw tooLarge(deps.maxBytes);
          throw e;
        }
        const { job, reused } = await imports.start(
          actorOf(req),
          { kind: req.query.kind, fileName, path, size, dryRun: req.query.dryRun, mode: req.query.mode, copy: true },
          contextOf(req),
        );
        reply.status(202);
        return presentImportJob(job, clock(), reused);
      },
    );

    app.get(
      "/imports",
      {
        schema: { tags, summary: "我的导入任务", response: { 200: z.array(ImportJobSchema) } },
        config: { access: CASE_WORKER },
      },
      async (req) => (await imports.list(actorOf(req))).map((j) => presentImportJob(j, clock())),
    );

    app.get(
      "/imports/:id",
      {
        schema: {
          tags,
          summary: "导入进度（行/秒、预计剩余时间）",
          params: IdParamsSchema,
          response: { 200: ImportJobSchema },
        },
        config: { access: CASE_WORKER },
      },
      async (req) => presentImportJob(await imports.get(actorOf(req), req.params.id), clock()),
    );

    app.post(
      "/imports/:id/commit",
      {
        schema: {
          tags,
          summary: "确认提交试导入的数据",
          params: IdParamsSchema,
          body: CommitImportBodySchema,
          response: { 202: ImportJobSchema },
        },
        config: { access: CASE_WORKER },
      },
      async (req, reply) => {
        reply.status(202);
        return presentImportJob(
          await imports.commitStaged(actorOf(req), req.params.id, req.body.mode, contextOf(req)),
          clock(),
        );
      },
    );

    app.get(
      "/imports/:id/report",
      {
        schema: { tags, summary: "下载错误报告（.xlsx，脱敏，逐行说明原因）", params: IdParamsSchema },
        config: { access: CASE_WORKER },
      },
      async (req, reply) => {
        const actor = actorOf(req);
        return sendDownload(reply, { format: "xlsx", name: "导入错误报告", ascii: "import-errors" }, async (out) => {
          await imports.get(actor, req.params.id);
          return () => imports.writeReport(actor, req.params.id, out, contextOf(req));
        });
      },
    );
  };
}
