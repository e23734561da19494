#!/usr/bin/env bash
# Writes the savepoint fixtures under job/src/test/resources/compat/ with a RELEASE's jars.
#
#   [RELEASE=<commit>] job/src/test/compat/generate-fixtures.sh [full|full-incremental ...]   (default: both)
#
# The fixtures of a release go to compat/<short commit>-full-mid-snapshot and
# compat/<short commit>-incremental-mid-snapshot; those of 7eef506 (the default, the first release with
# savepoints to keep) predate that naming and keep compat/full-mid-snapshot and compat/incremental-mid-snapshot.
# Write a fixture only with its own release: see SavepointFixtureGenerator's Javadoc for which and when.
#
# It exports the release commit (RELEASE, default below) into a temporary directory, builds it there
# (mvn package, nothing is installed into ~/.m2), resolves that build's test classpath, and runs
# SavepointFixtureGenerator.java (this directory; not part of the Maven build) against it. The exported tree is
# never changed and deleted afterwards. Each fixture's README.md names the commit and what the savepoint holds.
set -euo pipefail

RELEASE="${RELEASE:-7eef506964257bf756ee9c313387b627ef31c270}"
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(git -C "$here" rev-parse --show-toplevel)"
kinds=("$@")
[ ${#kinds[@]} -eq 0 ] && kinds=(full full-incremental)

old="$(mktemp -d /tmp/mongo-resume-release-XXXXXX)"
trap 'rm -rf "$old"' EXIT
git -C "$repo" archive "$RELEASE" | tar -x -C "$old"
(cd "$old" && mvn -B -q -pl job -am package -DskipTests \
    dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$old/classpath.txt")
classpath="$old/job/target/mongo-resume-job-0.1.0-SNAPSHOT.jar:$(cat "$old/classpath.txt")"
# Flink's --add-opens list, as the build gives it to every test JVM.
opens="$(sed -n 's:.*<flink.add-opens>\(.*\)</flink.add-opens>.*:\1:p' "$old/pom.xml")"

short="$(git -C "$repo" rev-parse --short=7 "$RELEASE")"
prefix="$short-"
[ "$short" = 7eef506 ] && prefix=""

for kind in "${kinds[@]}"; do
    case "$kind" in
        full) dir="${prefix}full-mid-snapshot" ;;
        full-incremental) dir="${prefix}incremental-mid-snapshot" ;;
        *) echo "unknown fixture kind: $kind" >&2; exit 2 ;;
    esac
    # shellcheck disable=SC2086
    java $opens -Xmx1g -Dlog4j.configurationFile="$old/job/src/test/resources/log4j2-test.properties" \
        -cp "$classpath" "$here/SavepointFixtureGenerator.java" \
        "$kind" "$repo/job/src/test/resources/compat/$dir" "$short"
    du -sh "$repo/job/src/test/resources/compat/$dir"
done
