/**
 * The NestJS 12 app both Nest servers run: a module, a controller with an injected service,
 * class-validator DTOs through the global ValidationPipe (Nest's usual validation), `@Sse()`
 * fed by an rxjs Subject.
 */
import 'reflect-metadata';
import {
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  Injectable,
  Module,
  Param,
  Post,
  Sse,
} from '@nestjs/common';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsEmail,
  IsInt,
  IsNumber,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { map, Observable, Subject } from 'rxjs';
import { EVENT_DATA, HELLO, receipt, spin, userOf } from './common.js';

class CustomerDto {
  @IsString() @MinLength(1) @MaxLength(100) name!: string;
  @IsEmail() email!: string;
}

class ItemDto {
  @IsString() @Matches(/^[A-Z]{3}-\d{4}$/) sku!: string;
  @IsInt() @Min(1) @Max(1000) qty!: number;
  @IsNumber() @Min(0) price!: number;
}

export class OrderDto {
  @ValidateNested() @Type(() => CustomerDto) customer!: CustomerDto;
  @ValidateNested({ each: true })
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @Type(() => ItemDto)
  items!: ItemDto[];
  @IsString() @MaxLength(2000) note!: string;
}

@Injectable()
export class Greeter {
  greet(): string {
    return HELLO;
  }
}

@Injectable()
export class Broadcaster {
  readonly events = new Subject<void>();
  subscribers = 0;
}

@Controller()
export class BenchController {
  constructor(
    private readonly greeter: Greeter,
    private readonly broadcaster: Broadcaster,
  ) {}

  @Get('hello')
  @Header('Content-Type', 'text/plain; charset=utf-8')
  hello(): string {
    return this.greeter.greet();
  }

  @Get('users/:id')
  user(@Param('id') id: string) {
    return userOf(id);
  }

  @Post('orders')
  @HttpCode(200)
  order(@Body() order: OrderDto) {
    return receipt(order);
  }

  @Sse('events')
  events(): Observable<{ data: string }> {
    const broadcaster = this.broadcaster;
    return new Observable<{ data: string }>((subscriber) => {
      broadcaster.subscribers++;
      const subscription = broadcaster.events.pipe(map(() => ({ data: EVENT_DATA }))).subscribe(subscriber);
      return () => {
        broadcaster.subscribers--;
        subscription.unsubscribe();
      };
    });
  }

  @Get('broadcast')
  @Header('Content-Type', 'text/plain; charset=utf-8')
  broadcast(): string {
    this.broadcaster.events.next();
    return String(this.broadcaster.subscribers);
  }

  @Get('spin')
  @Header('Content-Type', 'text/plain; charset=utf-8')
  spin(): string {
    return spin();
  }
}

@Module({ controllers: [BenchController], providers: [Greeter, Broadcaster] })
export class BenchModule {}
