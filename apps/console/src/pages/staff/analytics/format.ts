/** French number formats of the indicators page. */
const percent = new Intl.NumberFormat('fr-FR', { style: 'percent', maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 });
const integer = new Intl.NumberFormat('fr-FR');

/** 0.6 → « 60 % » (French spacing), `null` → « — ». */
export function formatShare(share: number | null): string {
  return share === null ? '—' : percent.format(share);
}

/** 4.5 → « 4,5 », `null` → « — ». */
export function formatDays(days: number | null): string {
  return days === null ? '—' : decimal.format(days);
}

/** 12345 → « 12 345 » (narrow no-break space), `null` → « — ». */
export function formatCount(n: number | null): string {
  return n === null ? '—' : integer.format(n);
}
