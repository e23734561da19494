# Shared helpers of the deploy/ scripts. Sourced, not run. Needs bash, curl and python3 (for JSON; no jq).

DEPLOY_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REPO_DIR="$(cd "${DEPLOY_DIR}/.." && pwd)"
CLUSTER_DIR="${MONGO_RESUME_CLUSTER_DIR:-/tmp/mongo-resume-cluster}"
DEFAULT_REST="${MONGO_RESUME_REST:-http://localhost:8081}"
DEFAULT_FLINK_JAR="${REPO_DIR}/job/target/mongo-resume-flink.jar"

log() { printf '%s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

require_tools() {
  local tool
  for tool in "$@"; do
    command -v "${tool}" >/dev/null 2>&1 || die "${tool} is needed but not installed"
  done
}

# Masks the password of URIs like mongodb://user:pass@host (and any scheme://user:pass@), from stdin.
mask_secrets() {
  sed -E 's#([A-Za-z][A-Za-z0-9+.-]*://)([^:/@[:space:]"]+):([^@/[:space:]"]*)@#\1\2:****@#g'
}

# Runs python3 code on JSON read from stdin: python_json 'print(doc["jobid"])'. `doc` is the parsed JSON.
# Empty input (the REST call before it in a pipe failed and said why) exits 1 quietly.
python_json() {
  python3 -c "import json, sys
text = sys.stdin.read()
if not text.strip():
    sys.exit(1)
doc = json.loads(text)
$1"
}

# rest_call METHOD URL [curl args...]: prints the body; fails with Flink's error message on HTTP >= 400.
rest_call() {
  local method=$1 url=$2
  shift 2
  local body status
  body="$(mktemp)"
  if ! status=$(curl -sS -X "${method}" -o "${body}" -w '%{http_code}' "$@" "${url}"); then
    rm -f "${body}"
    die "cannot reach Flink REST: ${method} ${url} (is the cluster running? see --rest)"
  fi
  if [[ "${status}" -ge 400 ]]; then
    local message
    message=$(python3 -c "import json, sys
try:
    doc = json.load(open(sys.argv[1]))
    errors = doc.get('errors') or [json.dumps(doc)]
except ValueError:
    errors = [open(sys.argv[1], errors='replace').read()[:2000]]
text = '\n'.join(errors)
print((text.strip().splitlines() or [''])[0])
# A failed jar run carries the program's stack trace; its root causes say what went wrong.
causes = [l.strip() for l in text.splitlines() if l.strip().startswith('Caused by')]
print('\n'.join(causes[-2:]))" "${body}" | mask_secrets)
    rm -f "${body}"
    die "Flink REST ${method} ${url} answered HTTP ${status}: ${message}"
  fi
  cat "${body}"
  rm -f "${body}"
}

# Prints the id of the only running job, or fails when there are none or several.
single_running_job() {
  local rest=$1
  rest_call GET "${rest}/jobs/overview" | python_json '
running = [j for j in doc.get("jobs", []) if j["state"] in ("RUNNING", "CREATED", "RESTARTING", "INITIALIZING")]
if len(running) != 1:
    sys.stderr.write("error: %d running jobs (%s); pass --job ID\n"
                     % (len(running), ", ".join(j["jid"] + " " + j["name"] for j in running) or "none"))
    sys.exit(1)
print(running[0]["jid"])'
}
