import { z } from 'zod';

/** The body of `POST /api/todos`: validated before the handler runs (400 otherwise). */
export const NewTodo = z.object({
  title: z.string().trim().min(1).max(200),
  done: z.boolean().default(false),
});
export type NewTodo = z.infer<typeof NewTodo>;

/** The body of `PATCH /api/todos/{id}`: any field of a todo, at least one. */
export const TodoPatch = NewTodo.partial().refine((patch) => Object.keys(patch).length > 0, {
  message: 'give at least one field',
});
export type TodoPatch = z.infer<typeof TodoPatch>;

/** A stored todo. */
export interface Todo {
  readonly id: number;
  readonly title: string;
  readonly done: boolean;
}
