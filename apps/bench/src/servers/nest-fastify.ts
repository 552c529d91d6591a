/** NestJS 12 on @nestjs/platform-fastify; static files through useStaticAssets (@fastify/static). */
import 'reflect-metadata';
import { ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { benchDir, benchPort } from './common.js';
import { BenchModule } from './nest-app.js';

const app = await NestFactory.create<NestFastifyApplication>(
  BenchModule,
  new FastifyAdapter({ keepAliveTimeout: 120_000 }),
  { logger: false },
);
app.useGlobalPipes(new ValidationPipe());
app.useStaticAssets({ root: benchDir(), prefix: '/' });
await app.listen(benchPort(), '127.0.0.1');
