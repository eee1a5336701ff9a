import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, createWriteStream, writeFileSync } from 'node:fs';

/** Log files and the CLI environment hold what only this user may read: created (or made) 0600. */
const PRIVATE_FILE_MODE = 0o600;

/** Writes `content` to `file`, readable by this user only (an existing file is made so too). */
export function writePrivateFile(file: string, content: string): void {
  writeFileSync(file, content, { mode: PRIVATE_FILE_MODE });
  chmodSync(file, PRIVATE_FILE_MODE);
}

export interface ManagedProcess {
  readonly name: string;
  readonly child: ChildProcess;
  /** Resolves with the exit code when the process has ended. */
  readonly exited: Promise<number | null>;
  /** The last lines it wrote on stderr, to explain a crash. */
  lastErrors(): string[];
}

/** Starts `node <script>` with its output appended to `logFile` (mode 0600). */
export function startNodeProcess(name: string, script: string, env: NodeJS.ProcessEnv, logFile: string): ManagedProcess {
  // Opened before the process starts, so not one line is written to a file others can read.
  writeFileSync(logFile, '', { flag: 'a', mode: PRIVATE_FILE_MODE });
  chmodSync(logFile, PRIVATE_FILE_MODE);
  const child = spawn(process.execPath, [script], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = createWriteStream(logFile, { flags: 'a', mode: PRIVATE_FILE_MODE });
  const recent: string[] = [];
  child.stdout?.pipe(log, { end: false });
  child.stderr?.on('data', (chunk: Buffer) => {
    log.write(chunk);
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim()) recent.push(line);
      if (recent.length > 20) recent.shift();
    }
  });
  // 'close', not 'exit': the process may be gone while its last output is still in the pipes;
  // the log file is complete (flushed) when `exited` resolves.
  const exited = new Promise<number | null>((resolve) => {
    child.once('close', (code) => {
      log.end(() => resolve(code));
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
