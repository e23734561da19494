#!/usr/bin/env bash
# Resumes a mongo-resume job from a savepoint over Flink's REST API. See --help.
set -euo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib/common.sh"

usage() {
  cat <<USAGE
Usage: deploy/resume.sh --config FILE [--savepoint PATH|latest] [--set KEY=VALUE]... [--rest URL]
                        [--jar JAR] [--allow-non-restored-state]

Runs the job again from a savepoint (or a retained checkpoint): deploy/submit.sh with --savepoint.
Use the same job file as the stopped run (the same collections and options; the job's operator uids tie
the savepoint's state to the job graph). Prints the new job id on stdout.
The same as: flink run -d -s PATH mongo-resume-flink.jar --config FILE

  --savepoint PATH   the savepoint directory (file:///..., s3://...), or "latest" (default): the path that
                     deploy/stop.sh wrote to \$MONGO_RESUME_CLUSTER_DIR/last-savepoint
  other options      as for deploy/submit.sh
USAGE
}

savepoint=latest
pass=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --savepoint) savepoint="${2:?--savepoint needs a value}"; shift 2 ;;
    --allow-non-restored-state) pass+=("$1"); shift ;;
    --config|--set|--rest|--jar|--parallelism) pass+=("$1" "${2:?$1 needs a value}"); shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done

if [[ "${savepoint}" == latest ]]; then
  last="${CLUSTER_DIR}/last-savepoint"
  [[ -s "${last}" ]] || die "no ${last}: stop the job with deploy/stop.sh first, or pass --savepoint PATH"
  savepoint="$(head -n 1 "${last}")"
  log "Latest savepoint (from ${last}): ${savepoint}"
fi
exec "${DEPLOY_DIR}/submit.sh" --savepoint "${savepoint}" "${pass[@]+"${pass[@]}"}"
