/**
 * Whether an `Accept` field asks for JSON at least as much as for HTML: some JSON type
 * (`application/json`, any `+json`) with a quality above 0 and not below the best HTML type's
 * (`text/html`, `application/xhtml+xml`). Wildcards count for neither, so `*\/*`, an absent
 * field and a browser's `text/html,...,*\/*;q=0.8` are not JSON clients. Decides whether a
 * handler's HttpError is answered as JSON or with the error page. @see docs/controllers.md#errors
 */
export function prefersJson(accept: string | undefined): boolean {
  if (accept === undefined || !accept.includes('json')) return false;
  let jsonQ = 0;
  let htmlQ = 0;
  for (const range of accept.split(',')) {
    const [type = '', ...params] = range.split(';');
    const media = type.trim().toLowerCase();
    const isJson = media === 'application/json' || media.endsWith('+json');
    const isHtml = media === 'text/html' || media === 'application/xhtml+xml';
    if (!isJson && !isHtml) continue;
    const q = qualityOf(params);
    if (isJson) jsonQ = Math.max(jsonQ, q);
    else htmlQ = Math.max(htmlQ, q);
  }
  return jsonQ > 0 && jsonQ >= htmlQ;
}

/** RFC 9110 §12.4.2: `q=` from 0 to 1, default 1; a malformed weight counts as 1. */
function qualityOf(params: readonly string[]): number {
  for (const param of params) {
    const [name = '', value = ''] = param.split('=');
    if (name.trim().toLowerCase() !== 'q') continue;
    const q = Number(value.trim());
    return Number.isFinite(q) && q >= 0 && q <= 1 ? q : 1;
  }
  return 1;
}
