const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Whether `value` is an HTTP token (RFC 9110 §5.6.2): a method or a field name. */
export function isHttpToken(value: string): boolean {
  return TOKEN.test(value);
}
