/**
 * Console accounts and citizen accounts: the values their records and the API contract share
 * (the database constraints, the request schemas and the views all use these lists).
 */

/** Editor staff, or a client administrator bound to one tenant. */
export const USER_KINDS = ['staff', 'client_admin'] as const;
export type UserKind = (typeof USER_KINDS)[number];

export const STAFF_ROLES = ['admin', 'onboarding_agent', 'read_only'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export const USER_STATUSES = ['invited', 'active', 'disabled'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

/** The staff roles as the console shows them. */
export const STAFF_ROLE_LABELS: Readonly<Record<StaffRole, string>> = {
  admin: 'Administrateur',
  onboarding_agent: 'Chargé(e) d’intégration',
  read_only: 'Lecture seule',
};

/** An account's status as the console's team lists show it (« invitation en attente » until the link is used). */
export const USER_STATUS_LABELS: Readonly<Record<UserStatus, string>> = {
  invited: 'invitation en attente',
  active: 'actif',
  disabled: 'désactivé',
};

/** Longest password the policy accepts (longer ones are refused with a French message). */
export const PASSWORD_MAX_LENGTH = 256;

/** Personal API tokens: default and longest validity, in days. */
export const API_TOKEN_DEFAULT_DAYS = 90;
export const API_TOKEN_MAX_DAYS = 730;

/** Where a citizen's pivot identity comes from: FranceConnect (read-only, FC-15) or typed by the citizen. */
export const CITIZEN_IDENTITY_SOURCES = ['franceconnect', 'local'] as const;
export type CitizenIdentitySource = (typeof CITIZEN_IDENTITY_SOURCES)[number];

export const CITIZEN_GENDERS = ['male', 'female', 'unspecified'] as const;
export type CitizenGender = (typeof CITIZEN_GENDERS)[number];

/** Why a citizen goes to FranceConnect: to log in, to sign up, or to retrieve their data. */
export const CITIZEN_FRANCECONNECT_PURPOSES = ['login', 'signup', 'data_retrieval'] as const;
export type CitizenFranceConnectPurpose = (typeof CITIZEN_FRANCECONNECT_PURPOSES)[number];
