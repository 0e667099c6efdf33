#!/bin/sh
# Launch script of the streaming Lambda (the function's handler). The AWS Lambda Web Adapter layer
# (AWS_LAMBDA_EXEC_WRAPPER=/opt/bootstrap) runs it, waits until AWS_LWA_READINESS_CHECK_PATH answers on AWS_LWA_PORT,
# then forwards each Function URL request to it and streams the response (AWS_LWA_INVOKE_MODE=response_stream).
# The gateway detects Lambda (AWS_LAMBDA_FUNCTION_NAME) and takes its settings from the environment and Secrets
# Manager only: no embedded PostgreSQL or SQS (docs/deploy.md).
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
export PORT="${AWS_LWA_PORT:-${PORT:-8000}}"
if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
  java="$JAVA_HOME/bin/java"
else
  java=java
fi
# Small, fast-starting JVM settings for a 1-2 GB function; MAESTRO_JAVA_OPTS adds or overrides.
exec "$java" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:MaxRAMPercentage=75 -Djava.net.preferIPv4Stack=true \
  ${MAESTRO_JAVA_OPTS:-} -jar "$here/maestro-gateway.jar"
