/**
 * The environment that points an agent at the proxy, shared by `memprivacy run` (set for the command it
 * runs) and `memprivacy env` (printed as shell exports). Each variable is the form its readers expect:
 * - `OPENAI_BASE_URL` = `http://host:port/v1`: openai, @ai-sdk/openai, @openai/agents, Codex CLI append
 *   `/chat/completions` or `/responses` to it;
 * - `OPENAI_API_BASE`, the same: @langchain/openai and aider read it before `OPENAI_BASE_URL`, so a stale
 *   value left in the shell would otherwise send traffic around the proxy;
 * - `ANTHROPIC_BASE_URL` = `http://host:port`: @anthropic-ai/sdk, @langchain/anthropic and Claude Code
 *   append `/v1/messages`; @ai-sdk/anthropic appends `/messages`, which the proxy answers too;
 * - `ANTHROPIC_API_URL`, the same: @langchain/anthropic reads it before `ANTHROPIC_BASE_URL`;
 * - `OPENAI_AGENTS_DISABLE_TRACING=1`: the OpenAI Agents SDK otherwise posts every prompt and tool input
 *   and output to api.openai.com's trace endpoint, whatever the base URL says;
 * - `MEMPRIVACY_USER_NAME` when a user name is configured (see README, "Use it with your agent").
 */
import type { Config } from "../config/schema.js";

/** The URL clients use to reach a proxy listening on `host:port` (a wildcard bind is reached on loopback). */
export function proxyBaseUrl(host: string, port: number): string {
  if (host === "0.0.0.0" || host === "") return `http://127.0.0.1:${port}`;
  if (host === "::" || host === "[::]") return `http://[::1]:${port}`;
  const bare = host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
  return bare.includes(":") ? `http://[${bare}]:${port}` : `http://${bare}:${port}`;
}

/** The variables that point agents at the proxy at `baseUrl` (no trailing slash), in a stable order. */
export function agentEnvironment(baseUrl: string, config: Pick<Config, "userName">): Record<string, string> {
  const env: Record<string, string> = {
    OPENAI_BASE_URL: `${baseUrl}/v1`,
    OPENAI_API_BASE: `${baseUrl}/v1`,
    ANTHROPIC_BASE_URL: baseUrl,
    ANTHROPIC_API_URL: baseUrl,
    OPENAI_AGENTS_DISABLE_TRACING: "1",
  };
  if (config.userName !== undefined) env.MEMPRIVACY_USER_NAME = config.userName;
  return env;
}

/** Quotes `value` for a POSIX shell: one single-quoted word, `'` written as `'\''`. */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", "'\\''")}'`;
}

/** `export NAME='value'` lines for `eval "$(memprivacy env)"`; names must be shell identifiers. */
export function formatExports(env: Readonly<Record<string, string>>): string {
  return Object.entries(env)
    .map(([name, value]) => {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new TypeError("not a shell variable name");
      return `export ${name}=${shellQuote(value)}\n`;
    })
    .join("");
}
