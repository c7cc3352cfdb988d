/** The fastify instance type used by route modules (the app is built in app.ts with a pino instance). */
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

export type AppInstance = FastifyInstance<Server, IncomingMessage, ServerResponse, FastifyBaseLogger>;
export type AppRequest = FastifyRequest;
export type AppReply = FastifyReply;
