#!/usr/bin/env bash
# Builds the published artifacts twice from clean copies of the working tree and compares the SHA-256 of
# every published jar, sources jar, Javadoc jar and installed (flattened) pom. Exits 1 on any difference.
# It relies on project.build.outputTimestamp (root pom). Never installs: ~/.m2 is only read.
#   scripts/check-reproducible.sh            # published modules found in router-bom's list and the reactor
#   MVN_ARGS=-o scripts/check-reproducible.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/wsrouter-repro.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# Published = in the reactor and not marked maven.deploy.skip (router-bom's pom included).
modules=()
for pom in "$root"/*/pom.xml; do
  dir="$(basename "$(dirname "$pom")")"
  grep -q "<module>$dir</module>" "$root/pom.xml" || continue
  grep -q '<maven.deploy.skip>true</maven.deploy.skip>' "$pom" && continue
  modules+=("$dir")
done
[ "${#modules[@]}" -gt 0 ] || { echo "no published module found" >&2; exit 2; }
list="$(IFS=,; echo "${modules[*]}")"
echo "published modules: $list"

# Both copies are taken now, from the working tree as it is (tracked and untracked files, no build
# output), so an edit made while the first build runs cannot make the two differ.
for copy in first second; do
  mkdir -p "$work/$copy"
  (cd "$root" && git ls-files -co --exclude-standard -z | xargs -0 cp --parents -t "$work/$copy")
done

build() {
  local copy="$work/$1"
  (cd "$copy" && mvn -B ${MVN_ARGS:-} -pl "$list" -am clean package -DskipTests -Dinvoker.skip=true \
      > "$work/$1.log" 2>&1) || { tail -50 "$work/$1.log"; echo "build $1 failed" >&2; exit 2; }
  (cd "$copy" && for m in "${modules[@]}"; do
     for f in "$m"/target/*.jar "$m"/target/flattened-pom.xml; do
       [ -f "$f" ] && sha256sum "$f"
     done
   done) | sort -k2 > "$work/$1.sha"
}

build first
build second
# Javadoc's doclint warnings per module, from the first build. The root pom fails the build on any, so
# after a successful build this prints nothing.
awk '/Building wsrouter/ {m=$5} /maven-javadoc-plugin/ {j=m} /^\[WARNING\] [0-9]+ warnings?$/ && j {print "javadoc " j ": " $2 " warnings"; j=""}' \
  "$work/first.log"
echo "artifacts compared: $(wc -l < "$work/first.sha")"
if diff "$work/first.sha" "$work/second.sha"; then
  cat "$work/first.sha"
  echo "REPRODUCIBLE: every published artifact is byte-identical across two clean builds"
else
  echo "NOT REPRODUCIBLE: the artifacts above differ between two clean builds" >&2
  exit 1
fi
