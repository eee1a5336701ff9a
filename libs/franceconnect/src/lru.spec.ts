import { BoundedLru } from './lru.js';

describe('BoundedLru', () => {
  it('evicts the least recently used entry first and reports it', () => {
    const evicted: string[] = [];
    const lru = new BoundedLru<string, number>(3, (key) => evicted.push(key));
    lru.set('a', 1);
    lru.set('b', 2);
    lru.set('c', 3);
    expect(lru.get('a')).toBe(1); // a is now the most recent
    lru.set('d', 4);
    expect(evicted).toEqual(['b']);
    expect([...lru.keys()]).toEqual(['c', 'a', 'd']);
    expect(lru.peek('c')).toBe(3);
    lru.set('e', 5); // peek did not refresh c
    expect(evicted).toEqual(['b', 'c']);
    expect(lru.size).toBe(3);
  });

  it('reports a replaced value, deletions and clear', () => {
    const evicted: [string, number][] = [];
    const lru = new BoundedLru<string, number>(2, (key, value) => evicted.push([key, value]));
    lru.set('a', 1);
    lru.set('a', 2);
    expect(evicted).toEqual([['a', 1]]);
    expect(lru.delete('a')).toBe(true);
    expect(lru.delete('a')).toBe(false);
    lru.set('x', 9);
    lru.clear();
    expect(evicted).toEqual([
      ['a', 1],
      ['a', 2],
      ['x', 9],
    ]);
    expect(lru.size).toBe(0);
    expect(() => new BoundedLru(0)).toThrow(RangeError);
  });
});
