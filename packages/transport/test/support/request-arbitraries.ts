import fc from 'fast-check';

/** Bytes of one HTTP request, valid or subtly broken; latin1 strings. */
const methods = fc.constantFrom(
  'GET',
  'POST',
  'PUT',
  'HEAD',
  'OPTIONS',
  'PROPFIND',
  'M-SEARCH',
  'VERSION-CONTROL',
  'G T',
  '',
  'GET\t',
);
const targets = fc.constantFrom(
  '/',
  '/a/b?c=d&e',
  '/%20x',
  '*',
  'http://h.test/p?q',
  'http://u@h/',
  '/a#f',
  '/a?x=1#f?g',
  'http://h.test#f',
  '/{a}|b\\c^d`e"f<g>?q={x}',
  '/\xe4',
  'rel',
  `/${'x'.repeat(70)}`,
);
const versions = fc.constantFrom(
  'HTTP/1.1',
  'HTTP/1.1',
  'HTTP/1.0',
  'HTTP/1.2',
  'HTTP/2.0',
  'http/1.1',
  'HTTP/1.1 ',
  'HTTP/1',
);
const headerLines = fc.constantFrom(
  'Host: h.test',
  'Host: h.test',
  'Host: [::1]:80',
  'Host: a b',
  'X-A: b',
  'x-b:c',
  'X-C:  spaced  ',
  'X-D: caf\xe9',
  'X-E : b',
  ' folded',
  'X-F: a\rb',
  'X-G: a\x00b',
  'X(H): 1',
  ': empty',
  'Connection: close',
  'Connection: keep-alive',
  'Expect: 100-continue',
  'Expect: tea',
  'Content-Length: 3',
  'Content-Length: 3',
  'Content-Length: +3',
  'Content-Length: 1000',
  'Transfer-Encoding: chunked',
  'Transfer-Encoding: gzip, chunked',
  'Transfer-Encoding: chunked, gzip',
  `X-Long: ${'l'.repeat(200)}`,
);
const chunkedBodies = fc.constantFrom(
  '3\r\nabc\r\n0\r\n\r\n',
  '3;a=b;c="d e"\r\nabc\r\n1\r\nz\r\n0\r\nT: v\r\n\r\n',
  '0\r\n\r\n',
  'z\r\n',
  '3 \r\nabc\r\n0\r\n\r\n',
  '3\r\nabcd\r\n0\r\n\r\n',
  `80\r\n${'b'.repeat(128)}\r\n1\r\nc\r\n0\r\n\r\n`,
  '3\nabc\r\n0\r\n\r\n',
);
const terminators = fc.constantFrom('\r\n', '\r\n', '\r\n', '\r\n', '\n');

/** A request that mixes valid parts with broken ones; most are rejected. */
const noisyRequestBytes = fc
  .tuple(
    methods,
    targets,
    versions,
    fc.array(headerLines, { maxLength: 6 }),
    terminators,
    chunkedBodies,
    fc.boolean(),
  )
  .map(([method, target, version, headers, eol, chunked, hasLeadingCrlf]) => {
    let head = `${hasLeadingCrlf ? '\r\n' : ''}${method} ${target} ${version}${eol}`;
    for (const line of headers) head += `${line}${eol}`;
    head += '\r\n';
    const isChunked = headers.some((h) => h.startsWith('Transfer-Encoding'));
    const length = headers.find((h) => h.startsWith('Content-Length: '))?.slice(16);
    let body = '';
    if (isChunked) body = chunked;
    else if (length === '3' || length === '+3') body = 'xyz';
    return head + body;
  });

const bodyText = fc.string({ unit: fc.constantFrom('a', 'b', '\r', '\n', '0', ';', ' '), maxLength: 40 });

/** Methods whose semantics RFC 9110 (or RFC 5789) define on a resource: `*` is not for them. */
const RESOURCE_METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'];

/**
 * A well-formed request: valid parts, a Content-Length or chunked body that matches. Unusual
 * but valid forms included: extension methods, fragments, bytes RFC 3986 leaves out, HTTP/1.2.
 */
const validRequestBytes = fc
  .tuple(
    fc.constantFrom(...RESOURCE_METHODS, 'PROPFIND', 'M-SEARCH', "X!#$%&'*+.^_`|~"),
    fc.constantFrom(
      '/',
      '/a/b?c=d',
      '/x%2Fy',
      'http://h.test:8/p?q=1',
      '/?',
      '/a?x=1#frag',
      'http://h.test/p#f',
      '/{a}|b\\c^d`e"f<g>?q={x}',
      '*',
    ),
    fc.constantFrom(0, 1, 1, 1, 2),
    fc.array(fc.constantFrom('X-A: b', 'Accept: */*', 'Connection: close', 'Cookie: a=b; c=d', 'X-E:'), {
      maxLength: 4,
    }),
    fc.constantFrom('none', 'length', 'chunked'),
    fc.array(bodyText, { minLength: 1, maxLength: 3 }),
    fc.constantFrom('', ';x', ';x=y', ';x="a b"'),
  )
  .map(([drawnMethod, target, minor, headers, framing, parts, extension]) => {
    const method = target === '*' && RESOURCE_METHODS.includes(drawnMethod) ? 'OPTIONS' : drawnMethod;
    let head = `${method} ${target} HTTP/1.${minor}\r\n`;
    if (minor >= 1) head += 'Host: h.test\r\n';
    for (const line of headers) head += `${line}\r\n`;
    const body = parts.join('');
    if (framing === 'length') return `${head}Content-Length: ${body.length}\r\n\r\n${body}`;
    if (framing === 'chunked' && minor >= 1) {
      let chunks = '';
      for (const part of parts)
        if (part.length > 0) chunks += `${part.length.toString(16)}${extension}\r\n${part}\r\n`;
      return `${head}Transfer-Encoding: chunked\r\n\r\n${chunks}0\r\n\r\n`;
    }
    return `${head}\r\n`;
  });

/** One request: mostly well-formed, some broken. */
export const requestBytes = fc.oneof(
  { arbitrary: validRequestBytes, weight: 3 },
  { arbitrary: noisyRequestBytes, weight: 2 },
);

/** A few requests back to back, as a pipelining client sends them. */
export const pipelinedBytes = fc.array(requestBytes, { minLength: 1, maxLength: 4 }).map((r) => r.join(''));
