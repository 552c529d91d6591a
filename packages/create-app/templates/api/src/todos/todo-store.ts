import { singleton } from 'bbwebservice';
import type { NewTodo, Todo, TodoPatch } from './todo.js';

/** Keeps todos in memory. Swap it for a database-backed class with the same methods. */
@singleton()
export class TodoStore {
  readonly #todos = new Map<number, Todo>();
  #nextId = 1;

  list(): Todo[] {
    return [...this.#todos.values()];
  }

  find(id: number): Todo | undefined {
    return this.#todos.get(id);
  }

  add(input: NewTodo): Todo {
    const todo = { id: this.#nextId++, ...input };
    this.#todos.set(todo.id, todo);
    return todo;
  }

  update(id: number, patch: TodoPatch): Todo | undefined {
    const todo = this.#todos.get(id);
    if (todo === undefined) return undefined;
    const updated = { ...todo, ...patch };
    this.#todos.set(id, updated);
    return updated;
  }

  remove(id: number): boolean {
    return this.#todos.delete(id);
  }
}
