/**
 * Leak checks shared by the fault and security suites: everything the proxy wrote where a user or operator
 * can read it (log lines, error bodies, /metrics) is searched for secrets — raw and JSON-escaped.
 */
import type { LogSink } from "./app.js";

/** Something that answers `inject` like the app (fastify's light-my-request). */
export interface Injectable {
  inject(opts: {
    method: "GET";
    url: string;
    headers?: Record<string, string>;
  }): PromiseLike<{ statusCode: number; body: string }>;
}

/** The secrets from `secrets` that occur in `text`, raw or as the inside of a JSON string. */
export function secretsIn(text: string, secrets: readonly string[]): string[] {
  return secrets.filter(
    (s) => s.length > 0 && (text.includes(s) || text.includes(JSON.stringify(s).slice(1, -1))),
  );
}

/** The app's Prometheus text (`headers` for an app that requires the proxy token). */
export async function scrapeMetrics(app: Injectable, headers: Record<string, string> = {}): Promise<string> {
  const res = await app.inject({ method: "GET", url: "/metrics", headers });
  if (res.statusCode !== 200) throw new Error(`/metrics answered ${res.statusCode}`);
  return res.body;
}

/** Every place a secret could surface: log lines, metrics, and the given bodies, each labelled. */
export async function exposedSecrets(
  app: Injectable,
  sink: LogSink,
  secrets: readonly string[],
  bodies: readonly string[] = [],
): Promise<{ where: string; secret: string }[]> {
  const out: { where: string; secret: string }[] = [];
  const check = (where: string, text: string): void => {
    for (const secret of secretsIn(text, secrets)) out.push({ where, secret });
  };
  check("logs", sink.text);
  check("metrics", await scrapeMetrics(app));
  bodies.forEach((b, i) => check(`body ${i}`, b));
  return out;
}

/** Polls `read` until it returns `want` or `ms` pass; returns the last value read. */
export async function settle<T>(read: () => Promise<T>, want: T, ms = 2000): Promise<T> {
  const until = Date.now() + ms;
  let value = await read();
  while (value !== want && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 20));
    value = await read();
  }
  return value;
}
