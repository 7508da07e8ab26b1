import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Breakable } from './Breakable.tsx';

describe('Breakable', () => {
  it('offers a break after each separator of an email, and keeps the text whole', () => {
    const html = renderToStaticMarkup(<Breakable text="leon.schmidt@example.net" />);
    expect(html).toBe('leon.<wbr/>schmidt@<wbr/>example.<wbr/>net');
    expect(html.replace(/<wbr\/>/g, '')).toBe('leon.schmidt@example.net');
  });
  it('leaves text without separators alone, and escapes what it renders', () => {
    expect(renderToStaticMarkup(<Breakable text="104775" />)).toBe('104775');
    expect(renderToStaticMarkup(<Breakable text="<b>x</b>/y" />)).toBe('&lt;b&gt;x&lt;/<wbr/>b&gt;/<wbr/>y');
  });
});
