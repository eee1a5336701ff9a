

/**
 * The version of the tenant the section's forms were filled from. Both forms send it (the API
 * refuses a change made on stale data with 409) and move it forward after their own saves, so
 * saving one form does not make the other one stale; a change made elsewhere still does.
 */
export interface BaseVersion {
  version: number;
  /** Bumped by « Recharger la fiche »: the forms are filled again from the reloaded tenant. */
  generation: number;
}
