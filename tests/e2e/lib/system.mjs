// The REAL system for end-to-end tests: scripts/demo.sh run in a temporary folder (the very steps of
// `make demo`: ecpa-sim PKI and cards on SoftHSM2 behind cardmod, ICSC client, people, to-dos, ecpa-sim serve,
// ecpa-agent, ecpa-portal, 陳美玲's card bound through the API), then stopped with SIGTERM to its process group.
//
// Binaries come from ECPA_BUILD_DIR (default: build/release, else build/debug, whichever has ecpa-portal).
// The agent listens on 127.0.0.1:61161 — the address the pages call; tests route http://localhost:61161 to
// it (127.0.0.1 so that "localhost" resolving to ::1 cannot matter). The portal and ecpa-sim take free ports.

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { REPO } from './harness.mjs';

export const AGENT_PORT = 61161;

/** The demo people (scripts/demo.sh). */
export const PEOPLE = {
  wang: { name: '王小明', id: 'A123456789', pin: '123456' },
  chen: { name: '陳美玲', id: 'B223456782', pin: '222333' },
  lin: { name: '林志豪', id: 'F135792464', pin: '333444' },
};

export function buildDir() {
  const candidates = process.env.ECPA_BUILD_DIR ? [process.env.ECPA_BUILD_DIR] : ['build/release', 'build/debug'];
  for (const c of candidates) {
    const dir = c.startsWith('/') ? c : join(REPO, c);
    if (existsSync(join(dir, 'apps', 'portal', 'ecpa-portal'))) return dir;
  }
  throw new Error(`no built ecpa-portal in ${candidates.join(' or ')} (set ECPA_BUILD_DIR to your build folder)`);
}

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Starts the whole system. allowPortal: the portal's origin on the agent's allowlist (direct mode) or not
 * (pop-up mode). Returns { origin, agentUrl, simUrl, dir, output(), stop() }.
 */
export async function startSystem({ allowPortal = true, smoke = false, timeoutMs = 90_000 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'ecpa-e2e-'));
  const env = {
    ...process.env,
    DEMO_DIR: join(dir, 'demo'),
    DEMO_PORTAL_PORT: String(await freePort()),
    DEMO_SIM_PORT: String(await freePort()),
    DEMO_AGENT_PORT: String(AGENT_PORT),
    DEMO_AGENT_ALLOW_PORTAL: allowPortal ? '1' : '0',
    DEMO_SMOKE: smoke ? '1' : '0',
  };
  // Its own process group, so stop() reaches every service even if the script itself were gone.
  const child = spawn('bash', [join(REPO, 'scripts', 'demo.sh'), buildDir()], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));

  const stop = async () => {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
    const result = await Promise.race([exited, new Promise((r) => setTimeout(() => r(null), 15_000))]);
    if (result === null) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
    return result;
  };

  const ready = await new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), timeoutMs);
    const check = () => {
      const m = /^DEMO_READY origin=(\S+) agent=(\S+) sim=(\S+) dir=(\S+)$/m.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve({ origin: m[1], agentUrl: m[2], simUrl: m[3], dir: m[4] });
      }
    };
    child.stdout.on('data', check);
    exited.then(() => {
      check();
      clearTimeout(timer);
      resolve(null);
    });
  });
  if (!ready) {
    const text = output;
    await stop();
    throw new Error(`the system did not start:\n${text.split('\n').slice(-15).join('\n')}`);
  }
  return { ...ready, output: () => output, exited, stop };
}
