/**
 * A real local Ray head for the ray-runner tests: `ray start --head --block` from the test venv
 * (python -m ray.scripts.scripts: the venv's console scripts may name the folder it was built in),
 * 2 CPUs, its own temp dir and port, in its own process group so that `stop` ends exactly the
 * processes it started (never `ray stop`, which would end every Ray on the machine).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export interface LocalRayHead {
  address: string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

function exited(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(t);
      resolve(true);
    });
  });
}

export async function startRayHead(python: string): Promise<LocalRayHead> {
  // Short: Ray's Unix sockets live under it (a 107-byte path limit).
  const tempDir = mkdtempSync(path.join(os.tmpdir(), 'elray-'));
  const port = await freePort();
  const args = ['-m', 'ray.scripts.scripts', 'start', '--head', '--block', '--num-cpus', '2', '--disable-usage-stats', '--include-dashboard', 'false'];
  args.push('--temp-dir', tempDir, '--port', String(port), '--node-ip-address', '127.0.0.1');
  // Two heads at once (the ray-runner and ray-jobs-runner files run in parallel): each its own
  // worker port range (Ray's default, 10002-19999, is shared: a driver then failed to bind).
  // A range that leaves out the head's own port (port 37297 gave 37000-37999: "used by other components").
  const slot = port % 40;
  const inside = port >= 20_000 + slot * 1000 && port < 21_000 + slot * 1000;
  const range = 20_000 + ((slot + (inside ? 1 : 0)) % 40) * 1000;
  args.push('--min-worker-port', String(range), '--max-worker-port', String(range + 999));
  const child = spawn(python, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, RAY_USAGE_STATS_ENABLED: '0' } });
  let output = '';
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (d: Buffer) => {
      output += d.toString('utf8');
      if (/Ray runtime started/.test(output)) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`ray start exited with ${code}: ${output.slice(-2000)}`)));
    setTimeout(() => reject(new Error(`ray start did not report a running head in 180 s: ${output.slice(-2000)}`)), 180_000).unref();
  });
  const stop = async () => {
    const group = -child.pid!;
    try {
      process.kill(group, 'SIGTERM');
    } catch {
      /* already gone */
    }
    if (!(await exited(child, 20_000))) {
      try {
        process.kill(group, 'SIGKILL');
      } catch {
        /* already gone */
      }
      await exited(child, 5_000);
    }
    // The head's own children (raylet, GCS, workers) share its process group.
    try {
      process.kill(group, 'SIGKILL');
    } catch {
      /* all gone */
    }
    rmSync(tempDir, { recursive: true, force: true });
  };
  try {
    await ready;
  } catch (e) {
    await stop();
    throw e;
  }
  return { address: `127.0.0.1:${port}`, stop };
}
