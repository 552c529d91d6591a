import { ScaffoldError } from './errors.js';

/** The templates shipped under `templates/`, in the order the prompt offers them. */
export const TEMPLATES = [
  { name: 'minimal', hint: 'one controller, one service, one test' },
  { name: 'api', hint: 'CRUD with zod DTOs, an error handler, two listeners' },
  { name: 'streaming', hint: 'server-sent events and a ranged video route, with a page' },
] as const;

/** A template's name. */
export type TemplateName = (typeof TEMPLATES)[number]['name'];

/**
 * Narrows a user's template choice.
 * @throws ScaffoldError `BBWS_ERR_SCAFFOLD_TEMPLATE` naming the templates there are
 */
export function toTemplateName(value: string): TemplateName {
  const found = TEMPLATES.find((template) => template.name === value);
  if (found === undefined) {
    const names = TEMPLATES.map((template) => template.name).join(', ');
    throw new ScaffoldError('BBWS_ERR_SCAFFOLD_TEMPLATE', `no template "${value}" (there are: ${names})`);
  }
  return found.name;
}
