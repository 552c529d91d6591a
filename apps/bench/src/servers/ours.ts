import { createOursApp } from './ours-app.js';

await createOursApp().start();
