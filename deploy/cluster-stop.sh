#!/usr/bin/env bash
# Stops the local standalone cluster started by deploy/cluster-start.sh, by the PIDs in its pid files.
set -euo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib/common.sh"

usage() {
  cat <<USAGE
Usage: deploy/cluster-stop.sh [--timeout SECONDS]

Stops the TaskManager, then the JobManager of the local cluster in \$MONGO_RESUME_CLUSTER_DIR
(default /tmp/mongo-resume-cluster): SIGTERM to the PID in <role>.pid, SIGKILL if it is still alive after
the timeout (default 30 s). Running jobs are not stopped with a savepoint: run deploy/stop.sh first.
USAGE
}

timeout_s=30
while [[ $# -gt 0 ]]; do
  case "$1" in
    --timeout) timeout_s="${2:?--timeout needs a value}"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done

# True when PID is alive and is the Flink process we started (a recycled PID is left alone).
is_ours() {
  local pid=$1 main_class=$2
  kill -0 "${pid}" 2>/dev/null || return 1
  [[ ! -r "/proc/${pid}/cmdline" ]] || tr '\0' ' ' <"/proc/${pid}/cmdline" | grep -q "${main_class}"
}

stop_role() {
  local role=$1 main_class=$2
  local pid_file="${CLUSTER_DIR}/${role}.pid"
  if [[ ! -f "${pid_file}" ]]; then
    log "No ${role} pid file in ${CLUSTER_DIR}"
    return 0
  fi
  local pid
  pid=$(cat "${pid_file}")
  if ! is_ours "${pid}" "${main_class}"; then
    log "The ${role} (pid ${pid}) is not running"
    rm -f "${pid_file}"
    return 0
  fi
  kill -TERM "${pid}" 2>/dev/null || true
  local deadline=$((SECONDS + timeout_s))
  while kill -0 "${pid}" 2>/dev/null && [[ ${SECONDS} -lt ${deadline} ]]; do
    sleep 0.5
  done
  if kill -0 "${pid}" 2>/dev/null; then
    log "The ${role} (pid ${pid}) ignored SIGTERM for ${timeout_s}s: SIGKILL"
    kill -KILL "${pid}" 2>/dev/null || true
    while kill -0 "${pid}" 2>/dev/null; do sleep 0.2; done
  fi
  rm -f "${pid_file}"
  log "Stopped ${role} (pid ${pid})"
}

stop_role taskmanager org.apache.flink.runtime.taskexecutor.TaskManagerRunner
stop_role jobmanager org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint
