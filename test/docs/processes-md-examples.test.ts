import { describeDocExamples } from './doc-examples.js';

await describeDocExamples('docs/processes.md');
