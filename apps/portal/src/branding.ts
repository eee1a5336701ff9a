/** The tenant's colours applied to the header only (never to the FranceConnect button). */
const HEX = /^#[0-9a-fA-F]{6}$/;

function channel(value: number): number {
  const c = value / 255;
  return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

/** WCAG relative luminance of `#rrggbb`. */
export function luminance(hex: string): number {
  const n = Number.parseInt(hex.slice(1), 16);
  return 0.2126 * channel((n >> 16) & 255) + 0.7152 * channel((n >> 8) & 255) + 0.0722 * channel(n & 255);
}

/** Black or white, whichever contrasts more with the background (always at least 4.5:1). */
export function readableTextOn(background: string): '#000000' | '#ffffff' {
  const l = luminance(background);
  return (l + 0.05) / 0.05 >= 1.05 / (l + 0.05) ? '#000000' : '#ffffff';
}

export function headerStyle(primaryColor?: string | null, secondaryColor?: string | null): Record<string, string> {
  const style: Record<string, string> = {};
  if (primaryColor && HEX.test(primaryColor)) {
    style['backgroundColor'] = primaryColor;
    style['color'] = readableTextOn(primaryColor);
  }
  if (secondaryColor && HEX.test(secondaryColor)) style['borderBottomColor'] = secondaryColor;
  return style;
}
