// Our WorkerPool's worker: the same task behind servePoolJobs.
import { servePoolJobs } from '@bbws/transport';
import { spin } from './spin-task.mjs';

servePoolJobs((payload) => ({ value: spin(payload) }));
