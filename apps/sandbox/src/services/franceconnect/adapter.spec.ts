import { MemoryStore } from './adapter.js';

describe('provider memory store', () => {
  it('forgets a record after its lifetime', async () => {
    const store = new MemoryStore();
    store.upsert('AccessToken', 'a', { jti: 'a' }, 1);
    store.upsert('Grant', 'g', { jti: 'g' }, undefined);
    expect(store.find('AccessToken', 'a')).toEqual({ jti: 'a' });
    await new Promise((resolve) => setTimeout(resolve, 1050));
    expect(store.find('AccessToken', 'a')).toBeUndefined();
    expect(store.find('Grant', 'g')).toEqual({ jti: 'g' });
  });

  it('finds sessions by uid and revokes everything of a grant', () => {
    const store = new MemoryStore();
    store.upsert('Session', 's1', { uid: 'u1' }, 60);
    expect(store.findSessionByUid('u1')).toEqual({ uid: 'u1' });
    store.destroy('Session', 's1');
    expect(store.findSessionByUid('u1')).toBeUndefined();

    store.upsert('AuthorizationCode', 'c', { grantId: 'g1' }, 30);
    store.upsert('AccessToken', 't', { grantId: 'g1' }, 60);
    store.upsert('AccessToken', 'other', { grantId: 'g2' }, 60);
    store.revokeByGrantId('g1');
    expect(store.find('AuthorizationCode', 'c')).toBeUndefined();
    expect(store.find('AccessToken', 't')).toBeUndefined();
    expect(store.find('AccessToken', 'other')).toBeDefined();
  });

  it('marks a consumed code and stays within its bound', () => {
    const store = new MemoryStore(100);
    store.upsert('AuthorizationCode', 'c', {}, 30);
    store.consume('AuthorizationCode', 'c');
    expect(store.find('AuthorizationCode', 'c')?.consumed).toEqual(expect.any(Number));
    for (let i = 0; i < 500; i += 1) store.upsert('Interaction', String(i), {}, 60);
    expect(store.size).toBe(100);
    expect(store.find('Interaction', '499')).toBeDefined();
    expect(store.find('Interaction', '0')).toBeUndefined();
  });
});
