# syntax=docker/dockerfile:1
#
# One multi-stage build for the whole monorepo. Targets:
#   auth-gateway, sync-api, fetcher, mapper, hubspot-sandbox   (services)
#   migrate                                                     (one-shot: applies DB migrations, exits)
# e.g.  docker build --target fetcher -t hubsync/fetcher .
#
# Build stages carry dev dependencies (Nx, TypeScript); runtime stages carry only production
# dependencies (`npm ci --omit=dev`), the compiled JavaScript of one app, and run as a non-root user.

ARG NODE_IMAGE=node:22-bookworm-slim

# ---- dependencies (dev included) for the build -----------------------------------------------
FROM ${NODE_IMAGE} AS deps
WORKDIR /workspace
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

# ---- compile every project with Nx (no Nx Cloud, no daemon inside a build) --------------------
FROM deps AS build
ENV NX_NO_CLOUD=true \
    NX_DAEMON=false \
    CI=true
COPY . .
RUN npx nx run-many -t build --output-style=static

# ---- production dependencies only --------------------------------------------------------------
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /workspace
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm cache clean --force

# ---- common runtime base -----------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    NODE_OPTIONS=--enable-source-maps
WORKDIR /app
# Files stay owned by root and read-only for the process: the app never writes into its image
# (k8s mounts the root filesystem read-only and gives it an emptyDir at /tmp).
COPY --from=prod-deps /workspace/node_modules ./node_modules
COPY package.json ./
# uid/gid 1000 is the image's `node` user; numeric so Kubernetes can verify runAsNonRoot.
USER 1000:1000
# Slim images have no curl: probe with Node itself (global fetch, Node >= 18).
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=6 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.PORT + '/health/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# ---- services ----------------------------------------------------------------------------------
FROM runtime AS auth-gateway
ENV PORT=3001
COPY --from=build /workspace/dist/apps/auth-gateway ./dist/apps/auth-gateway
EXPOSE 3001
CMD ["node", "dist/apps/auth-gateway/apps/auth-gateway/src/main.js"]

FROM runtime AS sync-api
ENV PORT=3000
COPY --from=build /workspace/dist/apps/sync-api ./dist/apps/sync-api
EXPOSE 3000
CMD ["node", "dist/apps/sync-api/apps/sync-api/src/main.js"]

FROM runtime AS fetcher
ENV PORT=3002
COPY --from=build /workspace/dist/apps/fetcher ./dist/apps/fetcher
EXPOSE 3002
CMD ["node", "dist/apps/fetcher/apps/fetcher/src/main.js"]

FROM runtime AS mapper
ENV PORT=3003
COPY --from=build /workspace/dist/apps/mapper ./dist/apps/mapper
EXPOSE 3003
CMD ["node", "dist/apps/mapper/apps/mapper/src/main.js"]

FROM runtime AS hubspot-sandbox
ENV PORT=4010
COPY --from=build /workspace/dist/apps/hubspot-sandbox ./dist/apps/hubspot-sandbox
EXPOSE 4010
CMD ["node", "dist/apps/hubspot-sandbox/apps/hubspot-sandbox/src/main.js"]

# ---- one-shot migration runner -----------------------------------------------------------------
FROM runtime AS migrate
# The tools build compiles the libs it imports beside it (dist/tools/libs); only the migration
# CLI and those libs are copied.
COPY --from=build /workspace/dist/tools/tools/migrate ./dist/tools/tools/migrate
COPY --from=build /workspace/dist/tools/libs ./dist/tools/libs
HEALTHCHECK NONE
CMD ["node", "dist/tools/tools/migrate/migrate.js"]
