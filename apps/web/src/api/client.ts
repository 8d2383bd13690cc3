import type { Problem } from "@jiuye/contracts";

/** An API failure with its problem+json body (stable code, Chinese title, field errors). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problem.detail ?? problem.title);
  }
}

let csrfToken = "";
export function setCsrfToken(token: string) {
  csrfToken = token;
}

let onUnauthorized: () => void = () => {};
export function setUnauthorizedHandler(fn: () => void) {
  onUnauthorized = fn;
}

/** The one place requests are made: JSON in and out, CSRF header, errors as ApiError. */
export async function api<T>(
  method: string,
  path: string,
  body?: unknown,
  extraHeaders?: Record<string, string>,
): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json", ...extraHeaders };
  if (body !== undefined) headers["content-type"] = "application/json";
  if (method !== "GET") headers["x-csrf-token"] = csrfToken;
  const res = await fetch(`/api/v1${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: "same-origin",
  });
  const text = await res.text();
  const data = text ? JSON.parse(text) : undefined;
  if (!res.ok) {
    const problem: Problem = data?.code
      ? data
      : { type: "about:blank", title: "网络或服务异常", status: res.status, code: "NETWORK" };
    if (res.status === 401 && path !== "/auth/login") onUnauthorized();
    throw new ApiError(res.status, problem);
  }
  return data as T;
}

export function query(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== "") q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : "";
}

/** The message shown to a person for an error: field messages first, then the title. */
export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) {
    const fields = e.problem.errors?.map((x) => x.message).join("；");
    return fields ? `${e.problem.title}：${fields}` : (e.problem.detail ?? e.problem.title);
  }
  return "网络异常，请稍后再试";
}

/** Uploads a file as the raw request body (rosters): streamed by the server, never JSON-encoded. */
export async function upload<T>(path: string, file: File): Promise<T> {
  const res = await fetch(`/api/v1${path}`, {
    method: "POST",
    headers: {
      accept: "application/json",
      "content-type": "application/octet-stream",
      "x-csrf-token": csrfToken,
      "x-file-name": encodeURIComponent(file.name),
    },
    body: file,
    credentials: "same-origin",
  });
  const text = await res.text();
  const data = text ? JSON.parse(text) : undefined;
  if (!res.ok) {
    const problem: Problem = data?.code
      ? data
      : { type: "about:blank", title: "网络或服务异常", status: res.status, code: "NETWORK" };
    if (res.status === 401) onUnauthorized();
    throw new ApiError(res.status, problem);
  }
  return data as T;
}

/** POSTs JSON and saves the response as a file (exports that need a purpose and the CSRF header). */
export async function downloadPost(path: string, body: unknown, fileName: string): Promise<void> {
  const res = await fetch(`/api/v1${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-csrf-token": csrfToken },
    body: JSON.stringify(body),
    credentials: "same-origin",
  });
  if (!res.ok) {
    const data = await res.json().catch(() => undefined);
    throw new ApiError(
      res.status,
      data?.code ? data : { type: "about:blank", title: "导出失败", status: res.status, code: "NETWORK" },
    );
  }
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement("a");
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
