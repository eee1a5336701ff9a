import { FaultInjector, parseFaultSpec } from './faults.js';

describe('API Particulier fault injection', () => {
  it('checks fault specifications', () => {
    expect(parseFaultSpec({ kind: 'status', status: 502 })).toEqual({ kind: 'status', status: 502 });
    expect(parseFaultSpec({ kind: 'latency', latencyMs: 250, ratio: 0.5, pathPrefix: '/v3/dss', recipient: '13002526500013' })).toEqual({
      kind: 'latency',
      latencyMs: 250,
      ratio: 0.5,
      pathPrefix: '/v3/dss',
      recipient: '13002526500013',
    });
    expect(parseFaultSpec({ kind: 'data', data: { adresse: null } })).toEqual({ kind: 'data', data: { adresse: null } });
    for (const bad of [
      { kind: 'data' },
      { kind: 'data', data: {} },
      { kind: 'data', data: [] },
      { kind: 'data', data: { x: 'y'.repeat(20_000) } },
      { kind: 'status', status: 502, data: { adresse: null } },
      null,
      [],
      { kind: 'boom' },
      { kind: 'status' },
      { kind: 'status', status: 404 },
      { kind: 'timeout', status: 502 },
      { kind: 'latency' },
      { kind: 'latency', latencyMs: 0 },
      { kind: 'latency', latencyMs: 120_001 },
      { kind: 'reset', latencyMs: 10 },
      { kind: 'reset', count: 0 },
      { kind: 'reset', count: 1.5 },
      { kind: 'reset', ratio: 0 },
      { kind: 'reset', ratio: 1.2 },
      { kind: 'reset', pathPrefix: 'v3' },
      { kind: 'reset', recipient: '' },
      { kind: 'reset', other: true },
    ]) {
      expect(() => parseFaultSpec(bad)).toThrow();
    }
  });

  it('applies to the next matching request by default, then goes away', () => {
    const faults = new FaultInjector();
    faults.add({ kind: 'reset', pathPrefix: '/v3/mesri', recipient: '13002526500013' });
    expect(faults.take('/v3/dss/quotient_familial/identite', '13002526500013')).toBeUndefined();
    expect(faults.take('/v3/mesri/statut_etudiant/ine', '21920023500014')).toBeUndefined();
    expect(faults.take('/v3/mesri/statut_etudiant/ine', '13002526500013')).toEqual({ kind: 'reset', pathPrefix: '/v3/mesri', recipient: '13002526500013' });
    expect(faults.take('/v3/mesri/statut_etudiant/ine', '13002526500013')).toBeUndefined();
    expect(faults.list()).toEqual([]);
  });

  it('applies to `count` requests, to every 1/ratio-th one until cleared, or both', () => {
    const faults = new FaultInjector();
    faults.add({ kind: 'status', status: 503, count: 2 });
    expect([1, 2, 3].map(() => faults.take('/x', null)?.status)).toEqual([503, 503, undefined]);

    faults.add({ kind: 'status', status: 504, ratio: 0.25 });
    expect(Array.from({ length: 8 }, () => faults.take('/x', null)?.status)).toEqual([undefined, undefined, undefined, 504, undefined, undefined, undefined, 504]);
    expect(faults.list()).toMatchObject([{ kind: 'status', status: 504, remaining: null, matched: 8, applied: 2 }]);
    faults.clear();
    expect(faults.take('/x', null)).toBeUndefined();

    faults.add({ kind: 'status', status: 409, ratio: 0.5, count: 1 });
    expect(Array.from({ length: 4 }, () => faults.take('/x', null)?.status)).toEqual([undefined, 409, undefined, undefined]);
  });

  it('tries faults in the order they were added', () => {
    const faults = new FaultInjector();
    faults.add({ kind: 'status', status: 502, pathPrefix: '/v3/cnous' });
    faults.add({ kind: 'timeout' });
    expect(faults.take('/v3/dss/quotient_familial/identite', null)?.kind).toBe('timeout');
    expect(faults.take('/v3/cnous/etudiant_boursier/ine', null)?.kind).toBe('status');
  });
});
