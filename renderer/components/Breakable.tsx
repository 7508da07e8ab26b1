// Long emails, ids and URLs in narrow panels: offer line breaks after @ . _ - / : so "leon.schmidt@example.net" wraps
// as "leon.schmidt@" / "example.net" instead of "leon.schmidt@example.ne" / "t". Copying the text gives it back intact.
import { Fragment } from 'react';

export function Breakable({ text }: { text: string }) {
  const parts = text.split(/(?<=[@._\-/:])/);
  if (parts.length === 1) return <>{text}</>;
  return (
    <>
      {parts.map((part, i) => (
        <Fragment key={i}>
          {part}
          {i < parts.length - 1 && <wbr />}
        </Fragment>
      ))}
    </>
  );
}
