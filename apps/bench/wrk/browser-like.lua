-- Browser-like heads: about 650 bytes, the headers a browser sends, with a query and a cookie
-- that change on every request, so no head repeats and no header value can be reused.
counter = 0
local base = {
  ["Host"] = "127.0.0.1",
  ["User-Agent"] = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
  ["Accept"] = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8",
  ["Accept-Language"] = "en-US,en;q=0.9,de;q=0.8",
  ["Accept-Encoding"] = "gzip, deflate, br, zstd",
  ["Referer"] = "http://127.0.0.1/index.html",
  ["Sec-Fetch-Dest"] = "document",
  ["Sec-Fetch-Mode"] = "navigate",
  ["Sec-Fetch-Site"] = "same-origin",
  ["Upgrade-Insecure-Requests"] = "1",
}
request = function()
  counter = counter + 1
  local id = counter * 7919
  base["Cookie"] = "session=" .. string.format("%08x%08x", id % 4294967296, id * 2654435761 % 4294967296) ..
    "; theme=dark; consent=analytics:0,ads:0; cart=" .. (counter % 97) ..
    "; last_seen=" .. (1764500000 + counter) .. "; lang=en-US; tz=Europe%2FBerlin"
  return wrk.format("GET", "/hello?page=" .. (counter % 50) .. "&q=item" .. id .. "&utm_source=newsletter", base)
end
