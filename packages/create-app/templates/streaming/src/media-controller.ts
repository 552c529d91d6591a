import { fileURLToPath } from 'node:url';
import { ContentRoot, Controller, Get, loadFile, MIME_TYPE, PartialContent } from 'bbwebservice';

// One level above src/ and dist/ alike, so tests (src) and the built app (dist) find them.
const media = new ContentRoot(fileURLToPath(new URL('../media/', import.meta.url)));
const pages = new ContentRoot(fileURLToPath(new URL('../public/', import.meta.url)));

/** The page, and the video it plays, served with byte ranges (what video players ask for). */
@Controller()
export class MediaController {
  @Get('::/', { type: MIME_TYPE.HTML })
  page(): Promise<Buffer> {
    return loadFile('index.html', { root: pages });
  }

  @Get('::/video', { type: MIME_TYPE.MP4 })
  video(): PartialContent {
    // An open-ended `Range: bytes=0-` is answered with at most 256 KiB: players ask for more.
    return new PartialContent('sample.mp4', { root: media, defaultSize: 256 * 1024 });
  }
}
