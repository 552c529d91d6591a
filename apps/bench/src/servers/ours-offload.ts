import { createOffloadApp } from './ours-app.js';

await createOffloadApp().start();
