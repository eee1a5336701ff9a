import { z } from 'zod';
import { booleanFlag, parseSection, pick, type ConfigIssue, type Env } from '../env.js';

export interface FeaturesConfig {
  /**
   * Non-production flag: allows `custom` FranceConnect issuers and API Particulier base URLs
   * (tests, staging). Off by default; must stay off in production.
   */
  readonly allowCustomEndpoints: boolean;
}

export const FEATURES_VARIABLES = ['ALLOW_CUSTOM_ENDPOINTS'] as const;

export function featuresSection(env: Env, issues: ConfigIssue[]): FeaturesConfig | undefined {
  const schema = z
    .object({ ALLOW_CUSTOM_ENDPOINTS: booleanFlag.default(false) })
    .transform((v) => ({ allowCustomEndpoints: v.ALLOW_CUSTOM_ENDPOINTS }));
  return parseSection(schema, pick(env, FEATURES_VARIABLES), issues);
}
