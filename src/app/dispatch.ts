// Validates a command's input against the contract and runs its handler; every outcome is a Result, never a throw.
import { commands, isCommandName, type Handlers, type Result } from '../contract/index.ts';
import { toErrorShape } from '../domain/errors.ts';

export async function dispatch(handlers: Handlers, name: string, rawInput: unknown): Promise<Result<unknown>> {
  if (!isCommandName(name)) {
    return { ok: false, error: { code: 'unknown_command', message: `Tandem has no command "${name}".`, hint: 'The UI and the core may be from different versions: restart Tandem.' } };
  }
  const parsed = commands[name].input.safeParse(rawInput ?? {});
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ');
    return { ok: false, error: { code: 'bad_input', message: `The command ${name} got bad input: ${detail}` } };
  }
  try {
    const handler = handlers[name] as (input: unknown) => unknown;
    return { ok: true, value: await handler(parsed.data) };
  } catch (err) {
    return { ok: false, error: toErrorShape(err) };
  }
}
