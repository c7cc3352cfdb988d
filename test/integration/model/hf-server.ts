/**
 * A local stand-in for the Hugging Face Hub on 127.0.0.1:0: the revision listing API (sizes, LFS sha256,
 * git blob sha1) and `resolve` downloads with Range support, plus faults on demand — a connection cut
 * mid-file, corrupted bytes, a required token. Records every request it received.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";

export interface HubRequest {
  readonly url: string;
  readonly range: string | undefined;
  readonly authorization: string | undefined;
}

export interface FakeHubOptions {
  readonly repo: string;
  readonly dir: string;
  /** Cut the connection after this many bytes on the first download of the file. */
  readonly cutOnce?: ReadonlyMap<string, number>;
  /** Serve these files with one byte flipped (the listing keeps the true hash). */
  readonly corrupt?: ReadonlySet<string>;
  /** Require `Authorization: Bearer <token>`. */
  readonly token?: string;
  /** Extra plain files served at `/extra/<name>`. */
  readonly extra?: ReadonlyMap<string, string>;
}

export interface FakeHub {
  readonly endpoint: string;
  readonly requests: HubRequest[];
  close(): Promise<void>;
}

/** Starts the fake hub. Files ending in .safetensors are listed as LFS (sha256), others as git blobs (sha1). */
export async function startFakeHub(o: FakeHubOptions): Promise<FakeHub> {
  const files = new Map<string, Buffer>(readdirSync(o.dir).map((f) => [f, readFileSync(join(o.dir, f))]));
  const cut = new Map(o.cutOnce ?? []);
  const requests: HubRequest[] = [];
  const server: Server = createServer((req, res) => {
    const url = req.url ?? "/";
    requests.push({ url, range: req.headers.range, authorization: req.headers.authorization });
    if (o.token !== undefined && req.headers.authorization !== `Bearer ${o.token}`) {
      res.writeHead(401, { "content-type": "application/json" }).end('{"error":"unauthorized"}');
      return;
    }
    const extra = /^\/extra\/(.+)$/.exec(url);
    if (extra?.[1] !== undefined && o.extra?.has(extra[1]) === true) {
      res.writeHead(200, { "content-type": "text/plain" }).end(o.extra.get(extra[1]));
      return;
    }
    if (url.startsWith(`/api/models/${o.repo}/revision/`)) {
      const siblings = [...files].map(([name, data]) =>
        name.endsWith(".safetensors")
          ? {
              rfilename: name,
              size: data.length,
              lfs: {
                sha256: createHash("sha256").update(data).digest("hex"),
                size: data.length,
                pointerSize: 134,
              },
            }
          : {
              rfilename: name,
              size: data.length,
              blobId: createHash("sha1").update(`blob ${data.length}\0`).update(data).digest("hex"),
            },
      );
      res
        .writeHead(200, { "content-type": "application/json" })
        .end(JSON.stringify({ id: o.repo, sha: "0".repeat(40), siblings }));
      return;
    }
    const m = new RegExp(`^/${o.repo}/resolve/[^/]+/(.+)$`).exec(url);
    const name = m?.[1] === undefined ? undefined : decodeURIComponent(m[1]);
    let data = name === undefined ? undefined : files.get(name);
    if (name === undefined || data === undefined) {
      res.writeHead(404).end();
      return;
    }
    if (o.corrupt?.has(name) === true) {
      data = Buffer.from(data);
      data[data.length >> 1] = (data[data.length >> 1] ?? 0) ^ 0xff;
    }
    let start = 0;
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? "");
    if (range?.[1] !== undefined) {
      start = Number(range[1]);
      if (start >= data.length) {
        res.writeHead(416, { "content-range": `bytes */${data.length}` }).end();
        return;
      }
      res.writeHead(206, {
        "content-length": data.length - start,
        "content-range": `bytes ${start}-${data.length - 1}/${data.length}`,
        "accept-ranges": "bytes",
      });
    } else {
      res.writeHead(200, { "content-length": data.length, "accept-ranges": "bytes" });
    }
    const body = data.subarray(start);
    const cutAt = cut.get(name);
    if (cutAt !== undefined) {
      cut.delete(name);
      res.write(body.subarray(0, cutAt), () => res.destroy());
      return;
    }
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
