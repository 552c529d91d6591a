// The request heads the perf tools send or parse: `repeated` (one GET /hello head) or
// `browser` (~650-byte heads whose query and cookie change with `n`, like
// apps/bench/wrk/browser-like.lua).
export function requestHead(scenario, n) {
  if (scenario === 'repeated') return 'GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n';
  const k = n * 7919;
  return (
    `GET /hello?q=search+term+${n}&page=${n % 50}&sort=relevance HTTP/1.1\r\n` +
    'Host: 127.0.0.1:5980\r\n' +
    'User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36\r\n' +
    'Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8\r\n' +
    'Accept-Language: en-US,en;q=0.9,de;q=0.7\r\n' +
    'Accept-Encoding: gzip, deflate, br\r\n' +
    'Referer: http://127.0.0.1/search\r\n' +
    `Cookie: session=s${k}a8f3c2d1e0b9; theme=dark; _ga=GA1.1.${k}.1732900000; consent=1\r\n` +
    'Sec-Fetch-Dest: document\r\n' +
    'Sec-Fetch-Mode: navigate\r\n' +
    'Sec-Fetch-Site: same-origin\r\n' +
    'Upgrade-Insecure-Requests: 1\r\n' +
    'Cache-Control: max-age=0\r\n\r\n'
  );
}
