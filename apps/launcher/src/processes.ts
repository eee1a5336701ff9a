import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';

export interface ManagedProcess {
  readonly name: string;
  readonly child: ChildProcess;
  /** Resolves with the exit code when the process has ended. */
  readonly exited: Promise<number | null>;
  /** The last lines it wrote on stderr, to explain a crash. */
  lastErrors(): string[];
}

/** Starts `node <script>` with its output appended to `logFile`. */
export function startNodeProcess(name: string, script: string, env: NodeJS.ProcessEnv, logFile: string): ManagedProcess {
  const child = spawn(process.execPath, [script], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = createWriteStream(logFile, { flags: 'a' });
  const recent: string[] = [];
  child.stdout?.pipe(log, { end: false });
  child.stderr?.on('data', (chunk: Buffer) => {
    log.write(chunk);
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim()) recent.push(line);
      if (recent.length > 20) recent.shift();
    }
  });
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      log.end();
      resolve(code);
    });
  });
  return { name, child, exited, lastErrors: () => [...recent] };
}

/** Asks a process to stop (SIGTERM), then kills it if it is still there after `graceMs`. */
export async function stopProcess(processToStop: ManagedProcess, graceMs = 10_000): Promise<void> {
  if (processToStop.child.exitCode !== null || processToStop.child.signalCode !== null) return;
  processToStop.child.kill('SIGTERM');
  const timer = setTimeout(() => processToStop.child.kill('SIGKILL'), graceMs);
  await processToStop.exited;
  clearTimeout(timer);
}
