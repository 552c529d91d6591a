/**
 * @packageDocumentation
 * create-bbws-app: scaffolds a new bbwebservice app from a template. See docs/create-app.md.
 */
export { ScaffoldError, type ScaffoldOptions, scaffold } from './scaffold.js';
