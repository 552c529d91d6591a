/** The content codings bbwebservice compresses with. */
export type ContentCoding = 'br' | 'gzip';

/**
 * Picks a coding from an `Accept-Encoding` value (RFC 9110 §12.5.3): the acceptable coding
 * with the highest q-value among `offered`, `*` standing for codings not listed, q=0 meaning
 * "not acceptable". Ties go to the earlier entry of `offered`. `null` means send identity.
 * @example `negotiateEncoding('gzip;q=0.8, br', ['br', 'gzip']) === 'br'`
 */
export function negotiateEncoding(
  acceptEncoding: string | undefined,
  offered: readonly ContentCoding[] = ['br', 'gzip'],
): ContentCoding | null {
  if (acceptEncoding === undefined || acceptEncoding === '') return null;
  let star = -1;
  const q = new Map<string, number>();
  for (const part of acceptEncoding.split(',')) {
    const semi = part.indexOf(';');
    const name = (semi === -1 ? part : part.slice(0, semi)).trim().toLowerCase();
    if (name === '') continue;
    const weight = semi === -1 ? 1 : qValue(part.slice(semi + 1));
    if (name === '*') star = weight;
    else q.set(name, Math.max(weight, q.get(name) ?? -1));
  }
  let best: ContentCoding | null = null;
  let bestQ = 0;
  for (const coding of offered) {
    const weight = q.get(coding) ?? star;
    if (weight > bestQ) {
      best = coding;
      bestQ = weight;
    }
  }
  return best;
}

/** `q=0.5` among parameters → 0.5; a malformed q counts as 0 (not acceptable), none as 1. */
function qValue(params: string): number {
  for (const param of params.split(';')) {
    const eq = param.indexOf('=');
    if (eq === -1 || param.slice(0, eq).trim().toLowerCase() !== 'q') continue;
    const value = param.slice(eq + 1).trim();
    if (!/^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(value)) return 0;
    return Number(value);
  }
  return 1;
}
