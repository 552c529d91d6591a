// An app that uses the features start does not load: an upload route, a response that sets a
// cookie, compression of a large body, a file answer (mime types), a JSON record and pretty
// console logs (from config/config.json in the working directory). Plain JavaScript run from
// the built dist/: decorators are applied by calling them.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { serve } from '../../apps/quickstart/dist/serve.js';
import {
  Controller,
  createApp,
  Get,
  MIME_TYPE,
  PartialContent,
  Post,
  Response,
  Upload,
} from '../../packages/bbwebservice/dist/bundle/index.js';

writeFileSync(join(process.cwd(), 'asset.css'), 'body { color: red }\n');

class Features {
  async upload(upload) {
    const parts = [];
    for await (const part of upload) {
      if (part.kind === 'field') parts.push(`${part.name}=${part.value}`);
      else {
        let text = '';
        for await (const chunk of part.stream) text += chunk.toString();
        parts.push(`${part.filename}:${text}`);
      }
    }
    return parts.join(',');
  }
  cookie() {
    return new Response('with a cookie', { cookies: { session: { value: 'abc', httpOnly: true } } });
  }
  big() {
    return 'compress me '.repeat(400);
  }
  file() {
    return new PartialContent('/asset.css', { root: process.cwd() });
  }
  record() {
    app.logger.log({ event: 'a record with fields' }, 'info');
    return 'logged';
  }
}
function route(decorator, method) {
  decorator(Features.prototype, method, Object.getOwnPropertyDescriptor(Features.prototype, method));
}
Controller('::/')(Features);
route(Post('/upload', { type: MIME_TYPE.TEXT }), 'upload');
Upload()(Features.prototype, 'upload', 0);
route(Get('/cookie', { type: MIME_TYPE.TEXT }), 'cookie');
route(Get('/big', { type: MIME_TYPE.TEXT }), 'big');
route(Get('/asset', { type: MIME_TYPE.DYNAMIC }), 'file');
route(Get('/record', { type: MIME_TYPE.TEXT }), 'record');

const app = createApp({ controllers: [Features] });
await serve(app, 'feature app');
