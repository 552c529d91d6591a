import {
  Body,
  Controller,
  Delete,
  Get,
  HttpError,
  MIME_TYPE,
  Param,
  Patch,
  Post,
  Res,
  type ResponseHead,
} from 'bbwebservice';
import { NewTodo, type Todo, TodoPatch } from './todo.js';
import { TodoStore } from './todo-store.js';

/** CRUD over todos, on every listener under /api/todos. */
@Controller('::/api/todos')
export class TodoController {
  constructor(private readonly store: TodoStore) {}

  @Get('/', { type: MIME_TYPE.JSON })
  list(): Todo[] {
    return this.store.list();
  }

  @Get('/{id:int}', { type: MIME_TYPE.JSON })
  get(@Param('id') id: number): Todo {
    return this.store.find(id) ?? notFound(id);
  }

  @Post('/', { type: MIME_TYPE.JSON })
  create(@Body(NewTodo) input: NewTodo, @Res() res: ResponseHead): Todo {
    const todo = this.store.add(input);
    res.status = 201;
    res.appendHeader('Location', `/api/todos/${todo.id}`);
    return todo;
  }

  @Patch('/{id:int}', { type: MIME_TYPE.JSON })
  update(@Param('id') id: number, @Body(TodoPatch) patch: TodoPatch): Todo {
    return this.store.update(id, patch) ?? notFound(id);
  }

  @Delete('/{id:int}')
  remove(@Param('id') id: number): undefined {
    if (!this.store.remove(id)) notFound(id);
    return undefined; // 204
  }
}

function notFound(id: number): never {
  throw new HttpError(404, 'no such todo', { id });
}
