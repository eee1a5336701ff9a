/**
 * Uploaded portal logos (issue 16): what an upload is, told by its bytes and never by its name or
 * declared type, and SVG made harmless before it is stored.
 *
 * - PNG: the 8-byte signature and an `IHDR` chunk first; stored as received.
 * - SVG: UTF-8 text whose first element is `<svg` (after an optional XML declaration and
 *   comments; a DOCTYPE is refused: it can declare entities). Sanitised by DOMPurify (maintained,
 *   run on a jsdom window) with its SVG profile: no script, no event handler, no `javascript:`,
 *   no `foreignObject`; on top of that, an allow-list policy of our own drops every element that
 *   fetches or embeds something (`image`, `use`, `feImage`, `style`, `a`…), every `href` that is not
 *   a fragment of the document (`#id`), every `style` attribute and every `url(...)` that is not a
 *   fragment. What is left must still be one `<svg>` element, or the upload is refused.
 * - Anything else (JPEG, GIF, HTML, a PNG renamed `.svg`…): 415 in French.
 *
 * The served logo carries its own headers too (no sniffing, a CSP without scripts): see
 * `LOGO_RESPONSE_HEADERS`.
 */
import { createHash } from 'node:crypto';
import type { DOMPurify } from 'dompurify';
import { AppError } from '@fcplat/common';
import { LOGO_MAX_BYTES, LOGO_MAX_SIZE_TEXT, type LogoContentType } from '@fcplat/domain';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** XML declaration, comments and white space allowed before the root `<svg` (no DOCTYPE). */
const SVG_START = /^\uFEFF?\s*(?:<\?xml[^?>]*\?>\s*)?(?:<!--[\s\S]*?-->\s*)*<svg[\s>/]/i;

/** Elements that fetch, embed or link to something, or carry style sheets: dropped with their content. */
const FORBIDDEN_TAGS = ['script', 'style', 'foreignObject', 'image', 'use', 'feImage', 'a', 'iframe', 'embed', 'object', 'audio', 'video', 'animate', 'animateMotion', 'animateTransform', 'set', 'handler', 'listener'];
const FORBIDDEN_ATTRIBUTES = ['style', 'xml:base', 'externalResourcesRequired'];
/** A `url(...)` whose target is not a fragment of the document. */
const EXTERNAL_URL = /url\s*\(\s*['"]?\s*(?!#)/i;

export interface CheckedLogo {
  readonly contentType: LogoContentType;
  readonly content: Buffer;
  readonly sha256: string;
}

export const LOGO_RESPONSE_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  // An SVG opened on its own runs nothing, loads nothing, and is sandboxed; a PNG needs nothing either.
  'Content-Security-Policy': "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'Cross-Origin-Resource-Policy': 'same-origin',
  // Versioned by its hash: cached for good.
  'Cache-Control': 'public, max-age=31536000, immutable',
};

const refused = (detail: string): AppError => new AppError('UNSUPPORTED_MEDIA_TYPE', { detail });

let purifier: Promise<DOMPurify> | undefined;

/** DOMPurify on a jsdom window, loaded on the first SVG only (jsdom is large: the API boots without it). */
function svgPurifier(): Promise<DOMPurify> {
  purifier ??= createPurifier();
  return purifier;
}

async function createPurifier(): Promise<DOMPurify> {
  const [{ default: createDOMPurify }, { JSDOM }] = await Promise.all([import('dompurify'), import('jsdom')]);
  const purify = createDOMPurify(new JSDOM('').window as unknown as Parameters<typeof createDOMPurify>[0]);
  purify.addHook('uponSanitizeAttribute', (_node, data) => {
    const name = data.attrName.toLowerCase();
    const value = data.attrValue.trim();
    if ((name === 'href' || name === 'xlink:href' || name === 'src') && !value.startsWith('#')) data.keepAttr = false;
    if (EXTERNAL_URL.test(value)) data.keepAttr = false;
  });
  return purify;
}

/** The SVG text made harmless (see the module's comment); refuses what is not one `<svg>` element once cleaned. */
export async function sanitizeSvg(text: string): Promise<string> {
  const clean = (await svgPurifier()).sanitize(text, {
    USE_PROFILES: { svg: true, svgFilters: true },
    FORBID_TAGS: FORBIDDEN_TAGS,
    FORBID_ATTR: FORBIDDEN_ATTRIBUTES,
    ALLOW_DATA_ATTR: false,
    WHOLE_DOCUMENT: false,
    RETURN_TRUSTED_TYPE: false,
  });
  const trimmed = clean.trim();
  if (!/^<svg[\s>]/i.test(trimmed) || !/<\/svg>$/i.test(trimmed)) throw refused('Ce fichier SVG ne contient pas de dessin exploitable une fois nettoyé.');
  // Serialised as HTML: make it an SVG document of its own again.
  const withNamespace = /^<svg[^>]*\sxmlns=/i.test(trimmed) ? trimmed : trimmed.replace(/^<svg/i, '<svg xmlns="http://www.w3.org/2000/svg"');
  return `<?xml version="1.0" encoding="UTF-8"?>\n${withNamespace}\n`;
}

/** Tells a PNG or an SVG by its bytes, and returns what is to be stored (the SVG sanitised); 413/415 otherwise. */
export async function checkLogo(bytes: Buffer): Promise<CheckedLogo> {
  if (bytes.length === 0) throw new AppError('VALIDATION_FAILED', { detail: 'Le fichier du logo est vide.' });
  if (bytes.length > LOGO_MAX_BYTES) throw new AppError('PAYLOAD_TOO_LARGE', { detail: `Le logo dépasse ${LOGO_MAX_SIZE_TEXT} : réduisez-le avant de le déposer.` });
  let contentType: LogoContentType;
  let content: Buffer;
  if (bytes.subarray(0, 8).equals(PNG_SIGNATURE)) {
    if (bytes.length < 33 || bytes.subarray(12, 16).toString('latin1') !== 'IHDR') throw refused('Ce fichier PNG est incomplet ou abîmé.');
    contentType = 'image/png';
    content = bytes;
  } else {
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw refused('Le logo doit être une image PNG ou SVG (fichier reconnu à son contenu, pas à son nom).');
    }
    if (!SVG_START.test(text)) throw refused('Le logo doit être une image PNG ou SVG (fichier reconnu à son contenu, pas à son nom).');
    contentType = 'image/svg+xml';
    content = Buffer.from(await sanitizeSvg(text), 'utf8');
    if (content.length > LOGO_MAX_BYTES) throw new AppError('PAYLOAD_TOO_LARGE', { detail: `Le logo dépasse ${LOGO_MAX_SIZE_TEXT} : réduisez-le avant de le déposer.` });
  }
  return { contentType, content, sha256: createHash('sha256').update(content).digest('hex') };
}
