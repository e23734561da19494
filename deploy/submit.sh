#!/usr/bin/env bash
# Submits mongo-resume-flink.jar to a Flink cluster over its REST API. See --help.
set -euo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib/common.sh"

usage() {
  cat <<USAGE
Usage: deploy/submit.sh --config FILE [--set KEY=VALUE]... [--rest URL] [--jar JAR]
                        [--savepoint PATH [--allow-non-restored-state]] [--parallelism N]

Uploads the job jar (POST /jars/upload), runs it (POST /jars/<id>/run with
programArgsList = --config FILE --set ...), deletes the uploaded jar and prints the job id on stdout.
The same as: flink run -d [-s PATH] mongo-resume-flink.jar --config FILE --set ...

  --config FILE   the job file (deploy/jobs/migration.example.yaml). The job's main() runs in the
                  JobManager, so FILE is read THERE: on the local cluster any path works (made absolute
                  here); on Kubernetes it is the ConfigMap mount, e.g. /opt/mongo-resume/migration.yaml.
  --set K=V       override one option of the job file (repeatable)
  --rest URL      Flink REST endpoint (default ${DEFAULT_REST}; env MONGO_RESUME_REST)
  --jar JAR       the job jar (default job/target/mongo-resume-flink.jar)
  --savepoint P   start from this savepoint or retained checkpoint (deploy/resume.sh does this)
  --allow-non-restored-state   skip savepoint state that no operator claims
  --parallelism N default parallelism of the job (operators the job file sizes keep their own)

Passwords in URIs (scheme://user:password@) are masked in everything this script prints.
USAGE
}

config=""
rest="${DEFAULT_REST}"
jar="${DEFAULT_FLINK_JAR}"
savepoint=""
allow_non_restored=false
parallelism=""
sets=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --config) config="${2:?--config needs a value}"; shift 2 ;;
    --set) sets+=("${2:?--set needs KEY=VALUE}"); shift 2 ;;
    --rest) rest="${2:?--rest needs a value}"; shift 2 ;;
    --jar) jar="${2:?--jar needs a value}"; shift 2 ;;
    --savepoint) savepoint="${2:?--savepoint needs a value}"; shift 2 ;;
    --allow-non-restored-state) allow_non_restored=true; shift ;;
    --parallelism) parallelism="${2:?--parallelism needs a value}"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done
[[ -n "${config}" ]] || { usage >&2; die "--config FILE is required"; }
[[ -f "${jar}" ]] || die "no job jar at ${jar} (build it: mvn -B -q package -DskipTests)"
require_tools curl python3
rest="${rest%/}"
# A file that exists here is passed by its absolute path (local cluster); anything else is taken to be a
# path on the JobManager's file system.
if [[ -f "${config}" ]]; then
  config="$(cd "$(dirname "${config}")" && pwd)/$(basename "${config}")"
fi

args=(--config "${config}")
for kv in "${sets[@]+"${sets[@]}"}"; do
  [[ "${kv}" == *=* ]] || die "--set needs KEY=VALUE: ${kv}"
  args+=(--set "${kv}")
done

log "Uploading $(basename "${jar}") to ${rest}"
jar_id=$(rest_call POST "${rest}/jars/upload" -H "Expect:" -F "jarfile=@${jar};type=application/x-java-archive" |
  python_json 'print(doc["filename"].rsplit("/", 1)[-1])')

# The request body is built by python3 from the arguments (no hand-made JSON quoting).
body=$(python3 - "${savepoint}" "${allow_non_restored}" "${parallelism}" "${args[@]}" <<'PY'
import json, sys
savepoint, allow, parallelism, program_args = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
request = {"programArgsList": program_args}
if savepoint:
    request["savepointPath"] = savepoint
    request["allowNonRestoredState"] = allow == "true"
if parallelism:
    request["parallelism"] = int(parallelism)
print(json.dumps(request))
PY
)

if [[ -n "${savepoint}" ]]; then
  log "Running the job from savepoint ${savepoint}"
else
  log "Running the job"
fi
log "  program arguments: $(printf '%q ' "${args[@]}" | mask_secrets)"
# On the local cluster the job's own error message goes to the JobManager's stdout: show it on failure.
jm_out="${CLUSTER_DIR}/log/jobmanager.out"
jm_out_size=0
[[ -f "${jm_out}" ]] && jm_out_size=$(wc -c <"${jm_out}")
set +e
run_output=$( (rest_call POST "${rest}/jars/${jar_id}/run" -H "Content-Type: application/json" -d "${body}") 2>&1)
run_status=$?
set -e
# The cluster keeps its own copy of the job's jar; the upload is not needed any more.
curl -sS -o /dev/null -X DELETE "${rest}/jars/${jar_id}" || true
if [[ ${run_status} -ne 0 ]]; then
  printf '%s\n' "${run_output}" | mask_secrets >&2
  if [[ -f "${jm_out}" && $(wc -c <"${jm_out}") -gt ${jm_out_size} ]]; then
    log "The job said (${jm_out}):"
    tail -c +$((jm_out_size + 1)) "${jm_out}" | tail -n 20 | mask_secrets >&2
  fi
  exit 1
fi
job_id=$(python_json 'print(doc["jobid"])' <<<"${run_output}")
log "Submitted job ${job_id}; web UI: ${rest}/#/job/running/${job_id}/overview"
echo "${job_id}"
