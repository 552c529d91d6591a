import { quickstartApp } from './app.js';
import { serve } from './serve.js';

await serve(quickstartApp());
