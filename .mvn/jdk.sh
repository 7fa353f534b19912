# Picks a JDK >= 21 and exports JAVA_HOME. Sourced (POSIX sh) by ./mvnw, ./handoff and .ci/run.
# Order: $JAVA_HOME if it is >= 21; else the newest JDK >= 21 under /usr/lib/jvm (Linux) or
# /Library/Java/JavaVirtualMachines (macOS); else the `java` on PATH if it is >= 21.

handoff_jdk_major() {
  # Prints the feature version of the JDK at $1 (e.g. 25), or nothing.
  if [ -f "$1/release" ]; then
    sed -n 's/^JAVA_VERSION="\{0,1\}\([0-9][0-9]*\).*/\1/p' "$1/release" | head -n 1
  elif [ -x "$1/bin/java" ]; then
    "$1/bin/java" -XshowSettings:properties -version 2>&1 \
      | sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
  fi
}

handoff_jdk_ok() {
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 1
  _v=$(handoff_jdk_major "$1")
  [ -n "$_v" ] && [ "$_v" -ge 21 ]
}

handoff_pick_jdk() {
  if [ -n "${JAVA_HOME-}" ] && handoff_jdk_ok "$JAVA_HOME"; then
    export JAVA_HOME
    return 0
  fi
  _best=""
  _bestv=0
  case $- in *f*) _handoff_noglob=1; set +f ;; *) _handoff_noglob=0 ;; esac
  for _d in /usr/lib/jvm/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -d "$_d" ] || continue
    [ -L "$_d" ] && continue
    if handoff_jdk_ok "$_d"; then
      _v=$(handoff_jdk_major "$_d")
      if [ "$_v" -gt "$_bestv" ]; then
        _best=$_d
        _bestv=$_v
      fi
    fi
  done
  [ "$_handoff_noglob" = 1 ] && set -f
  if [ -z "$_best" ] && command -v java >/dev/null 2>&1 && command -v javac >/dev/null 2>&1; then
    _home=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.home = //p' | head -n 1)
    if [ -n "$_home" ] && handoff_jdk_ok "$_home"; then
      _best=$_home
    fi
  fi
  if [ -z "$_best" ]; then
    echo "handoff: needs a JDK 21 or newer, and found none (JAVA_HOME=${JAVA_HOME-unset}; looked in /usr/lib/jvm and on PATH)." >&2
    echo "handoff: install one (e.g. 'apt-get install openjdk-21-jdk-headless' or a Temurin 21+ JDK) or point JAVA_HOME at it." >&2
    exit 1
  fi
  JAVA_HOME=$_best
  export JAVA_HOME
}

handoff_pick_jdk
