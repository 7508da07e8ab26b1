// The one place that says Tandem's host is not answering, for the whole window, with what to do; gone once it answers.
import { useEffect, useState } from 'react';
import { hostReachability } from '../api.ts';
import { restartCommand, secondsUntil } from '../host-reachability.ts';
import { useHostState } from './StateView.tsx';

export function HostBanner() {
  const host = useHostState();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (host.reachable) return;
    const t = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(t);
  }, [host.reachable]);
  if (host.reachable) return null;
  const wait = secondsUntil(host.nextCheckAt, now);
  return (
    <div className="host-down" aria-label="Host not answering">
      <p role="alert">
        <strong>Tandem’s host is not answering</strong>, so nothing on this screen can load or be saved until it does. If it stopped, start it again on the same port —{' '}
        <code>{restartCommand(window.location)}</code> — and this window picks up where it was, loading what it could not; your unsaved edits stay.
      </p>
      <p className="host-down-status">
        <span aria-live="off">{wait === null || wait === 0 ? 'Checking…' : `Checking again in ${wait} s.`}</span>{' '}
        <button type="button" className="link" onClick={() => hostReachability.checkNow()}>
          Check now
        </button>
        {host.detail && <span className="small"> · the browser said: {host.detail}</span>}
      </p>
    </div>
  );
}
