#!/usr/bin/env bash
# Starts a local Flink 1.20 standalone session cluster (one JobManager JVM, one TaskManager JVM) from
# Maven-resolved jars and flink-conf/. See --help.
set -euo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib/common.sh"
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib/options.sh"

usage() {
  cat <<USAGE
Usage: deploy/cluster-start.sh [--rest-port N] [--rpc-port N] [--conf DIR] [--timeout SECONDS]

Starts a local standalone Flink session cluster: a JobManager
(StandaloneSessionClusterEntrypoint) and a TaskManager (TaskManagerRunner), two JVMs on a classpath that
Maven resolves once from deploy/cluster/pom.xml. Waits until the REST API answers and a TaskManager has
registered, then prints the web UI URL.

  --rest-port N   REST / web UI port (default: \$MONGO_RESUME_REST_PORT or 8081)
  --rpc-port N    JobManager RPC port (default: \$MONGO_RESUME_RPC_PORT or 6123)
  --conf DIR      Flink configuration to start from (default: flink-conf/ of this repository)
  --timeout S     how long to wait for the cluster to be ready (default: 120)

Environment:
  MONGO_RESUME_CLUSTER_DIR  work dir: classpath cache, rendered conf/, log/, pid files, checkpoints,
                            savepoints (default /tmp/mongo-resume-cluster)
  JAVA_HOME / JAVA          the java to run (default: java on PATH); MVN: the mvn to run (default: mvn)

Stop it with deploy/cluster-stop.sh (same MONGO_RESUME_CLUSTER_DIR).
USAGE
}

rest_port="${MONGO_RESUME_REST_PORT:-8081}"
rpc_port="${MONGO_RESUME_RPC_PORT:-6123}"
conf_src="${REPO_DIR}/flink-conf"
timeout_s=120
parse_options --rest-port rest_port --rpc-port rpc_port --conf conf_src --timeout timeout_s -- "$@"
[[ "${rest_port}" =~ ^[0-9]+$ ]] || die "--rest-port must be a number: ${rest_port}"
[[ "${rpc_port}" =~ ^[0-9]+$ ]] || die "--rpc-port must be a number: ${rpc_port}"
[[ -f "${conf_src}/config.yaml" ]] || die "no config.yaml in ${conf_src}"

if [[ -n "${JAVA:-}" ]]; then
  java_bin="${JAVA}"
elif [[ -n "${JAVA_HOME:-}" ]]; then
  java_bin="${JAVA_HOME}/bin/java"
else
  java_bin=java
fi
require_tools "${java_bin}" "${MVN:-mvn}" curl python3

mkdir -p "${CLUSTER_DIR}"
CLUSTER_DIR="$(cd "${CLUSTER_DIR}" && pwd)"
conf_dir="${CLUSTER_DIR}/conf"
log_dir="${CLUSTER_DIR}/log"
mkdir -p "${conf_dir}" "${log_dir}"

for role in jobmanager taskmanager; do
  pid_file="${CLUSTER_DIR}/${role}.pid"
  if [[ -f "${pid_file}" ]] && kill -0 "$(cat "${pid_file}")" 2>/dev/null; then
    die "a ${role} is already running (pid $(cat "${pid_file}"), ${pid_file}); stop it with deploy/cluster-stop.sh"
  fi
done

# Another Flink (or anything else) on our ports would answer in our place: refuse to start.
for port in "${rest_port}" "${rpc_port}"; do
  if ! python3 -c 'import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("localhost", int(sys.argv[1])))' "${port}" 2>/dev/null; then
    die "port ${port} on localhost is in use (another Flink cluster?); pick others with --rest-port / --rpc-port"
  fi
done

# 1. The classpath: resolved once, cached until deploy/cluster/pom.xml changes.
cp_file="${CLUSTER_DIR}/classpath.txt"
if [[ ! -s "${cp_file}" || "${DEPLOY_DIR}/cluster/pom.xml" -nt "${cp_file}" ]]; then
  log "Resolving the Flink cluster classpath with Maven (once; cached in ${cp_file})"
  "${MVN:-mvn}" -B -q -Dstyle.color=never -f "${DEPLOY_DIR}/cluster/pom.xml" dependency:build-classpath \
    -Dmdep.outputFile="${cp_file}.tmp" >&2
  mv "${cp_file}.tmp" "${cp_file}"
fi
classpath="$(cat "${cp_file}")"

