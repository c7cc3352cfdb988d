# syntax=docker/dockerfile:1
# MemPrivacy Proxy — multi-stage image: build with dev dependencies, run as non-root with production ones.
# Build:  docker build -t memprivacy-proxy .            (CPU-only: the CUDA/Vulkan llama.cpp binaries are dropped)
#         docker build --build-arg LLAMA_GPU=cuda -t memprivacy-proxy:cuda .
# Run:    docker run -p 127.0.0.1:8787:8787 -v memprivacy-data:/data -v "$PWD/models:/app/models:ro" memprivacy-proxy
# Host check (DNS rebinding): the proxy listens on 0.0.0.0 here but serves only loopback Host names
# (localhost, 127.0.0.1, [::1] — what the published port on the host gets) and the names listed in
# MEMPRIVACY_ALLOWED_HOSTS. A sidecar reached as http://memprivacy:8787 by other containers needs
#         -e MEMPRIVACY_ALLOWED_HOSTS=memprivacy          (the compose service name; comma list for more)
# otherwise its requests get 421. Web pages of other origins are refused (403) unless listed in
# MEMPRIVACY_ALLOWED_ORIGINS.

ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
# better-sqlite3 compiles from source when its prebuilt binary cannot be fetched.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY scripts ./scripts
RUN npm run build && npm prune --omit=dev --no-audit --no-fund
ARG LLAMA_GPU=cpu
# Keep only the llama.cpp binaries this image needs (~600 MB of CUDA/Vulkan builds otherwise).
RUN set -eu; cd node_modules/@node-llama-cpp; \
    rm -rf linux-arm64 linux-armv7l; \
    if [ "$LLAMA_GPU" = "cpu" ]; then rm -rf linux-x64-cuda linux-x64-cuda-ext linux-x64-vulkan; fi; \
    if [ "$LLAMA_GPU" = "cuda" ]; then rm -rf linux-x64-vulkan; fi; \
    if [ "$LLAMA_GPU" = "vulkan" ]; then rm -rf linux-x64-cuda linux-x64-cuda-ext; fi

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    MEMPRIVACY_HOST=0.0.0.0 \
    MEMPRIVACY_PORT=8787 \
    MEMPRIVACY_DATA_DIR=/data \
    MEMPRIVACY_MODELS_DIR=/app/models
WORKDIR /app
COPY --from=build --chown=root:root /app/package.json ./
COPY --from=build --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/dist ./dist
COPY docker/entrypoint.sh /usr/local/bin/memprivacy-entrypoint
RUN mkdir -p /data /app/models && chown node:node /data && chmod 0700 /data \
 && chmod 0755 /usr/local/bin/memprivacy-entrypoint
USER node
VOLUME ["/data"]
EXPOSE 8787
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "dist/src/cli/healthcheck.js"]
ENTRYPOINT ["/usr/local/bin/memprivacy-entrypoint"]
CMD ["serve"]
