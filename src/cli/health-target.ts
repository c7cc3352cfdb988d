/**
 * Where the container healthcheck probes: the host and port of the configuration the proxy itself loads
 * (defaults ← `MEMPRIVACY_CONFIG` file ← environment), so the probe and the server cannot disagree. A wildcard
 * listen address is probed on loopback.
 */
import { loadConfig } from "../config/load.js";

/** Host and port of `/healthz` for the configuration in `env`; throws the ConfigError the server would. */
export function healthTarget(env: NodeJS.ProcessEnv): { host: string; port: number } {
  const config = loadConfig({ env });
  const host = config.host === "0.0.0.0" || config.host === "::" ? "127.0.0.1" : config.host;
  return { host, port: config.port };
}
