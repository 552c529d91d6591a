/** Content whose MIME type the handler picks at run time (routes typed `MIME_TYPE.DYNAMIC`). */
export class Dynamic {
  constructor(
    readonly content: string | Uint8Array,
    readonly mimeType: string,
  ) {}
}
