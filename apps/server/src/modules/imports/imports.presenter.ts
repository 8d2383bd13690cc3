import type { ImportJobDto } from "@jiuye/contracts";
import type { ImportJob } from "./imports.service.ts";

const STATUS_LABELS: Record<ImportJobDto["status"], string> = {
  queued: "排队中",
  staging: "读取校验中",
  staged: "校验完成（试导入）",
  committing: "入库中",
  committed: "已完成",
  failed: "失败",
};

/** Job → API shape, with progress, rate and ETA computed from the job's counters. */
export function presentImportJob(j: ImportJob, now: Date, reused?: boolean): ImportJobDto {
  const status = j.status as ImportJobDto["status"];
  const size = Number(j.file_size) || 0;
  const committing = status === "committing";
  // a direct import commits while it reads: its progress is the share of the file read
  const staging = status === "staging" || status === "queued" || (committing && j.direct);
  const progress = staging
    ? size > 0
      ? Math.min(1, Number(j.bytes_read) / size)
      : 0
    : committing
      ? j.accepted_rows > 0
        ? Math.min(1, j.processed_rows / j.accepted_rows)
        : 0
      : status === "failed"
        ? 0
        : 1;
  const elapsed = j.started_at ? (now.getTime() - new Date(j.started_at).getTime()) / 1000 : 0;
  const active = staging || committing;
  const rate = active && elapsed > 0.2 && j.processed_rows > 0 ? j.processed_rows / elapsed : null;
  const eta = active && progress > 0.01 && elapsed > 0 ? Math.max(0, (elapsed * (1 - progress)) / progress) : null;
  return {
    id: j.id,
    kind: j.kind as ImportJobDto["kind"],
    fileName: j.file_name,
    format: j.format as ImportJobDto["format"],
    mode: j.mode as ImportJobDto["mode"],
    dryRun: j.dry_run,
    status,
    statusLabel: STATUS_LABELS[status],
    totalRows: j.total_rows,
    acceptedRows: j.accepted_rows,
    rejectedRows: j.rejected_rows,
    committedRows: j.committed_rows,
    processedRows: j.processed_rows,
    progress: Math.round(progress * 1000) / 1000,
    rowsPerSecond: rate === null ? null : Math.round(rate),
    etaSeconds: eta === null ? null : Math.round(eta),
    error: j.error,
    createdAt: new Date(j.created_at).toISOString(),
    finishedAt: j.finished_at ? new Date(j.finished_at).toISOString() : null,
    ...(reused !== undefined ? { reused } : {}),
  };
}
