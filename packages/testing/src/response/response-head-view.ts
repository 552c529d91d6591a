import { parseSetCookie, type SetCookie } from 'cookie';
import type { HeaderList, ResponseHead } from '../wire/read-response.js';
import { type ContentRange, parseContentRange } from './content-range.js';

/** What every test response offers about its status line and header fields. */
export abstract class ResponseHeadView {
  readonly status: number;
  readonly statusText: string;
  /** Header fields in wire order, names lower-cased. */
  readonly headerList: HeaderList;
  #headers: Readonly<Record<string, string>> | null = null;

  constructor(head: ResponseHead) {
    this.status = head.status;
    this.statusText = head.statusText;
    this.headerList = head.headerList;
  }

  /** Headers by lower-case name; repeated fields are joined with `, ` (Set-Cookie: see `cookies`). */
  get headers(): Readonly<Record<string, string>> {
    this.#headers ??= joinFields(this.headerList);
    return this.#headers;
  }

  /** Whether the status is 2xx. */
  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  /** The field `name` (case-insensitive), repeated fields joined with `, `. */
  header(name: string): string | undefined {
    return this.headers[name.toLowerCase()];
  }

  /** Every value of the field `name`, in wire order (for Set-Cookie and other repeats). */
  headerValues(name: string): string[] {
    const lower = name.toLowerCase();
    const values: string[] = [];
    for (const [n, v] of this.headerList) if (n === lower) values.push(v);
    return values;
  }

  /** The parsed Content-Range field (206 and 416 responses), or `null`. */
  get contentRange(): ContentRange | null {
    return parseContentRange(this.headers['content-range']);
  }

  /** The Set-Cookie fields of this response, parsed by the `cookie` package (values decoded). */
  get cookies(): SetCookie[] {
    return this.headerValues('set-cookie').map((v) => parseSetCookie(v));
  }
}

/** Fields by name, repeats joined (RFC 9110 §5.3). */
export function joinFields(list: HeaderList): Readonly<Record<string, string>> {
  const fields: Record<string, string> = Object.create(null);
  for (const [name, value] of list) {
    const seen = fields[name];
    fields[name] = seen === undefined ? value : `${seen}, ${value}`;
  }
  return fields;
}
