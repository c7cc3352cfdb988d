/**
 * Hugging Face model download with Node's global fetch: lists a revision's files through the Hub API,
 * fetches the checkpoint and tokenizer files by `resolve` URLs into `.part` files, resumes with `Range`
 * (across retries and across runs), and checks sizes and hashes (LFS sha256, git blob sha1) before renaming.
 */
import { createHash } from "node:crypto";
import type { Hash } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, open, rename, rm, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { proxyError } from "../errors/catalogue.js";

/** Default Hub endpoint (`HF_ENDPOINT` overrides). */
export const DEFAULT_HF_ENDPOINT = "https://huggingface.co";

/** Transfers of one file before giving up when it keeps breaking (each attempt resumes the last). */
const ATTEMPTS_PER_FILE = 4;

/** One file of a repository revision. */
export interface RemoteFile {
  readonly path: string;
  readonly size: number | undefined;
  /** LFS sha256 (hex) when the file is stored in LFS. */
  readonly sha256: string | undefined;
  /** Git blob sha1 (hex) of a non-LFS file. */
  readonly blobSha1: string | undefined;
}

/** Progress of one file. */
export interface DownloadProgress {
  readonly file: string;
  readonly received: number;
  readonly total: number | undefined;
  readonly index: number;
  readonly count: number;
}

/** Options of {@link downloadModel}. */
export interface DownloadOptions {
  /** `owner/name`. */
  readonly repo: string;
  /** Branch, tag or commit. */
  readonly revision: string;
  /** The Hub or a mirror ({@link DEFAULT_HF_ENDPOINT} is Hugging Face's). */
  readonly endpoint: string;
  /** Bearer token (HF_TOKEN). Never logged. */
  readonly token?: string;
  readonly dir: string;
  readonly onProgress?: (p: DownloadProgress) => void;
  readonly signal?: AbortSignal;
}

/** The files a conversion needs. */
export function isNeededFile(path: string): boolean {
  return (
    path === "config.json" ||
    path === "tokenizer.json" ||
    path === "tokenizer_config.json" ||
    path === "model.safetensors.index.json" ||
    (/\.safetensors$/.test(path) && !path.includes("/"))
  );
}

function hex(v: unknown, len: number): string | undefined {
  return typeof v === "string" && new RegExp(`^[0-9a-f]{${len}}$`).test(v) ? v : undefined;
}

/** Parses the Hub's revision API (`siblings`) or tree API (array) listing into files. */
export function parseListing(body: unknown): RemoteFile[] {
  const entries: unknown[] = Array.isArray(body)
    ? body
    : typeof body === "object" && body !== null && Array.isArray((body as { siblings?: unknown }).siblings)
      ? (body as { siblings: unknown[] }).siblings
      : [];
  const out: RemoteFile[] = [];
  for (const e of entries) {
    if (typeof e !== "object" || e === null) continue;
    const o = e as Record<string, unknown>;
    if (o.type !== undefined && o.type !== "file") continue;
    const path =
      typeof o.rfilename === "string" ? o.rfilename : typeof o.path === "string" ? o.path : undefined;
    if (path === undefined) continue;
    const lfs = typeof o.lfs === "object" && o.lfs !== null ? (o.lfs as Record<string, unknown>) : undefined;
    const size = typeof lfs?.size === "number" ? lfs.size : typeof o.size === "number" ? o.size : undefined;
    out.push({
      path,
      size,
      sha256: hex(lfs?.sha256, 64) ?? hex(lfs?.oid, 64),
      blobSha1: lfs === undefined ? (hex(o.blobId, 40) ?? hex(o.oid, 40)) : undefined,
    });
  }
  return out;
}

function headers(token: string | undefined, extra: Record<string, string> = {}): Record<string, string> {
  return token === undefined || token === "" ? extra : { ...extra, authorization: `Bearer ${token}` };
}

function httpFailure(status: number, what: string): Error {
  const hint =
    status === 401 || status === 403
      ? " (gated or private: set HF_TOKEN)"
      : status === 404
        ? " (not found)"
        : "";
  return proxyError("PRX_MODEL_DOWNLOAD_FAILED", { detail: `${what}: HTTP ${status}${hint}` });
}

/** Lists the revision's files through `/api/models/{repo}/revision/{rev}?blobs=true`. */
export async function listRepoFiles(o: DownloadOptions): Promise<RemoteFile[]> {
  const endpoint = o.endpoint.replace(/\/+$/, "");
  const rev = encodeURIComponent(o.revision);
  const url = `${endpoint}/api/models/${o.repo}/revision/${rev}?blobs=true`;
  let res: Response;
  try {
    res = await fetch(url, {
      headers: headers(o.token),
      ...(o.signal === undefined ? {} : { signal: o.signal }),
    });
  } catch (cause) {
    throw proxyError("PRX_MODEL_DOWNLOAD_FAILED", { cause, detail: "file listing: unreachable" });
  }
  if (!res.ok) {
    await res.body?.cancel();
    throw httpFailure(res.status, "file listing");
  }
  return parseListing(await res.json());
}

