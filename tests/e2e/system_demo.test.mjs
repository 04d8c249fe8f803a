// `make demo` itself (scripts/demo.sh through lib/system.mjs): the smoke run starts everything, prints the
// URL, people, PINs and card states, stops everything and exits 0; Ctrl-C/SIGTERM leaves nothing behind;
// a taken port stops it before anything is created; the three cards are in the states it announces.

import { createServer } from 'node:net';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { REPO, assert, newContext } from './lib/harness.mjs';
import { AGENT_PORT, PEOPLE, buildDir, loginThroughApi, startSystem, useCard } from './lib/system.mjs';

const portFree = (port) =>
  new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });

const portOf = (url) => Number(new URL(url).port);

// What `make demo` would build in a fresh build tree: every command ninja would run for the ecpa_demo
// target (`ninja -t commands`, so no compiler runs), in a temporary configure.
function demoBuildCommands() {
  const dir = join(REPO, 'build', 'e2e-demo-plan');
  rmSync(dir, { recursive: true, force: true });
  try {
    const configure = spawnSync('cmake', ['-S', REPO, '-B', dir, '-G', 'Ninja', '-DCMAKE_BUILD_TYPE=Release'], { encoding: 'utf8' });
    assert(configure.status === 0, `cmake configure failed:\n${configure.stdout}\n${configure.stderr}`);
    const plan = spawnSync('ninja', ['-C', dir, '-t', 'commands', 'ecpa_demo'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    assert(plan.status === 0, `ninja -t commands ecpa_demo failed:\n${plan.stderr}`);
    return plan.stdout.split('\n').filter((l) => l.trim() !== '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const tests = [
  {
    name: 'make demo builds what the demo runs and nothing more (no test, bench or fuzz target)',
    run: async () => {
      const make = spawnSync('make', ['-n', 'demo'], { cwd: REPO, encoding: 'utf8' });
      assert(make.status === 0, `make -n demo failed: ${make.stderr}`);
      assert(/--target ecpa_demo/.test(make.stdout), `make demo does not build the ecpa_demo target:\n${make.stdout}`);
      assert(!/cmake --build \S+ -j\d+\s*$/m.test(make.stdout), `make demo still builds everything:\n${make.stdout}`);
      const commands = demoBuildCommands();
      // What gets linked: compiler runs with -o that are not object files.
      const outputs = commands.flatMap((c) => [...c.matchAll(/ -o (\S+)/g)].map((m) => m[1])).filter((o) => !o.endsWith('.o'));
      const programs = ['apps/portal/ecpa-portal', 'apps/agent/ecpa-agent', 'apps/sim/ecpa-sim', 'apps/cardmod/libecpa_cardmod.so'];
      for (const wanted of programs) assert(outputs.includes(wanted), `the demo build does not make ${wanted}: ${outputs.join(', ')}`);
      const extra = outputs.filter((o) => !programs.includes(o));
      assert(extra.length === 0, `the demo build links what the demo never runs: ${extra.join(', ')}`);
      const tests = commands.filter((c) => /_test\.cpp|\/bench\/|\/fuzz\//.test(c));
      assert(tests.length === 0, `the demo build compiles tests, benchmarks or fuzzers:\n${tests.slice(0, 5).join('\n')}`);
    },
  },
  {
    name: 'DEMO_SMOKE=1: every service answers, the people are printed, everything stops, exit 0',
    run: async () => {
      const system = await startSystem({ smoke: true });
      const result = await system.exited;
      const out = system.output();
      try {
        assert(result.code === 0, `exit ${result.code}/${result.signal}:\n${out}`);
        assert(out.includes(`portal     ${system.origin}/`), 'the portal URL is not printed');
        for (const p of Object.values(PEOPLE)) {
          const line = out.split('\n').find((l) => l.includes(p.name) && l.includes(p.id));
          assert(line?.includes(p.pin), `${p.name}: no line with ID and PIN:\n${out}`);
        }
        assert(/王小明.*not bound yet/.test(out) && /陳美玲.*already bound/.test(out) && /林志豪.*revoked/.test(out), `card states missing:\n${out}`);
        assert(out.includes('Ctrl-C'), 'how to stop is not printed');
        for (const url of [system.origin, system.agentUrl, system.simUrl]) assert(await portFree(portOf(url)), `${url} still listens after the smoke run`);
      } finally {
        await system.stop();
      }
    },
  },
  {
    name: 'the cards are as announced: 陳美玲 logs in, 林志豪 is refused as revoked; Ctrl-C stops everything',
    run: async () => {
      const system = await startSystem();
      const context = await newContext();
      let stopped = null;
      try {
        await useCard(system, PEOPLE.chen.name);
        const chen = await loginThroughApi(context, system, PEOPLE.chen);
        assert(chen.person?.name === PEOPLE.chen.name, `陳美玲's login: ${JSON.stringify(chen)}`);
        await useCard(system, PEOPLE.lin.name);
        const other = await newContext();
        try {
          await loginThroughApi(other, system, PEOPLE.lin);
          throw new Error('林志豪 logged in with a revoked card');
        } catch (e) {
          assert(/CERT_REVOKED/.test(e.message), `林志豪: ${e.message}`);
        } finally {
          await other.close();
        }
      } finally {
        await context.close();
        stopped = await system.stop({ signal: 'SIGINT' }); // a terminal's Ctrl-C: SIGINT to the whole group
      }
      assert(stopped && stopped.code === 0, `demo.sh after Ctrl-C: ${JSON.stringify(stopped)}\n${system.output().slice(-500)}`);
      assert(system.output().includes('demo: stopping'), 'no stopping message');
      for (const url of [system.origin, system.agentUrl, system.simUrl]) assert(await portFree(portOf(url)), `${url} still listens after Ctrl-C`);
    },
  },
  {
    name: 'the printed `kill -TERM <pid>` (the script alone) stops every service and exits 0',
    run: async () => {
      const system = await startSystem();
      const pid = /kill -TERM (\d+)\)/.exec(system.output())?.[1];
      assert(pid, 'no pid printed');
      const stopped = await system.stop({ group: false });
      assert(stopped && stopped.code === 0, `demo.sh after SIGTERM: ${JSON.stringify(stopped)}\n${system.output().slice(-500)}`);
      for (const url of [system.origin, system.agentUrl, system.simUrl]) assert(await portFree(portOf(url)), `${url} still listens after SIGTERM to the script`);
    },
  },
  {
    name: 'a taken port stops the demo at once, with the port named, before anything is created',
    run: async () => {
      const blocker = createServer();
      await new Promise((resolve) => blocker.listen(0, '127.0.0.1', resolve));
      const port = blocker.address().port;
      const dir = join(REPO, 'build', 'e2e-demo-taken-port');
      rmSync(dir, { recursive: true, force: true });
      try {
        const r = spawnSync('bash', [join(REPO, 'scripts', 'demo.sh'), buildDir()], {
          env: { ...process.env, DEMO_DIR: dir, DEMO_PORTAL_PORT: String(port), DEMO_SIM_PORT: '1', DEMO_AGENT_PORT: String(AGENT_PORT) },
          encoding: 'utf8',
          timeout: 20_000,
        });
        assert(r.status === 1, `exit ${r.status}: ${r.stdout}${r.stderr}`);
        assert(r.stderr.includes(`port ${port}`) && r.stderr.includes('already in use'), `message: ${r.stderr}`);
        assert(!existsSync(dir), 'the demo folder was created although the demo could not start');
      } finally {
        await new Promise((resolve) => blocker.close(resolve));
      }
    },
  },
];
