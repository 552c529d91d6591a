import { describeDocExamples } from './doc-examples.js';

await describeDocExamples('docs/logging.md');
