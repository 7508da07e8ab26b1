// TandemError: the one error type of the core, with a stable code and a message written for the person who must act.

export type ErrorCode =
  | 'bad_input'
  | 'not_found'
  | 'already_decided'
  | 'workspace_invalid'
  | 'workspace_missing'
  | 'db_corrupt'
  | 'db_from_future'
  | 'db_locked'
  | 'unknown_command'
  | 'cancelled'
  | 'credentials_missing'
  | 'connector_auth'
  | 'connector_forbidden'
  | 'connector_conflict'
  | 'connector_rejected'
  | 'connector_timeout'
  | 'connector_unreachable'
  | 'connector_unavailable'
  | 'connector_uncertain'
  | 'rate_limited'
  | 'policy_blocked'
  | 'not_supported'
  | 'internal';

export interface ErrorShape {
  code: ErrorCode | (string & {});
  message: string;
  hint?: string | undefined;
  /** A screenshot of the page the step stopped on (file name in the data folder's screenshots/). */
  screenshot?: string | undefined;
}

export class TandemError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly screenshot: string | undefined;

  constructor(code: ErrorCode, message: string, options: { hint?: string | undefined; cause?: unknown; screenshot?: string | undefined } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TandemError';
    this.code = code;
    this.hint = options.hint;
    this.screenshot = options.screenshot;
  }

  toShape(): ErrorShape {
    return {
      code: this.code,
      message: this.message,
      ...(this.hint === undefined ? {} : { hint: this.hint }),
      ...(this.screenshot === undefined ? {} : { screenshot: this.screenshot }),
    };
  }
}

/** Turns anything thrown into the shape that crosses the contract; unknown errors never leak internals beyond their message. */
export function toErrorShape(err: unknown): ErrorShape {
  if (err instanceof TandemError) return err.toShape();
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'internal', message: `Something went wrong inside Tandem: ${message}`, hint: 'Try again; if it keeps happening, report it with the log.' };
}
