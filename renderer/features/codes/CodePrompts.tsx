// Asks the associate for the one-time code a browser sign-in is waiting for (2FA); the step stays paused until then.
import { useEffect, useState } from 'react';
import type { CodeRequest } from '../../../src/contract/index.ts';
import { isHostUnreachable } from '../../api.ts';
import { ErrorState } from '../../components/StateView.tsx';
import { useCodes } from './store.ts';

export function CodePrompts({ embedded }: { embedded: boolean }) {
  const { pending, watch, error, shownView, view } = useCodes();
  useEffect(() => watch(), [watch]);
  if (pending.length === 0 && !shownView) return null;
  return (
    <div className="code-prompts" role="alertdialog" aria-label="One-time code needed">
      {pending.map((req) => (
        <CodeForm key={req.id} req={req} embedded={embedded} />
      ))}
      {shownView && (
        <button type="button" className="link" onClick={() => void view(null)}>
          Hide the {shownView} page
        </button>
      )}
      {error &&
        (isHostUnreachable(error) ? (
          <ErrorState message={error.message} />
        ) : (
          <p className="error" role="alert">
            {error.message} {error.hint}
          </p>
        ))}
    </div>
  );
}

function CodeForm({ req, embedded }: { req: CodeRequest; embedded: boolean }) {
  const { send, decline, busy, view } = useCodes();
  const [code, setCode] = useState('');
  const where = req.ticketId ? ` (ticket ${req.ticketId}${req.stepId ? `, step ${req.stepId}` : ''})` : '';
  return (
    <form
      className="code-prompt"
      onSubmit={(e) => {
        e.preventDefault();
        if (code.trim()) void send(req.id, code.trim());
        setCode('');
      }}
    >
      <strong>
        {req.connector} is waiting for a one-time code{where}.
      </strong>
      <span>{req.prompt} Tandem types it into the sign-in page and does not keep it.</span>
      <label>
        One-time code
        <input
          autoFocus
          value={code}
          onChange={(e) => setCode(e.target.value)}
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={32}
          disabled={busy === req.id}
        />
      </label>
      <div className="actions">
        <button type="submit" disabled={!code.trim() || busy === req.id}>
          Send code
        </button>
        {embedded && (
          <button type="button" className="link" onClick={() => void view(req.connectorId)}>
            Show {req.connector}’s page
          </button>
        )}
        <button type="button" className="link" onClick={() => void decline(req.id)} disabled={busy === req.id}>
          I’ll sign in by hand
        </button>
      </div>
    </form>
  );
}
