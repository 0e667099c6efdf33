// Starts the real gateway (the shaded jar) on embedded defaults with a fresh data directory.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function java() {
  const home = process.env.JAVA_HOME;
  return home ? path.join(home, 'bin', 'java') : 'java';
}

export async function startGateway({ jar, env = {}, logFile }) {
  const port = await freePort();
  // The embedded PostgreSQL runs as 'nobody' when we are root: its directory must be traversable.
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'maestro-e2e-'));
  fs.chmodSync(dataDir, 0o755);
  const log = fs.createWriteStream(logFile);
  const child = spawn(java(), ['-XX:+UseParallelGC', '-Xss512k', '-Xmx768m', '-jar', jar], {
    env: {
      ...process.env,
      PORT: String(port),
      MAESTRO_DATA_DIR: dataDir,
      MAESTRO_ADMIN_PASSWORD: '',
      ADMIN_PASSWORD: '',
      DATABASE_URL: '',
      SQS_QUEUE_URL: '',
      SQS_ENDPOINT: '',
      REDIS_URL: '',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  let exited = null;
  child.on('exit', (code) => (exited = code));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (exited !== null) throw new Error(`gateway exited with ${exited} before it was ready; see ${logFile}`);
    if (Date.now() > deadline) throw new Error(`gateway not ready after 180 s; see ${logFile}`);
    try {
      const r = await fetch(base + '/health', { headers: { Accept: 'application/json' } });
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return {
    base,
    port,
    dataDir,
    async stop() {
      if (exited === null) {
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 30_000);
        await new Promise((r) => (exited !== null ? r() : child.once('exit', r)));
        clearTimeout(t);
      }
      log.end();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
