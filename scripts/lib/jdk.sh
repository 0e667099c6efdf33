# Sourced by the scripts: makes JAVA_HOME point at a JDK >= 21.
# Keeps the caller's JAVA_HOME (or the java on PATH) when it is new enough; otherwise picks the newest JDK >= 21
# under /usr/lib/jvm (this machine's default java is 17; a Temurin JDK ships beside it).

java_major() {
  "$1" -version 2>&1 | awk -F'"' '/version/ {split($2, v, "."); print (v[1] == "1" ? v[2] : v[1]); exit}'
}

pick_jdk() {
  local candidate major
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    major=$(java_major "$JAVA_HOME/bin/java")
    if [ "${major:-0}" -ge 21 ]; then return 0; fi
  fi
  if command -v java >/dev/null 2>&1; then
    major=$(java_major java)
    if [ "${major:-0}" -ge 21 ] && command -v javac >/dev/null 2>&1; then
      JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
      export JAVA_HOME
      return 0
    fi
  fi
  for candidate in $(ls -d /usr/lib/jvm/* /opt/java/* /opt/jdk* 2>/dev/null | sort -rV); do
    if [ -x "$candidate/bin/javac" ]; then
      major=$(java_major "$candidate/bin/java")
      if [ "${major:-0}" -ge 21 ]; then
        JAVA_HOME=$candidate
        export JAVA_HOME
        return 0
      fi
    fi
  done
  echo "Model Maestro needs a JDK 21 or newer; set JAVA_HOME to one." >&2
  return 1
}

# The gateway's default JVM flags (scripts/run and the benchmark's gateways; JAVA_OPTS replaces them in scripts/run).
# A 512 MiB heap ceiling with a 64 MiB young generation: the live set is ~35 MiB, the ceiling leaves room for large
# agent payloads, and the bounded young generation keeps the memory the collector touches small (the JVM's default
# ceiling is a quarter of the machine's RAM, and ParallelGC's bookkeeping grows with it: ~100 MiB RSS on 24 GiB).
# Compact object headers (JEP 519) where the JDK has them as a product flag (25+). docs/benchmarks/README.md has the
# measurements behind each flag.
gateway_java_opts() {
  local opts="-XX:+UseParallelGC -Xss512k -Xmx512m -Xmn64m"
  if [ "$(java_major "$JAVA_HOME/bin/java")" -ge 25 ]; then
    opts="$opts -XX:+UseCompactObjectHeaders"
  fi
  echo "$opts"
}

pick_jdk
export PATH="$JAVA_HOME/bin:$PATH"