# 2. The configuration: flink-conf/ with its /tmp/mongo-resume-cluster paths moved under the work dir.
for f in "${conf_src}"/*; do
  sed "s#/tmp/mongo-resume-cluster#${CLUSTER_DIR}#g" "${f}" >"${conf_dir}/$(basename "${f}")"
done
mkdir -p "${CLUSTER_DIR}/checkpoints" "${CLUSTER_DIR}/savepoints" "${CLUSTER_DIR}/tmp" \
  "${CLUSTER_DIR}/web-upload" "${CLUSTER_DIR}/blob" "${CLUSTER_DIR}/plugins"
# No plugins: the Prometheus reporter is on the classpath (flink-dist would load it from plugins/).
export FLINK_PLUGINS_DIR="${CLUSTER_DIR}/plugins"
dynamic=(-D "rest.port=${rest_port}" -D "jobmanager.rpc.port=${rpc_port}")

# Flink's Java 17 options (env.java.opts.all of flink-dist's config.yaml).
java_opts=(
  --add-exports=java.base/sun.net.util=ALL-UNNAMED
  --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED
  --add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED
  --add-opens=java.base/java.lang=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.text=ALL-UNNAMED
  --add-opens=java.base/java.time=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED
  --add-opens=java.base/jdk.internal.misc=ALL-UNNAMED
)

# 3. Memory flags, computed by Flink from the configuration exactly as bin/config.sh does: BashJavaUtils
#    prints its results as the last lines prefixed BASH_JAVA_UTILS_EXEC_RESULT: (JVM flags, then -D options).
resource_params() {
  local command=$1 output results
  output=$("${java_bin}" -cp "${classpath}" -Dlog4j2.level=WARN org.apache.flink.runtime.util.bash.BashJavaUtils \
    "${command}" --configDir "${conf_dir}" "${dynamic[@]}" 2>&1) ||
    die "BashJavaUtils ${command} failed: $(tail -n 20 <<<"${output}")"
  results=$(grep '^BASH_JAVA_UTILS_EXEC_RESULT:' <<<"${output}" | tail -n 2 | sed 's/^BASH_JAVA_UTILS_EXEC_RESULT://') || true
  [[ $(wc -l <<<"${results}") -eq 2 ]] ||
    die "BashJavaUtils ${command} printed no JVM parameters: $(tail -n 20 <<<"${output}")"
  printf '%s\n' "${results}"
}

start_process() {
  local role=$1 main_class=$2 params jvm_flags dynamic_params
  params=$(resource_params "$3")
  jvm_flags=$(head -n 1 <<<"${params}")
  dynamic_params=$(tail -n 1 <<<"${params}")
  local log_file="${log_dir}/${role}.log"
  # Word splitting of the two BashJavaUtils lines is intended (they are space-separated flags).
  # shellcheck disable=SC2086
  nohup "${java_bin}" ${jvm_flags} "${java_opts[@]}" \
    -Dlog.file="${log_file}" \
    -Dlog4j.configurationFile="file:${conf_dir}/log4j.properties" \
    -Dlog4j2.formatMsgNoLookups=true \
    -classpath "${classpath}" "${main_class}" \
    --configDir "${conf_dir}" "${dynamic[@]}" ${dynamic_params} \
    >"${log_dir}/${role}.out" 2>&1 </dev/null &
  echo $! >"${CLUSTER_DIR}/${role}.pid"
  log "Started ${role} (pid $!), log ${log_file}"
}

cd "${CLUSTER_DIR}"
start_process jobmanager org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint GET_JM_RESOURCE_PARAMS
start_process taskmanager org.apache.flink.runtime.taskexecutor.TaskManagerRunner GET_TM_RESOURCE_PARAMS

# 4. Ready = OUR JobManager's REST API answers (its io.tmp.dirs is our work dir) and lists a registered
#    TaskManager.
rest="http://localhost:${rest_port}"
ours() {
  curl -sf "${rest}/jobmanager/config" 2>/dev/null | python3 -c 'import json, sys
entries = {e["key"]: e["value"] for e in json.load(sys.stdin)}
sys.exit(0 if entries.get("io.tmp.dirs") == sys.argv[1] else 1)' "${CLUSTER_DIR}/tmp" 2>/dev/null
}
deadline=$((SECONDS + timeout_s))
while true; do
  for role in jobmanager taskmanager; do
    if ! kill -0 "$(cat "${CLUSTER_DIR}/${role}.pid")" 2>/dev/null; then
      log "The ${role} exited during start-up. Last lines of ${log_dir}/${role}.{out,log}:"
      tail -n 30 "${log_dir}/${role}.out" "${log_dir}/${role}.log" 2>/dev/null | mask_secrets >&2 || true
      "${DEPLOY_DIR}/cluster-stop.sh" >&2 || true
      die "cluster did not start"
    fi
  done
  registered=$(curl -sf "${rest}/taskmanagers" 2>/dev/null |
    python3 -c 'import json, sys; print(len(json.load(sys.stdin).get("taskmanagers", [])))' 2>/dev/null || echo 0)
  if [[ "${registered}" -ge 1 ]] && ours; then
    break
  fi
  if [[ ${SECONDS} -ge ${deadline} ]]; then
    "${DEPLOY_DIR}/cluster-stop.sh" >&2 || true
    die "no TaskManager registered at ${rest} within ${timeout_s}s; see ${log_dir}"
  fi
  sleep 1
done

slots=$(curl -sf "${rest}/overview" | python_json 'print(doc["slots-total"])')
log "Flink cluster ready in ${SECONDS}s: 1 JobManager, ${registered} TaskManager(s), ${slots} slots"
log "Logs: ${log_dir}   Work dir: ${CLUSTER_DIR}"
echo "Web UI: ${rest}"
