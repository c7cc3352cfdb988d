/**
 * Restoration bindings across replicas of one shared PostgreSQL vault: a Responses turn answered by one replica
 * binds its placeholders to the response id, and the next turn, continuing that id through the other replica, is
 * restored with them; a new conversation on either replica is not.
 */
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDir, testApp, type TestApp } from "../helpers/app.js";
import { startMockUpstream, type MockUpstream } from "../helpers/mock-upstream.js";
import { postgresAvailable, startPgCluster, type PgCluster } from "../helpers/pg-cluster.js";
import { rememberingModel } from "../helpers/responses-mock.js";

const EMAIL = "shared.bound@example.org";
const describePg = postgresAvailable() ? describe : describe.skip;

describePg("restoration bindings on a shared vault", () => {
  let cluster: PgCluster;
  let upstream: MockUpstream;
  const apps: TestApp[] = [];
  const clients: OpenAI[] = [];
  const data = tempDir();

  beforeAll(async () => {
    cluster = startPgCluster();
    const vaultUrl = await cluster.createDatabase("bindings");
    upstream = await startMockUpstream();
    upstream.handle(rememberingModel);
    for (let i = 0; i < 2; i++) {
      // Two replicas: separate app objects and vault connections, one database, one key (the data directory's).
      const { app } = await testApp({
        upstream: upstream.url,
        ephemeral: false,
        dataDir: data.dir,
        vaultUrl,
      });
      apps.push(app);
      const base = await app.listen({ host: "127.0.0.1", port: 0 });
      clients.push(new OpenAI({ apiKey: "sk-shared-bindings", baseURL: `${base}/v1`, maxRetries: 0 }));
    }
  }, 60_000);

  afterAll(async () => {
    for (const app of apps) await app.close();
    await upstream?.close();
    cluster?.destroy();
    data.cleanup();
  });

  it("restores a continued conversation on the other replica, and nothing in a new one", async () => {
    const [a, b] = clients as [OpenAI, OpenAI];
    const first = await a.responses.create({ model: "gpt-test", input: `Mail ${EMAIL}` });
    expect(first.output_text).toBe(`I will write to ${EMAIL}.`);
    const continued = await b.responses.create({
      model: "gpt-test",
      input: "go on",
      previous_response_id: first.id,
    });
    expect(continued.output_text).toBe(`I will write to ${EMAIL}.`);
    const fresh = await b.responses.create({ model: "gpt-test", input: "go on" });
    expect(fresh.output_text).toBe("I will write to <Email_1>.");
    expect(upstream.allBytes()).not.toContain(EMAIL);
  });
});
