// Tandem's reading of a ticket at a glance: the intent and how sure it is, coloured by confidence.
export function confidenceLevel(confidence: number, threshold: number): 'high' | 'medium' | 'low' {
  if (confidence < threshold) return 'low';
  return confidence >= 0.8 ? 'high' : 'medium';
}

export function IntentChip({ intent, confidence, threshold, title }: { intent: string | null; confidence: number | null; threshold: number; title?: string | undefined }) {
  if (intent === null || confidence === null) return <span className="chip chip-none">not triaged</span>;
  const level = confidenceLevel(confidence, threshold);
  return (
    <span className={`chip chip-${level}`} title={`${title ?? intent}: ${Math.round(confidence * 100)}% confident`}>
      {title ?? intent} <span className="chip-confidence">{Math.round(confidence * 100)}%</span>
    </span>
  );
}
