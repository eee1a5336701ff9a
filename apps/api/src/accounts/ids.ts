import { z } from 'zod';

/** A path id that is not a UUID names nothing: 404, like an unknown one. */
export const idSchema = z.uuid();
