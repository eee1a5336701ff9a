import { randomAlphanumeric } from './random.js';

describe('randomAlphanumeric', () => {
  it('draws [0-9A-Za-z] strings of the asked length (43 by default: about 256 bits)', () => {
    expect(randomAlphanumeric()).toMatch(/^[0-9A-Za-z]{43}$/);
    expect(randomAlphanumeric(32)).toMatch(/^[0-9A-Za-z]{32}$/);
    expect(() => randomAlphanumeric(0)).toThrow(RangeError);
  });

  it('never repeats and uses the whole alphabet evenly', () => {
    const values = new Set(Array.from({ length: 2_000 }, () => randomAlphanumeric()));
    expect(values.size).toBe(2_000);
    const counts = new Map<string, number>();
    for (const value of values) for (const c of value) counts.set(c, (counts.get(c) ?? 0) + 1);
    expect(counts.size).toBe(62);
    const expected = (2_000 * 43) / 62; // about 1,387 per character
    for (const count of counts.values()) {
      expect(count).toBeGreaterThan(expected * 0.8);
      expect(count).toBeLessThan(expected * 1.2);
    }
  });
});
