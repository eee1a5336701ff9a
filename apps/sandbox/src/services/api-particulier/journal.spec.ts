import { RequestJournal, type JournalEntry } from './journal.js';

function entry(at: number): JournalEntry {
  return { at, ip: '127.0.0.1', route: '/v3/mesri/statut_etudiant/ine', modality: 'ine', recipient: null, tokenId: null, requestId: null, status: 200, code: null, fault: null };
}

describe('API Particulier request journal', () => {
  it('keeps the last entries, oldest first, and filters by arrival time', () => {
    const journal = new RequestJournal(3);
    for (const at of [1, 2, 3, 4, 5]) journal.record(entry(at));
    expect(journal.size).toBe(3);
    expect(journal.entries().map((e) => e.at)).toEqual([3, 4, 5]);
    expect(journal.entries(4).map((e) => e.at)).toEqual([4, 5]);
    const live = journal.list;
    journal.clear();
    expect(journal.entries()).toEqual([]);
    expect(live).toBe(journal.list);
    expect(live).toEqual([]);
    journal.record(entry(6));
    expect(live.map((e) => e.at)).toEqual([6]);
  });

  it('holds 200 000 entries by default', () => {
    expect(new RequestJournal().capacity).toBe(200_000);
    expect(() => new RequestJournal(0)).toThrow(RangeError);
  });
});
