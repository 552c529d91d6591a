/** The zod form of the order `POST /orders` validates (ours, Hono, Express, node:http). */
import { z } from 'zod';

export const OrderSchema = z.object({
  customer: z.object({ name: z.string().min(1).max(100), email: z.string().email() }),
  items: z
    .array(
      z.object({
        sku: z.string().regex(/^[A-Z]{3}-\d{4}$/),
        qty: z.number().int().min(1).max(1000),
        price: z.number().min(0),
      }),
    )
    .min(1)
    .max(100),
  note: z.string().max(2000),
});
export type Order = z.infer<typeof OrderSchema>;
