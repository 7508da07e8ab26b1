// Tandem's reading of a ticket at a glance: the intent and how sure it is, coloured by confidence; once the associate
// has decided, the intent they settled on and that they did.
export function confidenceLevel(confidence: number, threshold: number): 'high' | 'medium' | 'low' {
  if (confidence < threshold) return 'low';
  return confidence >= 0.8 ? 'high' : 'medium';
}

export function IntentChip({
  intent,
  confidence,
  threshold,
  title,
  verdict = null,
  suggestedTitle,
}: {
  intent: string | null;
  confidence: number | null;
  threshold: number;
  title?: string | undefined;
  /** The associate's verdict on the reading, when there is one. */
  verdict?: 'accepted' | 'overridden' | null | undefined;
  /** After an override: what the reading suggested instead. */
  suggestedTitle?: string | undefined;
}) {
  if (intent === null || confidence === null) return <span className="chip chip-none">not triaged</span>;
  const name = title ?? intent;
  const percent = `${Math.round(confidence * 100)}%`;
  if (verdict === 'overridden') {
    // The reading's confidence was in another intent: showing it here would vouch for a choice the model did not make.
    return (
      <span className="chip chip-decided" title={`${name}: changed by the associate${suggestedTitle ? ` from ${suggestedTitle} (${percent} confident)` : ''}`}>
        {name} <span className="chip-confidence">changed</span>
      </span>
    );
  }
  if (verdict === 'accepted') {
    return (
      <span className="chip chip-decided" title={`${name}: accepted by the associate (${percent} confident)`}>
        {name} <span className="chip-confidence">accepted</span>
      </span>
    );
  }
  const level = confidenceLevel(confidence, threshold);
  return (
    <span className={`chip chip-${level}`} title={`${name}: ${percent} confident`}>
      {name} <span className="chip-confidence">{percent}</span>
    </span>
  );
}
