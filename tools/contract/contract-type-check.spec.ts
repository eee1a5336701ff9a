/**
 * The API contract (libs/contract) is the one source of the API's types for both sides: changing
 * the type of a field of a response schema must break the type-check of the front-end code that
 * reads it, and of the API code that produces it. Each TypeScript project is type-checked in
 * memory with the compiler API (what `tsc --noEmit -p <project>/tsconfig.json` does), first as it
 * is, then with one field of the contract turned from a string into a number.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { projectChecker, ROOT, type Finding } from './type-check.js';

/** `text` with `from` replaced by `to` once, after `anchor` (which must be there). */
function mutate(file: string, anchor: string, from: string, to: string): Map<string, string> {
  const path = resolve(ROOT, file);
  const text = readFileSync(path, 'utf8');
  const start = text.indexOf(anchor);
  if (start < 0) throw new Error(`${anchor} not found in ${file}`);
  const at = text.indexOf(from, start);
  if (at < 0) throw new Error(`${from} not found after ${anchor} in ${file}`);
  return new Map([[path, `${text.slice(0, at)}${to}${text.slice(at + from.length)}`]]);
}

const summary = (findings: readonly Finding[]) => findings.map((f) => `${f.file}:${f.line} TS${f.code} ${f.message.split('\n')[0]}`);

describe('a change of the API contract breaks the front-ends’ type-check', () => {
  describe('the console', () => {
    const checker = projectChecker('apps/console/tsconfig.json');

    it('type-checks with the contract as it is', () => {
      expect(summary(checker.check())).toEqual([]);
    }, 300_000);

    it('fails where it reads a response field whose type changed (siret of a case, a heading field of the pipeline’s rows: string → number)', () => {
      const findings = checker.check(mutate('libs/contract/src/onboarding.ts', 'const caseHeading', 'siret: z.string()', 'siret: z.number()'));
      // The pipeline's case table passes `c.siret` to formatSiret(siret: string).
      expect(findings.filter((f) => f.file === 'apps/console/src/pages/staff/pipeline/CaseTable.tsx' && f.code === 2345 && /number/.test(f.message))).toHaveLength(1);
      expect(findings.every((f) => f.file.startsWith('apps/console/src/'))).toBe(true);
    }, 300_000);
  });

  describe('the portal', () => {
    const checker = projectChecker('apps/portal/tsconfig.json');

    it('type-checks with the contract as it is', () => {
      expect(summary(checker.check())).toEqual([]);
    }, 300_000);

    it('fails where it reads a response field whose type changed (usageName of the citizen: string → number)', () => {
      const findings = checker.check(mutate('libs/contract/src/portal.ts', 'export const citizenViewSchema', 'usageName: z.string()', 'usageName: z.number()'));
      // format.ts trims the usage name for the header.
      expect(findings.filter((f) => f.file === 'apps/portal/src/format.ts' && /trim/.test(f.message))).not.toHaveLength(0);
      expect(findings.every((f) => f.file.startsWith('apps/portal/src/'))).toBe(true);
    }, 300_000);
  });
});

describe('a change of the API contract breaks the API’s type-check where it produces the field', () => {
  const checker = projectChecker('apps/api/tsconfig.json', { sourcesOnly: true });

  it('fails where a service builds the answer (tenantName of a case: string → number)', () => {
    const findings = checker.check(mutate('libs/contract/src/onboarding.ts', 'export const caseViewSchema', 'tenantName: z.string()', 'tenantName: z.number()'));
    expect(findings.some((f) => f.file.startsWith('apps/api/src/onboarding/') && /tenantName|number/.test(f.message))).toBe(true);
    expect(findings.every((f) => f.file.startsWith('apps/api/src/'))).toBe(true);
  }, 300_000);

  it('refuses a handler declared as a route whose answer it does not return (@Endpoint)', () => {
    // The pipeline's handler (PipelineView) declared as the case's route (CaseView).
    const findings = checker.check(mutate('apps/api/src/onboarding/pipeline.controller.ts', 'export class PipelineController', "@Endpoint('pipeline')", "@Endpoint('getCase')"));
    expect(findings.map((f) => `${f.file} TS${f.code}`)).toEqual(['apps/api/src/onboarding/pipeline.controller.ts TS1241']);
  }, 300_000);
});
