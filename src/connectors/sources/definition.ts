// The declarative ticket source format (sources/<id>.yaml, presets): list with pagination and an updated-since cursor, map items, reply/note/status.
import { z } from 'zod';
import { HttpStepSchema } from '../../maps/schema.ts';

const Expr = z.string().min(1, 'expected an expression');

/**
 * A source's calls are the maps' `http` blocks: same fields, same `{{ }}` templates, same `outputs`.
 * The connector defaults to the source's own; `block` and `mode` mean nothing outside a map.
 */
export const SourceHttpStepSchema = HttpStepSchema.omit({ block: true, mode: true, connector: true })
  .extend({ connector: z.string().regex(/^[a-z][a-z0-9_-]*$/).optional() })
  .strict();
export type SourceHttpStep = z.infer<typeof SourceHttpStepSchema>;

/** The request that lists one page: an http block without an id of its own (it is always `page`). */
const ListRequestSchema = SourceHttpStepSchema.omit({ id: true, outputs: true, when: true, side_effect: true, idempotency_key: true }).strict();

const NextSchema = z.union([
  /** The response names the next page's address (absolute or relative to the connector); empty or null ends. */
  z.object({ link: Expr }).strict(),
  /** The next page is the same request with these query parameters set (a cursor, an offset); `until` ends. */
  z.object({ query: z.record(z.string(), z.string()) }).strict(),
  /** Pages are numbered: this query parameter counts up from `start` until a page is empty. */
  z.object({ page_param: z.string().min(1), start: z.number().int().min(0).default(1) }).strict(),
]);

export const TicketMappingSchema = z
  .object({
    id: Expr,
    subject: Expr,
    body: Expr,
    requester_name: Expr,
    requester_email: Expr,
    /** email, chat, web or phone; anything else reads as email. */
    channel: Expr.optional(),
    /** ISO 8601 text or epoch milliseconds. */
    created_at: Expr,
  })
  .strict();

const OperationSchema = z
  .object({
    steps: z.array(SourceHttpStepSchema).min(1, 'an operation needs at least one http step'),
    /** Named results over `steps` (reply and note: `comment_id`). */
    result: z.record(z.string(), Expr).default({}),
  })
  .strict();
export type SourceOperation = z.infer<typeof OperationSchema>;

export const SourceDefinitionSchema = z
  .object({
    title: z.string().min(1),
    description: z.string().optional(),
    list: z
      .object({
        request: ListRequestSchema,
        /** The items on one page, over `{response, since, page}`. */
        items: Expr,
        next: NextSchema.optional(),
        /** Stops paging when this holds (over `{response, items, page}`), e.g. `response.body.end_of_stream`. */
        until: Expr.optional(),
        max_pages: z.number().int().min(1).max(10_000).default(500),
        /** Per item, the time it last changed; the latest is kept and given to the next sync as `since`. */
        updated_at: Expr.optional(),
      })
      .strict(),
    /** Further calls per item, chained with outputs: a full ticket behind a reference, text behind a history call. */
    each: z.array(SourceHttpStepSchema).default([]),
    /** Which items enter the queue (default: all), over `{item, steps, response}`. */
    include: Expr.optional(),
    ticket: TicketMappingSchema,
    operations: z
      .object({
        reply: OperationSchema.optional(),
        note: OperationSchema.optional(),
        set_status: OperationSchema.optional(),
      })
      .strict()
      .default({}),
  })
  .strict();
export type SourceDefinition = z.infer<typeof SourceDefinitionSchema>;
export type OperationName = keyof SourceDefinition['operations'];
