// Workspace problems: what a broken file in the workspace looks like to the person who must fix it.
import { z } from 'zod';

export const ProblemSchema = z.object({
  file: z.string(),
  line: z.number().int().nullable(),
  path: z.string(),
  message: z.string(),
  hint: z.string().optional(),
});
export type Problem = z.infer<typeof ProblemSchema>;

export function formatProblem(p: Problem): string {
  const where = p.line === null ? p.file : `${p.file}:${p.line}`;
  return `${where}: ${p.path || '(file)'}: ${p.message}${p.hint ? ` (${p.hint})` : ''}`;
}
