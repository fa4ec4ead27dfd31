#!/usr/bin/env bash
# What deploy/docker/Dockerfile's runtime stage contains, assembled on the host (no Docker engine
# here) and run: production-only node_modules from `pnpm install --prod`, one service's build output
# with the main.js/migrate.js entry points the Dockerfile writes, NODE_ENV=production. Then, per service:
#   - no devDependency is resolvable from the image's working directory;
#   - `node main.js` loads every module it needs (it stops at config validation, not a missing module);
#   - `node migrate.js` applies every migration to a fresh database on the stack's PostgreSQL, twice
#     (the second run applies nothing), under the advisory lock;
#   - executor: `node provision-topics.js` creates every topic on the stack's Kafka under a prefix of
#     its own, then nothing on a second run (the topics are deleted afterwards).
# Needs the build output (nx run-many -t build) and the local stack (TLP_PG_ADMIN_URL, .stack/stack.env).
set -euo pipefail
cd "$(dirname "$0")/../.."

[ -f .stack/stack.env ] && . .stack/stack.env
: "${TLP_PG_ADMIN_URL:?TLP_PG_ADMIN_URL is not set: start the stack (pnpm stack up)}"
export CI=true

WORK="$(mktemp -d)"
databases=()
cleanup() {
  for db in "${databases[@]}"; do
    (cd "$WORK/prod" && node -e '
      const { Client } = require("pg");
      const c = new Client({ connectionString: process.argv[1] });
      c.connect().then(() => c.query(`drop database if exists "${process.argv[2]}" with (force)`)).finally(() => c.end());
    ' "$TLP_PG_ADMIN_URL" "$db") || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "production dependencies (pnpm install --frozen-lockfile --prod)"
mkdir -p "$WORK/prod"
cp package.json pnpm-lock.yaml pnpm-workspace.yaml "$WORK/prod/"
(cd "$WORK/prod" && pnpm install --frozen-lockfile --prod --prefer-offline --reporter=silent)

dev_deps="$(node -e 'console.log(JSON.stringify(Object.keys(require("./package.json").devDependencies)))')"

for app in executor order-monitor position-monitor data-quality; do
  prefix="$(tr 'a-z-' 'A-Z_' <<<"$app")"
  image="$WORK/$app"
  [ -f "dist/apps/$app/apps/$app/src/main.js" ] || { echo "dist/apps/$app is missing: build first" >&2; exit 1; }
  mkdir -p "$image"
  cp -R "dist/apps/$app/." "$image/"
  printf "require('./apps/%s/src/main.js');\n" "$app" > "$image/main.js"
  printf "require('./apps/%s/src/migrate.js');\n" "$app" > "$image/migrate.js"
  ln -s "$WORK/prod/node_modules" "$image/node_modules"

  (cd "$image" && node -e '
    const found = JSON.parse(process.argv[1]).filter((dep) => {
      try { require.resolve(dep); return true; } catch { return false; }
    });
    if (found.length > 0) { console.error(`devDependencies resolvable in the image: ${found.join(", ")}`); process.exit(1); }
  ' "$dev_deps") || { echo "$app: the image would carry development dependencies" >&2; exit 1; }

  set +e
  out="$(cd "$image" && env -i PATH="$PATH" NODE_ENV=production node main.js 2>&1)"
  status=$?
  set -e
  if [ "$status" -eq 0 ] || grep -q "Cannot find module" <<<"$out" || ! grep -q "${prefix}_DATABASE_URL" <<<"$out"; then
    echo "$app: main.js did not stop at config validation (exit $status):" >&2; echo "$out" >&2; exit 1
  fi

  db="tlp_image_smoke_${prefix,,}_$$"
  databases+=("$db")
  (cd "$WORK/prod" && node -e '
    const { Client } = require("pg");
    const c = new Client({ connectionString: process.argv[1] });
    c.connect().then(() => c.query(`create database "${process.argv[2]}"`)).finally(() => c.end());
  ' "$TLP_PG_ADMIN_URL" "$db")
  url="$(node -e 'const u = new URL(process.argv[1]); u.pathname = "/" + process.argv[2]; console.log(u.href)' "$TLP_PG_ADMIN_URL" "$db")"
  for run in first second; do
    (cd "$image" && env -i PATH="$PATH" NODE_ENV=production "${prefix}_DATABASE_URL=$url" node migrate.js) \
      || { echo "$app: migrate.js failed on its $run run" >&2; exit 1; }
  done
  tables="$(cd "$WORK/prod" && node -e '
    const { Client } = require("pg");
    const c = new Client({ connectionString: process.argv[1] });
    c.connect().then(() => c.query("select count(*)::int as n from information_schema.tables where table_name = $1", ["mikro_orm_migrations"]))
      .then((r) => console.log(r.rows[0].n)).finally(() => c.end());
  ' "$url")"
  [ "$tables" -ge 1 ] || { echo "$app: migrate.js left no migrations table" >&2; exit 1; }
  echo "$app: image layout loads with production dependencies only; migrate.js applied and re-ran cleanly"

  if [ "$app" = executor ]; then
    : "${TLP_KAFKA_BROKERS:?TLP_KAFKA_BROKERS is not set: start the stack (pnpm stack up)}"
    printf "require('./apps/%s/src/provision-topics.js');\n" "$app" > "$image/provision-topics.js"
    topic_prefix="image-smoke-$$."
    expected="$(node -e 'console.log(2 * require("./deploy/helm/trading/files/topics.json").topics.length)')"
    for want in "$expected" 0; do
      report="$(cd "$image" && env -i PATH="$PATH" NODE_ENV=production EXECUTOR_KAFKA_BROKERS="$TLP_KAFKA_BROKERS" \
        EXECUTOR_KAFKA_TOPIC_PREFIX="$topic_prefix" EXECUTOR_KAFKA_TOPIC_REPLICATION_FACTOR=1 node provision-topics.js)" \
        || { echo "executor: provision-topics.js failed" >&2; exit 1; }
      created="$(node -e '
        const line = process.argv[1].split("\n").map((l) => { try { return JSON.parse(l); } catch { return {}; } })
          .find((l) => l.msg === "topics provisioned");
        console.log(line ? line.created.length : -1);
      ' "$report")"
      [ "$created" = "$want" ] || { echo "executor: provision-topics.js created $created topics, expected $want" >&2; echo "$report" >&2; exit 1; }
    done
    (cd "$WORK/prod" && node -e '
      const { Kafka, logLevel } = require("kafkajs");
      const admin = new Kafka({ brokers: process.argv[1].split(","), logLevel: logLevel.NOTHING }).admin();
      admin.connect()
        .then(() => admin.listTopics())
        .then((all) => admin.deleteTopics({ topics: all.filter((t) => t.startsWith(process.argv[2])) }))
        .finally(() => admin.disconnect());
    ' "$TLP_KAFKA_BROKERS" "$topic_prefix") || true
    echo "executor: provision-topics.js created all $expected topics, then none on a second run"
  fi
done
