#!/usr/bin/env bash
# Validates the Helm chart (deploy/helm/trading) and the container image recipe offline:
#   helm lint --strict and helm template for the default values and every ci/*-values.yaml;
#   kubeconform -strict of every rendered object against the Kubernetes API schemas of the target
#   version and the CRD schemas (ServiceMonitor, PrometheusRule, KafkaTopic);
#   promtool check rules on the rules inside the rendered PrometheusRule;
#   kubeconform refusing deliberately broken objects, and the values schema a misspelt key and a wrong type;
#   the chart's topic list matching libs/contracts; the Jest suites under tests/deploy.
# Tools come from the Go module proxy (helm, kubeconform, the Kubernetes OpenAPI document and the
# prometheus-operator CRDs) and Debian (promtool), cached under ~/.cache/tlp: a second run is fast.
set -euo pipefail
cd "$(dirname "$0")/../.."

HELM_VERSION=v3.22.0
KUBECONFORM_VERSION=v0.8.0
KUBERNETES_VERSION=1.34.4
PROMETHEUS_OPERATOR_VERSION=v0.85.0
CHART=deploy/helm/trading

CACHE="${TLP_CACHE_DIR:-$HOME/.cache/tlp}"
export GOBIN="$CACHE/bin" GOMODCACHE="$CACHE/gomod" GOFLAGS="-modcacherw -buildvcs=false"
export PATH="$GOBIN:$PATH"
mkdir -p "$GOBIN"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

step() { printf '\n--- %s\n' "$*"; }
fail() { printf 'helm-check: %s\n' "$*" >&2; exit 1; }

step "tools"
command -v go >/dev/null || [ ! -x /usr/local/go/bin/go ] || export PATH="$PATH:/usr/local/go/bin"
command -v go >/dev/null || fail "go is required (the Go module proxy serves helm, kubeconform and the schemas)"
if ! helm version --short 2>/dev/null | grep -q "^${HELM_VERSION%.0}"; then
  go install "helm.sh/helm/v3/cmd/helm@${HELM_VERSION}"
fi
if ! kubeconform -v 2>/dev/null | grep -q "${KUBECONFORM_VERSION}"; then
  go install -ldflags "-X main.version=${KUBECONFORM_VERSION}" "github.com/yannh/kubeconform/cmd/kubeconform@${KUBECONFORM_VERSION}"
fi
if ! command -v promtool >/dev/null; then
  # Only the promtool binary of Debian's prometheus package, without installing (or starting) the server.
  (cd "$WORK" && { apt-get download prometheus 2>/dev/null || { apt-get update -qq && apt-get download prometheus; }; } \
    && dpkg -x prometheus_*.deb pkg && cp pkg/usr/bin/promtool "$GOBIN/")
fi
echo "helm $(helm version --short), kubeconform $(kubeconform -v), $(promtool --version 2>&1 | head -1)"

