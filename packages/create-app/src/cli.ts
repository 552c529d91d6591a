#!/usr/bin/env node
import { ScaffoldError, scaffold } from './scaffold.js';

const [name, directory] = process.argv.slice(2);
if (name === undefined || name === '--help' || name === '-h') {
  console.log('usage: create-bbws-app <name> [directory]');
  process.exit(name === undefined ? 1 : 0);
}
try {
  const target = scaffold({ name, ...(directory === undefined ? {} : { directory }) });
  console.log(`created ${target}\nnext: cd ${target} && npm install && npm start`);
} catch (error) {
  if (error instanceof ScaffoldError) {
    console.error(`create-bbws-app: ${error.message} [${error.code}]`);
    process.exit(1);
  }
  throw error;
}
