/// <reference lib="dom" />
/**
 * Functions evaluated INSIDE the portal's page (Playwright `evaluate`): self-contained (no import,
 * no closure), they locate elements as a person would — the sections by their visible headings,
 * the button by its text, the link by its text — and return plain measurements.
 */
import type { ButtonFacts, ColourPair, LinkFacts, SectionFacts, SectionKey } from './facts.js';

export interface MeasureArgs {
  readonly key: SectionKey;
  readonly heading: string;
  /** Only the colours of the button (for hover / active). */
  readonly coloursOnly: boolean;
  /** Scroll the button into the middle of the viewport first (for the hover measures). */
  readonly scroll: boolean;
}

export type SectionMeasure = Omit<SectionFacts, 'button'> & {
  readonly button: (Omit<ButtonFacts, 'hover' | 'active'> & { readonly centre: { x: number; y: number } }) | null;
};

/** Runs in the page. */
export function measureSection(args: MeasureArgs): SectionMeasure | ColourPair | null {
  const norm = (s: string | null | undefined): string => (s ?? '').replace(/[’`]/g, "'").replace(/\s+/g, ' ').trim();
  const visible = (el: Element): boolean => {
    const r = el.getBoundingClientRect();
    const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none' && Number(s.opacity) > 0;
  };
  const hex = (value: string): string => {
    const m = /^rgba?\((\d+),\s*(\d+),\s*(\d+)(?:,\s*([\d.]+))?\)$/.exec(value.trim());
    if (!m || (m[4] !== undefined && Number(m[4]) < 1)) return value.trim();
    return '#' + [m[1], m[2], m[3]].map((n) => Number(n).toString(16).padStart(2, '0')).join('');
  };
  const textOf = (el: Element): string => norm((el as HTMLElement).innerText ?? el.textContent);
  const headings = [...document.querySelectorAll('h1,h2,h3,h4,h5,h6,[role="heading"]')].filter((h) => norm(h.textContent).toLowerCase() === args.heading.toLowerCase() && visible(h));
  const heading = headings[0];
  const section = heading ? (heading.closest('section,article,[role="region"],fieldset') ?? heading.parentElement) : null;
  const controls = section ? [...section.querySelectorAll('a[href],button,[role="button"],[role="link"],input[type="submit"],input[type="button"]')].filter(visible) : [];
  const fcButtons = controls.filter((el) => /franceconnect/i.test(textOf(el) || norm(el.getAttribute('aria-label'))) && !/qu'est-ce que/i.test(textOf(el)));
  const button = fcButtons[0] ?? null;
  if (args.coloursOnly) {
    if (!button) return null;
    const s = getComputedStyle(button);
    return { background: hex(s.backgroundColor), text: hex(s.color) };
  }
  const empty = { found: false, above: false, gap: null };
  if (!section) {
    return { key: args.key, found: false, buttonCount: 0, button: null, sentence: empty, link: null, separator: { found: false, between: false }, otherMethods: 0, otherMethodsAbove: [], socialMentions: [] };
  }
  if (args.scroll && button) button.scrollIntoView({ block: 'center', inline: 'nearest' });
  let buttonFacts: SectionMeasure['button'] = null;
  let sentence: SectionMeasure['sentence'] = empty;
  let link: LinkFacts | null = null;
  const b = button?.getBoundingClientRect() ?? null;
  if (button && b) {
    const s = getComputedStyle(button);
    // The parts of the label: the deepest element whose text is « FranceConnect », and the one with « avec ».
    const descendants = [...button.querySelectorAll('*')];
    const brand = descendants.find((el) => norm(el.textContent) === 'FranceConnect' && el.children.length === 0) ?? null;
    const login = descendants.find((el) => /avec$/i.test(norm(el.textContent)) && el.children.length === 0) ?? null;
    const logo = descendants.find((el) => (el.tagName.toLowerCase() === 'svg' || el.tagName.toLowerCase() === 'img') && visible(el));
    const logoBox = logo?.getBoundingClientRect();
    const labelBox = (login ?? brand)?.getBoundingClientRect();
    buttonFacts = {
      label: textOf(button),
      loginWeight: login ? Number(getComputedStyle(login).fontWeight) : null,
      brandWeight: brand ? Number(getComputedStyle(brand).fontWeight) : Number(s.fontWeight),
      logo: !!logoBox && (!labelBox || logoBox.left < labelBox.left),
      width: b.width,
      height: b.height,
      rest: { background: hex(s.backgroundColor), text: hex(s.color) },
      target: button.getAttribute('target'),
      centre: { x: b.left + b.width / 2, y: b.top + b.height / 2 },
    };
    const sentenceRe = /FranceConnect est la solution propos[ée]e par l'[ÉE]tat pour s[ée]curiser et simplifier la connexion [àa] vos services en ligne/i;
    const candidates = [...section.querySelectorAll('*')].filter((el) => sentenceRe.test(norm(el.textContent)) && visible(el) && ![...el.children].some((c) => sentenceRe.test(norm(c.textContent))));
    const sentenceEl = candidates[0];
    if (sentenceEl) {
      const r = sentenceEl.getBoundingClientRect();
      const above = r.bottom <= b.top + 1;
      sentence = { found: true, above, gap: above ? b.top - r.bottom : null };
    }
    const linkEl = [...section.querySelectorAll('a')].find((a) => /qu'est-ce que franceconnect/i.test(norm(a.textContent))) ?? null;
    if (linkEl) {
      const r = linkEl.getBoundingClientRect();
      const ls = getComputedStyle(linkEl);
      link = {
        text: norm(linkEl.textContent),
        href: (linkEl as HTMLAnchorElement).href || null,
        target: linkEl.getAttribute('target'),
        title: linkEl.getAttribute('title'),
        gap: r.top - b.bottom,
        fontSize: parseFloat(ls.fontSize),
        underline: ls.textDecorationLine.includes('underline'),
        visible: visible(linkEl),
      };
    }
  }
  // Other ways to log in or sign up: form fields and buttons, other links, except FranceConnect's button and info link.
  const infoLinks = [...section.querySelectorAll('a')].filter((a) => /qu'est-ce que franceconnect/i.test(norm(a.textContent)));
  const others = [...section.querySelectorAll('input:not([type="hidden"]),select,textarea,button,a[href],[role="button"]')]
    .filter((el) => visible(el) && el !== button && !button?.contains(el) && !infoLinks.includes(el as HTMLAnchorElement));
  const fcBottom = Math.max(b?.bottom ?? 0, ...infoLinks.filter(visible).map((a) => a.getBoundingClientRect().bottom));
  const labelOf = (el: Element): string => norm(el.getAttribute('aria-label')) || textOf(el) || norm((el as HTMLInputElement).labels?.[0]?.textContent) || norm(el.getAttribute('placeholder')) || el.tagName.toLowerCase();
  const otherMethodsAbove = b ? others.filter((el) => el.getBoundingClientRect().top < b.top).map(labelOf) : [];
  const below = others.filter((el) => el.getBoundingClientRect().top >= fcBottom);
  const firstOtherTop = Math.min(...below.map((el) => el.getBoundingClientRect().top));
  const separators = [...section.querySelectorAll('*')].filter((el) => /^[-–—\s]*ou[-–—\s]*$/i.test(norm(el.textContent)) && visible(el) && ![...el.children].some((c) => /ou/i.test(c.textContent ?? '')));
  const sep = separators[0];
  const sepBox = sep?.getBoundingClientRect();
  const separator = { found: !!sep, between: !!sepBox && !!b && sepBox.top >= fcBottom - 1 && (below.length === 0 || sepBox.bottom <= firstOtherTop + 1) };
  // Social or private login providers: in texts, links, images, labels.
  const providers: [string, RegExp][] = [
    ['Google', /\bgoogle\b|accounts\.google\./i],
    ['Facebook', /\bfacebook\b|\bfb\.com\b/i],
    ['Apple', /\bapple\b|appleid\./i],
    ['Microsoft', /\bmicrosoft\b|\blive\.com\b|microsoftonline/i],
    ['LinkedIn', /\blinkedin\b/i],
    ['Twitter / X', /\btwitter\b|\/\/(www\.)?x\.com\b|\bavec x\b/i],
    ['GitHub', /\bgithub\b/i],
    ['Amazon', /\bamazon\b/i],
    ['Yahoo', /\byahoo\b/i],
    ['Instagram', /\binstagram\b/i],
  ];
  const haystack = [
    textOf(section),
    ...[...section.querySelectorAll('a[href]')].map((a) => (a as HTMLAnchorElement).href),
    ...[...section.querySelectorAll('img,svg,[aria-label],[title]')].map((el) => [el.getAttribute('alt'), el.getAttribute('src'), el.getAttribute('aria-label'), el.getAttribute('title')].join(' ')),
    ...[...section.querySelectorAll('[class]')].map((el) => String(el.getAttribute('class'))),
  ].join('\n');
  const socialMentions = providers.filter(([, re]) => re.test(haystack)).map(([name]) => name);
  return {
    key: args.key,
    found: true,
    buttonCount: fcButtons.length,
    button: buttonFacts,
    sentence,
    link,
    separator,
    otherMethods: others.length,
    otherMethodsAbove,
    socialMentions,
  };
}

/** Runs in the page: iframe, frame, object and embed elements. */
export function countEmbeddedFrames(): number {
  return document.querySelectorAll('iframe,frame,object,embed').length;
}

/** Init script: counts window.open calls (and opens nothing). */
export function trackWindowOpen(): void {
  const w = window as unknown as { __fcRobotOpens?: number; open: typeof window.open };
  w.__fcRobotOpens = 0;
  const original = w.open.bind(window);
  w.open = (...args: Parameters<typeof window.open>) => {
    w.__fcRobotOpens = (w.__fcRobotOpens ?? 0) + 1;
    return original(...args);
  };
}

export function windowOpenCount(): number {
  return (window as unknown as { __fcRobotOpens?: number }).__fcRobotOpens ?? 0;
}
