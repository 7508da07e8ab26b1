import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { IntentChip } from './IntentChip.tsx';

describe('IntentChip', () => {
  it('shows the reading with its confidence while it waits for a verdict', () => {
    const html = renderToStaticMarkup(<IntentChip intent="refund_request" confidence={0.92} threshold={0.5} title="Refund" />);
    expect(html).toContain('chip-high');
    expect(html).toContain('Refund <span class="chip-confidence">92%</span>');
  });
  it('after an override, shows the chosen intent as changed, not the confidence the model had in another one', () => {
    const html = renderToStaticMarkup(<IntentChip intent="where_is_my_order" confidence={0.92} threshold={0.5} title="Where is my order" verdict="overridden" suggestedTitle="Refund" />);
    expect(html).toContain('Where is my order <span class="chip-confidence">changed</span>');
    expect(html).toContain('title="Where is my order: changed by the associate from Refund (92% confident)"');
    expect(html).not.toContain('>92%<');
  });
  it('marks an accepted reading as accepted', () => {
    expect(renderToStaticMarkup(<IntentChip intent="refund_request" confidence={0.3} threshold={0.5} title="Refund" verdict="accepted" />)).toContain('Refund <span class="chip-confidence">accepted</span>');
  });
});
