import { FRANCECONNECT_ENVIRONMENT_LABELS } from '@fcplat/domain';

export const FC_ENVIRONMENT_LABELS = FRANCECONNECT_ENVIRONMENT_LABELS;

/** The format of FranceConnect's client ids and secrets, said next to the fields. */
export const FORMAT_HINT = '64 caractères hexadécimaux (chiffres 0-9 et lettres a-f en minuscules), tels que fournis par FranceConnect.';