async function hashExisting(path: string, hash: Hash): Promise<void> {
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
}

async function fileSize(path: string): Promise<number | undefined> {
  return stat(path).then(
    (s) => s.size,
    () => undefined,
  );
}

/** Downloads one file into `target` through `target.part`, resuming; verifies and renames. */
async function downloadFile(
  o: DownloadOptions,
  file: RemoteFile,
  target: string,
  progress: (received: number) => void,
): Promise<void> {
  const endpoint = o.endpoint.replace(/\/+$/, "");
  const rev = encodeURIComponent(o.revision);
  const url = `${endpoint}/${o.repo}/resolve/${rev}/${file.path.split("/").map(encodeURIComponent).join("/")}`;
  const part = `${target}.part`;
  await mkdir(dirname(target), { recursive: true });
  let lastError: unknown;
  for (let attempt = 0; attempt < ATTEMPTS_PER_FILE; attempt++) {
    o.signal?.throwIfAborted();
    let have = (await fileSize(part)) ?? 0;
    if (file.size !== undefined && have > file.size) {
      await rm(part, { force: true });
      have = 0;
    }
    let res: Response;
    try {
      res = await fetch(url, {
        headers: headers(o.token, have > 0 ? { range: `bytes=${have}-` } : {}),
        ...(o.signal === undefined ? {} : { signal: o.signal }),
      });
    } catch (cause) {
      lastError = cause;
      continue;
    }
    if (res.status === 416 && file.size !== undefined && have === file.size) {
      await res.body?.cancel();
    } else if (res.status !== 200 && res.status !== 206) {
      await res.body?.cancel();
      const err = httpFailure(res.status, file.path);
      if (res.status >= 500 || res.status === 429) {
        lastError = err;
        continue;
      }
      throw err;
    } else {
      // A server that ignores Range answers 200 with the whole file: start over.
      if (res.status === 200) have = 0;
      const fh = await open(part, have > 0 ? "a" : "w");
      try {
        let received = have;
        progress(received);
        if (res.body !== null) {
          for await (const raw of res.body) {
            const chunk = raw as Uint8Array;
            await fh.write(chunk);
            received += chunk.length;
            progress(received);
          }
        }
      } catch (cause) {
        // A broken transfer keeps its bytes in the .part file; the next attempt resumes from there.
        lastError = cause;
        continue;
      } finally {
        await fh.close();
      }
    }
    await verify(file, part);
    await rename(part, target);
    return;
  }
  if (o.signal?.aborted === true) throw o.signal.reason;
  throw proxyError("PRX_MODEL_DOWNLOAD_FAILED", {
    cause: lastError,
    detail: `${file.path}: transfer failed`,
  });
}

async function verify(file: RemoteFile, part: string): Promise<void> {
  const size = (await fileSize(part)) ?? 0;
  const fail = async (what: string): Promise<never> => {
    await rm(part, { force: true });
    throw proxyError("PRX_MODEL_CHECKSUM_MISMATCH", { detail: `${file.path}: ${what}` });
  };
  if (file.size !== undefined && size !== file.size) await fail(`size ${size} != ${file.size}`);
  if (file.sha256 !== undefined) {
    const h = createHash("sha256");
    await hashExisting(part, h);
    if (h.digest("hex") !== file.sha256) await fail("sha256 mismatch");
  } else if (file.blobSha1 !== undefined) {
    const h = createHash("sha1").update(`blob ${size}\0`);
    await hashExisting(part, h);
    if (h.digest("hex") !== file.blobSha1) await fail("git blob sha1 mismatch");
  }
}

/**
 * Downloads the files needed for conversion (config, tokenizer, safetensors + index) of `repo@revision`
 * into `dir`; files already complete (same size) are kept. Returns the local paths.
 */
export async function downloadModel(o: DownloadOptions): Promise<string[]> {
  const files = (await listRepoFiles(o)).filter((f) => isNeededFile(f.path));
  for (const required of ["config.json", "tokenizer.json", "tokenizer_config.json"]) {
    if (!files.some((f) => f.path === required)) {
      throw proxyError("PRX_MODEL_DOWNLOAD_FAILED", { detail: `repository lacks ${required}` });
    }
  }
  if (!files.some((f) => f.path.endsWith(".safetensors"))) {
    throw proxyError("PRX_MODEL_DOWNLOAD_FAILED", { detail: "repository has no safetensors weights" });
  }
  await mkdir(o.dir, { recursive: true });
  const out: string[] = [];
  for (const [index, file] of files.entries()) {
    const target = join(o.dir, file.path);
    const existing = await fileSize(target);
    const report = (received: number): void =>
      o.onProgress?.({ file: file.path, received, total: file.size, index, count: files.length });
    if (existing !== undefined && file.size !== undefined && existing === file.size) {
      report(existing);
    } else {
      await downloadFile(o, file, target, report);
    }
    out.push(target);
  }
  return out;
}
