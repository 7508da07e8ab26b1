// What Tandem suggested beside what came of it. For an edit, only the values that differ, one a row, each side whole
// and wrapped (a reply body reads as the customer gets it); the full JSON of both sides stays one click away.
import type { ReviewItem } from '../../../src/contract/index.ts';
import { comparesValues, pathLabel, prettyJson, readable, sideTitles } from './selectors.ts';

type Shown = Pick<ReviewItem, 'kind' | 'verdict' | 'actor' | 'suggested' | 'final' | 'differences'>;

export function ReviewChanges({ item }: { item: Shown }) {
  const titles = sideTitles(item);
  if (!comparesValues(item)) {
    return (
      <div className="review-diff">
        <div>
          <h3>{titles.suggested}</h3>
          <pre>{readable(item.suggested)}</pre>
        </div>
        <div>
          <h3>{titles.final}</h3>
          <pre>{item.kind === 'revert' ? `Nothing: ${item.actor} undid it by hand in the system` : readable(item.final)}</pre>
        </div>
      </div>
    );
  }
  return (
    <div className="review-changes">
      {item.differences.length === 0 ? (
        <p className="muted">Every value is as Tandem suggested.</p>
      ) : (
        <table className="review-values" aria-label="What changed">
          <colgroup>
            <col className="review-path" />
            <col />
            <col />
          </colgroup>
          <thead>
            <tr>
              <th scope="col">{item.differences.length === 1 ? 'Changed value' : `${item.differences.length} changed values`}</th>
              <th scope="col">{titles.suggested}</th>
              <th scope="col">{titles.final}</th>
            </tr>
          </thead>
          <tbody>
            {item.differences.map((d) => (
              <tr key={d.path}>
                <th scope="row">
                  <code>{pathLabel(d.path)}</code>
                </th>
                <td>
                  <Value text={d.suggested} />
                </td>
                <td>
                  <Value text={d.final} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <details className="review-json">
        <summary>The whole suggestion and what was sent, as JSON</summary>
        <div className="review-diff">
          <div>
            <h3>{titles.suggested}</h3>
            <pre>{prettyJson(item.suggested)}</pre>
          </div>
          <div>
            <h3>{titles.final}</h3>
            <pre>{prettyJson(item.final)}</pre>
          </div>
        </div>
      </details>
    </div>
  );
}

function Value({ text }: { text: string }) {
  if (text === '(none)') return <span className="muted">(not set)</span>;
  if (text === '') return <span className="muted">(empty)</span>;
  return <div className="review-value">{text}</div>;
}
