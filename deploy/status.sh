#!/usr/bin/env bash
# Shows the jobs of a Flink cluster and their progress, over its REST API. See --help.
set -euo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib/common.sh"

usage() {
  cat <<USAGE
Usage: deploy/status.sh [--job ID] [--rest URL] [--config FILE] [--json]

Prints the cluster (TaskManagers, slots), every job with its state and duration, and for each job its
last completed checkpoint and the last savepoint deploy/stop.sh wrote. When job/target/mongo-resume.jar
has the richer "status" command (per-collection progress, CDC lag), this script hands over to it.

  --job ID       one job only
  --rest URL     Flink REST endpoint (default ${DEFAULT_REST}; env MONGO_RESUME_REST)
  --config FILE  the job file, named in the printed resume command
  --json         one JSON object (mongo-resume.jar status only)
USAGE
}

rest="${DEFAULT_REST}"
job=""
config=""
json=false
while [[ $# -gt 0 ]]; do
  case "$1" in
    --job) job="${2:?--job needs a value}"; shift 2 ;;
    --config) config="${2:?--config needs a value}"; shift 2 ;;
    --json) json=true; shift ;;
    --rest) rest="${2:?--rest needs a value}"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done
rest="${rest%/}"

local_jar="${REPO_DIR}/job/target/mongo-resume.jar"
# The jar's command list names "status" once that command exists.
if [[ -z "${MONGO_RESUME_STATUS_REST_ONLY:-}" && -f "${local_jar}" ]] && command -v java >/dev/null &&
  java -jar "${local_jar}" --help 2>/dev/null | grep -qE '^ +status( |$)'; then
  args=(status --rest "${rest}")
  [[ -n "${job}" ]] && args+=(--job "${job}")
  [[ -n "${config}" ]] && args+=(--config "${config}")
  [[ "${json}" == true ]] && args+=(--json)
  exec java -jar "${local_jar}" "${args[@]}"
fi
[[ "${json}" == false ]] || die "--json needs job/target/mongo-resume.jar with the status command"

require_tools curl python3
overview=$(rest_call GET "${rest}/overview")
jobs=$(rest_call GET "${rest}/jobs/overview")
last_savepoint=""
[[ -s "${CLUSTER_DIR}/last-savepoint" ]] && last_savepoint=$(head -n 1 "${CLUSTER_DIR}/last-savepoint")

python3 - "${rest}" "${job}" "${last_savepoint}" "${overview}" "${jobs}" "${config:-<job file>}" <<'PY' | mask_secrets
import json, sys, time, urllib.request

rest, only_job, last_savepoint = sys.argv[1], sys.argv[2], sys.argv[3]
overview, jobs = json.loads(sys.argv[4]), json.loads(sys.argv[5])["jobs"]
config = sys.argv[6]

def get(path):
    with urllib.request.urlopen(rest + path, timeout=10) as response:
        return json.load(response)

def duration(ms):
    s = max(0, int(ms // 1000))
    return "%dh%02dm%02ds" % (s // 3600, s // 60 % 60, s % 60)

print("Flink %s at %s: %d TaskManager(s), %d/%d slots free, jobs running=%d finished=%d cancelled=%d failed=%d"
      % (overview.get("flink-version", "?"), rest, overview["taskmanagers"], overview["slots-available"],
         overview["slots-total"], overview["jobs-running"], overview["jobs-finished"],
         overview["jobs-cancelled"], overview["jobs-failed"]))
jobs = [j for j in jobs if not only_job or j["jid"] == only_job]
if only_job and not jobs:
    sys.exit("error: no job " + only_job)
jobs.sort(key=lambda j: j["start-time"], reverse=True)
for j in jobs:
    tasks = j.get("tasks", {})
    print("\n%s  %-10s %s  (%s, tasks %d/%d running, %d finished)"
          % (j["jid"], j["state"], j["name"], duration(j["duration"]), tasks.get("running", 0),
             tasks.get("total", 0), tasks.get("finished", 0)))
    try:
        checkpoints = get("/jobs/%s/checkpoints" % j["jid"])
    except Exception:
        continue
    counts = checkpoints.get("counts", {})
    latest = checkpoints.get("latest", {}) or {}
    completed = latest.get("completed") or {}
    restored = latest.get("restored") or {}
    savepoint = latest.get("savepoint") or {}
    if completed:
        age = time.time() - completed["latest_ack_timestamp"] / 1000
        print("  last checkpoint: #%d, %ds ago, %s (%d completed, %d failed)"
              % (completed["id"], age, completed.get("external_path", "?"), counts.get("completed", 0),
                 counts.get("failed", 0)))
    else:
        print("  last checkpoint: none yet")
    if savepoint:
        print("  last savepoint of this job: " + savepoint.get("external_path", "?"))
    if restored:
        print("  restored from: " + restored.get("external_path", "?"))
if last_savepoint:
    print("\nLast savepoint written by deploy/stop.sh: " + last_savepoint)
    print("Resume: deploy/resume.sh --config %s --savepoint %s" % (config, last_savepoint))
PY
