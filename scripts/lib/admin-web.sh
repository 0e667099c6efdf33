# Sourced by the scripts: builds the admin site (admin-web/dist) when it is missing or older than its sources, if
# Node.js (20+) and npm are installed. The Java build never needs npm: the jar packs admin-web/dist when it exists
# (ADR 0012). Set MAESTRO_SKIP_ADMIN_WEB=1 to skip.

admin_web_stale() {
  [ ! -f admin-web/dist/index.html ] && return 0
  [ -n "$(find admin-web/src admin-web/index.html admin-web/package-lock.json admin-web/vite.config.ts \
      -newer admin-web/dist/index.html -print -quit 2>/dev/null)" ]
}

build_admin_web() {
  if [ -n "${MAESTRO_SKIP_ADMIN_WEB:-}" ] || ! admin_web_stale; then return 0; fi
  if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
    echo "note: Node.js/npm not found; the gateway is built without the admin site (/admin/ explains how to add it)" >&2
    return 0
  fi
  echo "building the admin site (admin-web/)…" >&2
  (
    cd admin-web
    if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
      npm install --no-audit --no-fund --loglevel=error
    fi
    npm run --silent build
  )
}
