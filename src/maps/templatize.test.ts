import { describe, expect, it } from 'vitest';
import { templateString, templatize } from './templatize.ts';

const C = [
  { expr: 'ticket.requester.email', value: 'hannah.nelson@example.net' },
  { expr: 'fields.current_email', value: 'hannah.nelson@example.net' },
  { expr: 'fields.new_email', value: 'hannah.nelson.218@example.com' },
  { expr: 'ticket.requester.name', value: 'Hannah Nelson' },
  { expr: 'ticket.channel', value: 'ph' },
];

describe('templatize', () => {
  it('turns typed values that are the ticket’s or a field into references, a field first', () => {
    expect(templateString('hannah.nelson.218@example.com', C)).toBe('{{ fields.new_email }}');
    expect(templateString('hannah.nelson@example.net', C)).toBe('{{ fields.current_email }}');
    expect(templateString('Note for Hannah Nelson', C)).toBe('Note for {{ ticket.requester.name }}');
    expect(templateString('phone', C)).toBe('phone'); // two letters never match
    expect(templateString('Search by name or email', [{ expr: 'ticket.channel', value: 'email' }])).toBe('Search by name or email');
    expect(templateString('email', [{ expr: 'ticket.channel', value: 'email' }])).toBe('{{ ticket.channel }}');
  });

  it('rewrites fills, link names and addresses of a recorded block, and leaves the rest', () => {
    const out = templatize(
      [
        { goto: '/customers?q=hannah.nelson%40example.net' },
        { click: { role: 'link', name: 'hannah.nelson@example.net' } },
        { click: { role: 'link', name: 'Edit' } },
        { click: { role: 'button', name: 'Send Hannah Nelson a note' } },
        { fill: { target: { label: 'Email for Hannah Nelson' }, value: 'hannah.nelson.218@example.com' } },
        { click: { role: 'button', name: 'Save' } },
      ],
      C,
    );
    expect(out).toEqual([
      { goto: '/customers?q={{ $encodeUrlComponent(fields.current_email) }}' },
      { click: { role: 'link', name: '{{ fields.current_email }}' } },
      { click: { role: 'link', name: 'Edit' } },
      { click: { role: 'button', name: 'Send Hannah Nelson a note' } },
      { fill: { target: { label: 'Email for Hannah Nelson' }, value: '{{ fields.new_email }}' } },
      { click: { role: 'button', name: 'Save' } },
    ]);
  });
});
