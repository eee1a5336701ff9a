# One image for every service (api, worker, migrate, sandbox): the same build, different commands.
# The build steps are exactly CI's: `npm ci` then `npm run build` (CI's `npm test` builds through
# `npm run typecheck`, which runs the same `tsc -b tsconfig.build.json`).

FROM node:24-bookworm-slim AS build
WORKDIR /app
ENV NX_NO_CLOUD=true NX_DAEMON=false
COPY . .
RUN npm ci
RUN npm run build
# Keep only what runs: production dependencies and the compiled output.
RUN npm prune --omit=dev \
 && find apps libs -name '*.tsbuildinfo' -delete \
 && rm -rf apps/*/src apps/*/test libs/*/src libs/*/test tools .ci

FROM node:24-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000
COPY --from=build --chown=node:node /app /app
USER node
EXPOSE 3000
# Overridden per service in docker-compose.yml.
CMD ["node", "apps/api/dist/main.js"]
