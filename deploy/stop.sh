#!/usr/bin/env bash
# Stops a running mongo-resume job with a savepoint, over Flink's REST API. See --help.
set -euo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib/common.sh"
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib/options.sh"

usage() {
  cat <<USAGE
Usage: deploy/stop.sh [--job ID] [--savepoint-dir DIR] [--rest URL] [--timeout SECONDS]

Stops the job with a savepoint (POST /jobs/<id>/stop), waits until the savepoint is COMPLETED and the
job has stopped, prints the savepoint path on stdout and writes it to
\$MONGO_RESUME_CLUSTER_DIR/last-savepoint, where deploy/resume.sh --savepoint latest finds it.
The same as: flink stop --savepointPath DIR <job id>

  --job ID            the job (default: the only running job)
  --savepoint-dir D   where to write the savepoint (default: the job's savepoint.dir, else the cluster's
                      execution.checkpointing.savepoint-dir)
  --rest URL          Flink REST endpoint (default ${DEFAULT_REST}; env MONGO_RESUME_REST)
  --timeout S         how long to wait for the savepoint (default 600)
USAGE
}

rest="${DEFAULT_REST}"
job=""
target_dir=""
timeout_s=600
parse_options --job job --savepoint-dir target_dir --rest rest --timeout timeout_s -- "$@"
require_tools curl python3
rest="${rest%/}"
[[ -n "${job}" ]] || job=$(single_running_job "${rest}")

body=$(python3 -c 'import json, sys
request = {"drain": False, "formatType": "CANONICAL"}
if sys.argv[1]:
    request["targetDirectory"] = sys.argv[1]
print(json.dumps(request))' "${target_dir}")
log "Stopping job ${job} with a savepoint${target_dir:+ into ${target_dir}}"
trigger=$(rest_call POST "${rest}/jobs/${job}/stop" -H "Content-Type: application/json" -d "${body}" |
  python_json 'print(doc["request-id"])')

deadline=$((SECONDS + timeout_s))
while true; do
  result=$(rest_call GET "${rest}/jobs/${job}/savepoints/${trigger}")
  state=$(python_json 'print(doc["status"]["id"])' <<<"${result}")
  if [[ "${state}" == COMPLETED ]]; then
    break
  fi
  [[ ${SECONDS} -lt ${deadline} ]] || die "savepoint of job ${job} not done after ${timeout_s}s (trigger ${trigger})"
  sleep 1
done
location=$(python_json '
op = doc.get("operation") or {}
if "location" in op:
    print(op["location"])
else:
    cause = op.get("failure-cause") or {}
    text = cause.get("stack-trace") or cause.get("serialized-throwable") or json.dumps(op)
    reasons = [l.strip() for l in text.splitlines() if l.strip() and not l.strip().startswith("at ")]
    sys.stderr.write("error: the savepoint failed; the job keeps running:\n  " + "\n  ".join(reasons[:6]) + "\n")
    sys.exit(1)' <<<"${result}" 2> >(mask_secrets >&2))

# Stop-with-savepoint finishes the job right after the savepoint; wait for it, so a resume can take the slots.
while true; do
  job_state=$(rest_call GET "${rest}/jobs/${job}" | python_json 'print(doc["state"])')
  case "${job_state}" in
    FINISHED|CANCELED|FAILED) break ;;
  esac
  [[ ${SECONDS} -lt ${deadline} ]] || die "job ${job} still ${job_state} after its savepoint"
  sleep 0.5
done

mkdir -p "${CLUSTER_DIR}"
printf '%s\n' "${location}" >"${CLUSTER_DIR}/last-savepoint"
log "Job ${job} stopped (${job_state}). Savepoint: ${location}"
log "Resume it with: deploy/resume.sh --config <job file> --savepoint ${location}"
echo "${location}"
