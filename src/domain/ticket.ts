// Tickets: a customer's request as Tandem holds it, whatever source it came from.
import { z } from 'zod';

export const TicketStateSchema = z.enum(['new', 'triaged', 'in_progress', 'escalated', 'done']);
export type TicketState = z.infer<typeof TicketStateSchema>;

export const RequesterSchema = z.object({
  name: z.string().min(1),
  email: z.string().email(),
});

export const TicketSchema = z.object({
  id: z.string().min(1),
  source: z.string().min(1),
  externalId: z.string().min(1),
  subject: z.string(),
  body: z.string(),
  requester: RequesterSchema,
  channel: z.enum(['email', 'chat', 'web', 'phone']),
  createdAt: z.number().int(),
  state: TicketStateSchema,
});
export type Ticket = z.infer<typeof TicketSchema>;
