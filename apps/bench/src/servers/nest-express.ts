/** NestJS 12 on @nestjs/platform-express; static files through useStaticAssets (express.static). */
import 'reflect-metadata';
import { ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { benchDir, benchPort } from './common.js';
import { BenchModule } from './nest-app.js';

const app = await NestFactory.create<NestExpressApplication>(BenchModule, { logger: false });
app.useGlobalPipes(new ValidationPipe());
app.useStaticAssets(benchDir());
await app.listen(benchPort(), '127.0.0.1');
(app.getHttpServer() as { keepAliveTimeout: number }).keepAliveTimeout = 120_000;
