// Process maps: an intent, its fields, its policy and its steps, each step made from a block. The YAML and the UI share this shape.
import { z } from 'zod';

export const Id = z.string().regex(/^[a-z][a-z0-9_-]*$/, 'expected an id of lower-case letters, digits, - and _ starting with a letter');
const Expr = z.string().min(1, 'expected an expression');
/** A string that may hold {{ expressions }}. */
const Template = z.string();

export const MODES = ['suggest', 'shadow', 'auto', 'manual'] as const;
export type StepMode = (typeof MODES)[number];

const Common = {
  id: Id,
  title: z.string().optional(),
  mode: z.enum(MODES).default('suggest'),
  /** The step runs only when this holds; otherwise it is skipped. */
  when: Expr.optional(),
  timeout_ms: z.number().int().min(100).max(600_000).optional(),
  retries: z.number().int().min(0).max(5).optional(),
};

const Target = z
  .object({
    role: z.string().optional(),
    name: Template.optional(),
    label: Template.optional(),
    text: Template.optional(),
    placeholder: Template.optional(),
    selector: Template.optional(),
  })
  .strict()
  .refine((t) => Object.keys(t).length > 0, 'a target needs a role, label, text, placeholder or selector');

export const BrowserActionSchema = z.union([
  z.object({ goto: Template }).strict(),
  z.object({ fill: z.object({ target: Target, value: Template, secret: z.boolean().optional() }).strict() }).strict(),
  z.object({ click: Target }).strict(),
  z.object({ select: z.object({ target: Target, value: Template }).strict() }).strict(),
  z.object({ check: Target }).strict(),
  z.object({ wait_for: Target }).strict(),
  z.object({ extract: z.object({ target: Target, into: Id, attribute: z.string().optional() }).strict() }).strict(),
  z.object({ screenshot: z.object({ name: Id }).strict() }).strict(),
]);
export type BrowserAction = z.infer<typeof BrowserActionSchema>;

export const HttpStepSchema = z
  .object({
    ...Common,
    block: z.literal('http'),
    connector: Id,
    method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).default('GET'),
    path: Template,
    query: z.record(z.string(), Template).optional(),
    headers: z.record(z.string(), Template).optional(),
    body: z.unknown().optional(),
    /** Output name -> expression over the response ({status, body, headers}). */
    outputs: z.record(Id, Expr).default({}),
    /** Defaults to true for anything but GET. */
    side_effect: z.boolean().optional(),
    /** Required for side effects: the same key is sent again on a retry, so the system does it once. */
    idempotency_key: Template.optional(),
    /** What is looked up, for messages ("order {{ fields.order_id }}"). */
    describe: Template.optional(),
  })
  .strict();

export const BrowserStepSchema = z
  .object({
    ...Common,
    block: z.literal('browser'),
    connector: Id,
    actions: z.array(BrowserActionSchema).min(1),
    side_effect: z.boolean().default(true),
  })
  .strict();

export const ConditionStepSchema = z
  .object({
    ...Common,
    block: z.literal('condition'),
    if: Expr,
    /** What happens when `if` does not hold. */
    else: z.union([
      z.object({ skip_to: Id }).strict(),
      z.object({ escalate: Template }).strict(),
      z.object({ finish: Template }).strict(),
    ]),
  })
  .strict();

export const ApprovalStepSchema = z
  .object({
    ...Common,
    block: z.literal('approval'),
    /** An approval is needed only when this holds (default: always). */
    needed_when: Expr.default('true'),
    reason: Template,
  })
  .strict();

export const ReplyStepSchema = z
  .object({
    ...Common,
    block: z.literal('reply'),
    public: z.boolean().default(true),
    body: Template,
    status: z.enum(['open', 'pending', 'solved']).optional(),
  })
  .strict();

export const ManualStepSchema = z.object({ ...Common, block: z.literal('manual'), instructions: Template }).strict();

export const SetStepSchema = z.object({ ...Common, block: z.literal('set'), values: z.record(Id, Expr) }).strict();

export const StepSchema = z.discriminatedUnion('block', [
  HttpStepSchema,
  BrowserStepSchema,
  ConditionStepSchema,
  ApprovalStepSchema,
  ReplyStepSchema,
  ManualStepSchema,
  SetStepSchema,
]);
export type Step = z.infer<typeof StepSchema>;
export type BlockType = Step['block'];
export const BLOCKS = ['http', 'browser', 'condition', 'approval', 'reply', 'manual', 'set'] as const satisfies readonly BlockType[];

export const FIELD_TYPES = ['string', 'number', 'money', 'email', 'date', 'boolean', 'address'] as const;

export const FieldSchema = z
  .object({
    name: Id,
    type: z.enum(FIELD_TYPES),
    required: z.boolean().default(false),
    description: z.string().optional(),
    pattern: z.string().optional(),
  })
  .strict();

export const PolicySchema = z
  .object({
    id: Id,
    when: Expr,
    then: z.enum(['escalate', 'approval', 'block']),
    reason: z.string().min(1),
  })
  .strict();
export type Policy = z.infer<typeof PolicySchema>;

export const MapSchema = z
  .object({
    id: Id,
    version: z.number().int().positive(),
    intent: z
      .object({
        title: z.string().min(1),
        description: z.string().min(1),
        examples: z.array(z.string().min(3)).min(1, 'a map needs at least one example phrase so triage can recognise it'),
      })
      .strict(),
    /** Triage confidence under which a run of this map escalates before any step (default: the workspace's). */
    escalate_below: z.number().min(0).max(1).optional(),
    fields: z.array(FieldSchema).default([]),
    policy: z.array(PolicySchema).default([]),
    steps: z.array(StepSchema).default([]),
  })
  .strict();
export type ProcessMap = z.infer<typeof MapSchema>;

/** Does this step change something outside Tandem? Such steps are previewed, decided and idempotent. */
export function hasSideEffect(step: Step): boolean {
  switch (step.block) {
    case 'http':
      return step.side_effect ?? step.method !== 'GET';
    case 'browser':
      return step.side_effect;
    case 'reply':
      return true;
    default:
      return false;
  }
}

/** The names a step adds under `steps.<id>`. */
export function outputsOf(step: Step): string[] {
  switch (step.block) {
    case 'http':
      return ['status', ...Object.keys(step.outputs)];
    case 'browser':
      return step.actions.flatMap((a) => ('extract' in a ? [a.extract.into] : []));
    case 'set':
      return Object.keys(step.values);
    case 'approval':
      return ['approved_by'];
    case 'reply':
      return ['comment_id'];
    default:
      return [];
  }
}
