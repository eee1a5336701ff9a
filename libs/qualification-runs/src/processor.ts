import { existsSync } from 'node:fs';
import type { DataSource } from 'typeorm';
import type { JobContext, JobProcessor, RobotRunPayload, RobotRunResult } from '@fcplat/queue';
import { runQualificationRobot, type BrowserPool } from '@fcplat/qualification-robot';
import { completeRun, failRun, recordProgress, recordTarget, takeRun } from './store.js';
import { serialProgress } from './progress.js';
import { prepareTarget, type TargetSettings } from './target.js';
import { ROBOT_RUN_JOB } from './requests.js';

export type RobotLog = (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;

export interface RobotProcessorSettings extends TargetSettings {
  /** One tenant's run is stopped past this (the run fails with ROBOT_TIMEOUT). */
  readonly runTimeoutMs: number;
  /** A running run whose worker has not beaten for this long may be taken over. */
  readonly staleAfterMs: number;
  /** How often a running run beats, whatever the robot is doing. */
  readonly heartbeatMs: number;
  /** Chromium's executable, to tell staff plainly when it is missing. */
  readonly chromiumPath: string;
}

export const DEFAULT_ROBOT_PROCESSOR_SETTINGS = { runTimeoutMs: 120_000, staleAfterMs: 90_000, heartbeatMs: 10_000 } as const;

/**
 * The worker's processor of `qualification.robot-run`: takes the run (one worker only), prepares
 * the target (portal URL, clients, a robot pass when the live client is production), borrows a
 * browser from the pool, runs the robot with progress written for the console, then stores the
 * report and updates the checklist in one transaction. A run that fails keeps a French message
 * and a stable code; nothing of the robot's error text (URLs may carry the pass) is stored or logged.
 */
export class RobotRunProcessor implements JobProcessor<typeof ROBOT_RUN_JOB> {
  readonly name = ROBOT_RUN_JOB;

  constructor(
    private readonly dataSource: DataSource,
    private readonly pool: BrowserPool,
    private readonly settings: RobotProcessorSettings,
    private readonly log: RobotLog,
  ) {}

  async process(payload: RobotRunPayload, context: JobContext): Promise<RobotRunResult> {
    const run = await takeRun(this.dataSource, payload.runId, context.workerId, this.settings.staleAfterMs);
    if (!run) return { outcome: 'skipped' };
    const beat = setInterval(() => {
      void this.dataSource.query(`UPDATE qualification_robot_run SET heartbeat_at = now() WHERE id = $1 AND status = 'running'`, [run.runId]).catch(() => undefined);
    }, this.settings.heartbeatMs);
    beat.unref();
    const started = Date.now();
    try {
      const prepared = await prepareTarget(this.dataSource, run.tenantId, run.runId, this.settings);
      if (!prepared) {
        await failRun(this.dataSource, run.runId, 'TENANT_UNAVAILABLE', 'Client introuvable ou suspendu : son portail n’est pas publié.');
        return { outcome: 'done', status: 'failed' };
      }
      await recordTarget(this.dataSource, run.runId, prepared.target.portalUrl, prepared.liveEnvironment, prepared.loginEnvironment);
      await recordProgress(this.dataSource, run.runId, 0, 1, 'En attente d’un navigateur');
      const signal = AbortSignal.timeout(this.settings.runTimeoutMs);
      const progress = serialProgress((done, total, label) => recordProgress(this.dataSource, run.runId, done, total, label));
      const report = await this.pool.use((browser) =>
        runQualificationRobot(prepared.target, {
          browser,
          signal,
          timeoutMs: this.settings.runTimeoutMs,
          onProgress: (done, total, label) => progress.report(done, total, label),
        }),
      ).finally(() => progress.flush());
      const counts = await completeRun(this.dataSource, run, report);
      this.log('info', 'qualification robot run completed', { tenantId: run.tenantId, runId: run.runId, ms: Date.now() - started, ...counts });
      return { outcome: 'done', status: 'completed' };
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      const noBrowser = !timedOut && !existsSync(this.settings.chromiumPath);
      const code = timedOut ? 'ROBOT_TIMEOUT' : noBrowser ? 'ROBOT_BROWSER_MISSING' : 'ROBOT_ERROR';
      const message = timedOut
        ? 'La vérification a dépassé le temps imparti : le portail ou FranceConnect a répondu trop lentement. Relancez-la.'
        : noBrowser
          ? 'Le navigateur du robot (Chromium) est introuvable sur le serveur de traitement : l’équipe technique doit l’installer ou renseigner QUALIFICATION_ROBOT_CHROMIUM_PATH.'
          : 'La vérification n’a pas pu aller au bout (erreur du robot ou portail injoignable). Relancez-la ; si l’erreur persiste, contactez l’équipe technique.';
      await failRun(this.dataSource, run.runId, code, message);
      this.log('warn', 'qualification robot run failed', { tenantId: run.tenantId, runId: run.runId, code, errorName: error instanceof Error ? error.name : typeof error });
      return { outcome: 'done', status: 'failed' };
    } finally {
      clearInterval(beat);
    }
  }
}
