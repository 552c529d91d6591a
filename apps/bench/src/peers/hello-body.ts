/** What every peer answers to `GET /hello`: the same bytes, so only the servers differ. */
export const HELLO = 'Hello from bbwebservice!';