step "Kubernetes ${KUBERNETES_VERSION} and CRD schemas"
SCHEMAS="$CACHE/k8s-schemas/v${KUBERNETES_VERSION}-po${PROMETHEUS_OPERATOR_VERSION}-$(cat scripts/ci/k8s-schemas.mjs tests/deploy/schemas/*.json | sha256sum | cut -c1-12)"
if [ ! -f "$SCHEMAS/.complete" ]; then
  k8s_dir="$(go mod download -json "k8s.io/kubernetes@v${KUBERNETES_VERSION}" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).Dir))')"
  po_dir="$(go mod download -json "github.com/prometheus-operator/prometheus-operator@${PROMETHEUS_OPERATOR_VERSION}" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).Dir))')"
  rm -rf "$SCHEMAS"
  node scripts/ci/k8s-schemas.mjs "$SCHEMAS" "$k8s_dir/api/openapi-spec/swagger.json" \
    "$po_dir/example/prometheus-operator-crd/monitoring.coreos.com_servicemonitors.yaml" \
    "$po_dir/example/prometheus-operator-crd/monitoring.coreos.com_prometheusrules.yaml" \
    tests/deploy/schemas/*.json
  touch "$SCHEMAS/.complete"
fi

step "chart topic list matches libs/contracts"
pnpm exec tsx scripts/ci/chart-topics.ts --check

API_VERSIONS=(
  --api-versions monitoring.coreos.com/v1
  --api-versions monitoring.coreos.com/v1/ServiceMonitor
  --api-versions monitoring.coreos.com/v1/PrometheusRule
  --api-versions kafka.strimzi.io/v1beta2
  --api-versions kafka.strimzi.io/v1
)
render() { helm template trading "$CHART" --namespace trading --kube-version "$KUBERNETES_VERSION" "${API_VERSIONS[@]}" "$@"; }

for values in default "$CHART"/ci/*-values.yaml; do
  name="$(basename "$values" .yaml)"
  args=()
  [ "$values" = default ] || args=(-f "$values")
  step "$name: helm lint --strict, helm template, kubeconform -strict"
  helm lint --strict "$CHART" --kube-version "$KUBERNETES_VERSION" "${args[@]}"
  render "${args[@]}" > "$WORK/$name.yaml"
  kubeconform -strict -summary -kubernetes-version "$KUBERNETES_VERSION" \
    -schema-location "$SCHEMAS/{{ .ResourceKind }}{{ .KindSuffix }}.json" "$WORK/$name.yaml"

  node -e '
    const { parseAllDocuments, stringify } = require("yaml");
    const docs = parseAllDocuments(require("fs").readFileSync(process.argv[1], "utf8")).map((d) => d.toJS()).filter(Boolean);
    const groups = docs.filter((d) => d.kind === "PrometheusRule").flatMap((d) => d.spec.groups);
    require("fs").writeFileSync(process.argv[2], groups.length ? stringify({ groups }) : "");
  ' "$WORK/$name.yaml" "$WORK/$name.rules.yaml"
  if [ -s "$WORK/$name.rules.yaml" ]; then
    promtool check rules "$WORK/$name.rules.yaml"
  fi
done

step "kubeconform refuses broken objects (the schemas are strict)"
kubeconform_refuses() {
  local what="$1" expression="$2"
  sed -E "$expression" "$WORK/all-features-values.yaml" > "$WORK/broken.yaml"
  cmp -s "$WORK/broken.yaml" "$WORK/all-features-values.yaml" && fail "mutation for $what changed nothing"
  local out
  if out="$(kubeconform -strict -schema-location "$SCHEMAS/{{ .ResourceKind }}{{ .KindSuffix }}.json" "$WORK/broken.yaml")"; then
    fail "kubeconform accepted $what"
  fi
  grep -q " is invalid: problem validating schema" <<<"$out" || fail "kubeconform refused $what for another reason: $out"
  echo "refused $what"
}
kubeconform_refuses "a misspelt pod field (Deployment)" 's/^( +)terminationGracePeriodSeconds:/\1terminationGracePeriod:/'
kubeconform_refuses "a string where a boolean belongs (Deployment)" 's/readOnlyRootFilesystem: true/readOnlyRootFilesystem: "yes"/'
kubeconform_refuses "an unknown endpoint field (ServiceMonitor)" 's/^( +)- port: metrics$/\1- port: metrics\n\1  intervall: 5s/'
kubeconform_refuses "string partitions (KafkaTopic)" 's/^  partitions: ([0-9]+)$/  partitions: "\1"/'
kubeconform_refuses "an unknown rule field (PrometheusRule)" 's/^( +)- alert: (.*)$/\1- alert: \2\n\1  severity: page/'

step "values schema refuses a misspelt key, a wrong type and an unknown value"
expect_refused() {
  local what="$1" pattern="$2"; shift 2
  local out
  if out="$(render "$@" 2>&1 >/dev/null)"; then fail "schema accepted $what"; fi
  grep -Eq "$pattern" <<<"$out" || fail "$what refused for another reason: $out"
  echo "refused $what"
}
expect_refused "a misspelt key (executor.replicaCout)" "replicaCout" --set executor.replicaCout=2
expect_refused "a misspelt nested key (kafka.tls.enable)" "enable" --set kafka.tls.enable=true
expect_refused "a wrong type (executor.replicaCount=two)" "replicaCount" --set-string executor.replicaCount=two
expect_refused "a wrong type (orderMonitor.containerPort as a string)" "containerPort" --set-string orderMonitor.containerPort=3002
expect_refused "an unknown pullPolicy" "pullPolicy" --set positionMonitor.image.pullPolicy=Sometimes
expect_refused "a non-decimal risk limit" "riskMaxNotional" --set-string executor.config.riskMaxNotional=1e6
expect_refused "a root container" "runAsNonRoot" --set podSecurityContext.runAsNonRoot=false

step "tests/deploy"
pnpm exec jest -c tests/deploy/jest.config.cjs

printf '\nhelm-check: chart and image checks passed\n'
