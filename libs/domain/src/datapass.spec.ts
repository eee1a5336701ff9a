import {
  CLOSED_HABILITATION_STATES,
  DATAPASS_WEBHOOK_EVENTS,
  HABILITATION_MANUAL_TRANSITIONS,
  HABILITATION_PRODUCTS,
  HABILITATION_PRODUCT_LABELS,
  HABILITATION_STATES,
  HABILITATION_STATE_LABELS,
  checkHabilitationStateChange,
  isDataPassWebhookEvent,
  isHabilitationFiled,
  isHabilitationProduct,
  isHabilitationState,
  productForModelType,
  stateForWebhookEvent,
} from './datapass.js';

describe('products and states', () => {
  it('has a French label for every product and state', () => {
    expect(HABILITATION_PRODUCTS).toEqual(['franceconnect', 'api_particulier']);
    expect(HABILITATION_PRODUCT_LABELS).toEqual({ franceconnect: 'FranceConnect', api_particulier: 'API Particulier' });
    expect(HABILITATION_STATES).toEqual([
      'draft',
      'submitted',
      'changes_requested',
      'validated',
      'refused',
      'revoked',
      'archived',
    ]);
    for (const state of HABILITATION_STATES) expect(HABILITATION_STATE_LABELS[state]).toMatch(/^[A-ZÉ]/);
    expect(HABILITATION_STATE_LABELS.validated).toBe('Validée');
  });

  it('narrows unknown values', () => {
    expect(isHabilitationProduct('api_particulier')).toBe(true);
    expect(isHabilitationProduct('api_entreprise')).toBe(false);
    expect(isHabilitationState('validated')).toBe(true);
    expect(isHabilitationState('active')).toBe(false);
    expect(isHabilitationState(undefined)).toBe(false);
  });

  it('knows which requests have been filed', () => {
    expect(HABILITATION_STATES.filter(isHabilitationFiled)).toEqual(['submitted', 'changes_requested', 'validated']);
    expect(isHabilitationFiled(null)).toBe(false);
    expect(isHabilitationFiled(undefined)).toBe(false);
  });
});

describe('checkHabilitationStateChange', () => {
  it('accepts any state when recording a habilitation for the first time', () => {
    for (const state of HABILITATION_STATES) {
      expect(checkHabilitationStateChange(null, state)).toEqual({ ok: true, newRequest: false });
    }
  });

  it.each([
    ['draft', 'submitted'],
    ['draft', 'archived'],
    ['submitted', 'changes_requested'],
    ['submitted', 'validated'],
    ['submitted', 'refused'],
    ['changes_requested', 'submitted'],
    ['changes_requested', 'archived'],
    ['validated', 'revoked'],
  ] as const)('allows %s → %s', (from, to) => {
    expect(checkHabilitationStateChange(from, to)).toEqual({ ok: true, newRequest: false });
  });

  it.each([
    ['draft', 'validated'],
    ['submitted', 'draft'],
    ['validated', 'submitted'],
    ['validated', 'refused'],
    ['refused', 'validated'],
    ['revoked', 'validated'],
    ['changes_requested', 'validated'],
  ] as const)('refuses %s → %s with a French message', (from, to) => {
    const result = checkHabilitationStateChange(from, to);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toContain('ne peut pas passer');
  });

  it('flags a new request after a closed one', () => {
    for (const from of CLOSED_HABILITATION_STATES) {
      expect(checkHabilitationStateChange(from, 'submitted')).toEqual({ ok: true, newRequest: true });
      expect(checkHabilitationStateChange(from, 'draft')).toEqual({ ok: true, newRequest: true });
    }
  });

  it('refuses a change to the same state', () => {
    expect(checkHabilitationStateChange('validated', 'validated')).toEqual({
      ok: false,
      message: 'L’habilitation est déjà dans l’état « Validée ».',
    });
  });

  it('only lists known states as targets', () => {
    for (const targets of Object.values(HABILITATION_MANUAL_TRANSITIONS)) {
      for (const target of targets) expect(HABILITATION_STATES).toContain(target);
    }
  });
});

describe('webhooks', () => {
  it.each([
    ['submit', 'submitted'],
    ['approve', 'validated'],
    ['refuse', 'refused'],
    ['request_changes', 'changes_requested'],
    ['archive', 'archived'],
    ['revoke', 'revoked'],
  ])('%s → %s', (event, state) => {
    expect(stateForWebhookEvent(event)).toBe(state);
  });

  it.each(['create', 'update', 'create_by_api', 'update_by_api', 'reopen', 'cancel_reopening', 'transfer'])(
    '%s does not change the state',
    (event) => {
      expect(isDataPassWebhookEvent(event)).toBe(true);
      expect(stateForWebhookEvent(event)).toBeNull();
    },
  );

  it('ignores unknown events, including inherited property names', () => {
    expect(stateForWebhookEvent('start_next_stage')).toBeNull();
    expect(stateForWebhookEvent('toString')).toBeNull();
    expect(stateForWebhookEvent('')).toBeNull();
    expect(DATAPASS_WEBHOOK_EVENTS).toHaveLength(13);
  });

  it('maps model types to products', () => {
    expect(productForModelType('authorization_request/api_particulier')).toBe('api_particulier');
    expect(productForModelType('authorization_request/france_connect')).toBe('franceconnect');
    expect(productForModelType('authorization_request/api_entreprise')).toBeNull();
    expect(productForModelType('api_particulier')).toBeNull();
  });
});
