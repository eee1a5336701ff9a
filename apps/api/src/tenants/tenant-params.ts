import { Injectable, type PipeTransform } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { AppError, validationError } from '@fcplat/common';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const TENANT_NOT_FOUND = 'Organisme introuvable.';

/** A tenant id path parameter: anything but a UUID is simply "not found" (no format oracle). */
@Injectable()
export class TenantIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (typeof value !== 'string' || !UUID.test(value)) throw new AppError('NOT_FOUND', { detail: TENANT_NOT_FOUND });
    return value.toLowerCase();
  }
}

/** Name of the unique constraint a failed INSERT/UPDATE violated, if that is why it failed. */
export function uniqueViolation(error: unknown): string | null {
  if (!(error instanceof QueryFailedError)) return null;
  const driver = (error as QueryFailedError & { driverError?: { code?: string; constraint?: string } }).driverError;
  return driver?.code === '23505' ? (driver.constraint ?? '') : null;
}

/** A path parameter that must be one of `values`; anything else is a 400 naming the accepted values. */
export function enumParam<const V extends readonly string[]>(value: string, values: V, name: string, label: string): V[number] {
  if ((values as readonly string[]).includes(value)) return value as V[number];
  throw validationError([{ path: name, message: `${label} inconnu (attendu : ${values.join(', ')})` }]);
}
