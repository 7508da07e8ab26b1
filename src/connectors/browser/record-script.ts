// The script the recorder puts in the connector's page: it reports clicks and typing with a target a person would
// name (role and name, label, placeholder, text; a CSS selector only as the last resort). What is typed into a
// password field never leaves the page: only the fact that something was typed there.
// Kept as text because the core is compiled without the DOM library; it runs in the page, not in Node.
export const RECORD_BINDING = '__tandemRecord';

export const RECORD_SCRIPT = String.raw`(() => {
  if (window.__tandemRecorder) return;
  window.__tandemRecorder = true;
  const send = (event) => { try { window.${RECORD_BINDING}(event); } catch (e) {} };
  const squash = (s) => (s || '').replace(/\s+/g, ' ').trim();
  const textOf = (el) => squash(el.innerText || el.textContent);
  const FIELDS = ['INPUT', 'TEXTAREA', 'SELECT'];
  const labelOf = (el) => {
    const aria = el.getAttribute('aria-label');
    if (aria) return squash(aria);
    if (el.id) {
      const l = document.querySelector('label[for="' + CSS.escape(el.id) + '"]');
      if (l) return textOf(l);
    }
    const wrap = el.closest('label');
    if (wrap) {
      const copy = wrap.cloneNode(true);
      copy.querySelectorAll('input, select, textarea').forEach((n) => n.remove());
      return squash(copy.textContent);
    }
    return '';
  };
  const cssOf = (el) => {
    if (el.id) return '#' + CSS.escape(el.id);
    const name = el.getAttribute('name');
    if (name) return el.tagName.toLowerCase() + '[name="' + name.replace(/"/g, '\\"') + '"]';
    const parts = [];
    for (let n = el; n && n.nodeType === 1 && n !== document.body; n = n.parentElement) {
      let i = 1;
      for (let s = n.previousElementSibling; s; s = s.previousElementSibling) if (s.tagName === n.tagName) i++;
      parts.unshift(n.tagName.toLowerCase() + ':nth-of-type(' + i + ')');
    }
    return 'body > ' + parts.join(' > ');
  };
  const roleOf = (el) => {
    const explicit = el.getAttribute('role');
    if (explicit) return explicit;
    const t = el.tagName;
    if (t === 'A' && el.hasAttribute('href')) return 'link';
    if (t === 'BUTTON' || t === 'SUMMARY') return 'button';
    if (t === 'INPUT') {
      const type = (el.getAttribute('type') || 'text').toLowerCase();
      if (type === 'submit' || type === 'button' || type === 'reset' || type === 'image') return 'button';
      if (type === 'checkbox') return 'checkbox';
      if (type === 'radio') return 'radio';
    }
    return null;
  };
  const nameOf = (el) => {
    const aria = el.getAttribute('aria-label');
    if (aria) return squash(aria);
    if (el.tagName === 'INPUT') {
      const type = (el.getAttribute('type') || '').toLowerCase();
      if (type === 'checkbox' || type === 'radio') return labelOf(el);
      return squash(el.value);
    }
    return textOf(el);
  };
  const targetOf = (el) => {
    const role = roleOf(el);
    if (role && (!FIELDS.includes(el.tagName) || ['button', 'checkbox', 'radio'].includes(role))) {
      const name = nameOf(el);
      if (name && name.length <= 120) return { role, name };
    }
    if (FIELDS.includes(el.tagName)) {
      const label = labelOf(el);
      if (label) return { label };
      if (el.getAttribute('placeholder')) return { placeholder: el.getAttribute('placeholder') };
    }
    const text = textOf(el);
    if (text && text.length <= 80 && el.children.length === 0) return { text };
    return { selector: cssOf(el) };
  };
  const isPassword = (el) => el.tagName === 'INPUT' && (el.getAttribute('type') || '').toLowerCase() === 'password';
  const typed = (el) => {
    if (!FIELDS.includes(el.tagName)) return;
    if (el.tagName === 'INPUT' && ['checkbox', 'radio', 'submit', 'button', 'reset', 'image', 'file', 'hidden'].includes((el.getAttribute('type') || '').toLowerCase())) return;
    if (isPassword(el)) return send({ kind: 'password', target: targetOf(el) });
    if (el.tagName === 'SELECT') return send({ kind: 'select', target: targetOf(el), value: el.value });
    send({ kind: 'fill', target: targetOf(el), value: el.value });
  };
  document.addEventListener('input', (e) => typed(e.target), true);
  document.addEventListener('change', (e) => typed(e.target), true);
  document.addEventListener('click', (e) => {
    const el = e.target instanceof Element ? (e.target.closest('a[href], button, summary, input, select, textarea, [role]') || e.target) : null;
    if (!el || el.tagName === 'LABEL') return;
    if (FIELDS.includes(el.tagName) && !roleOf(el)) return; // focusing a field to type: the typing is recorded
    if (el.tagName === 'SELECT') return;
    const target = targetOf(el);
    if (roleOf(el) === 'checkbox' && el.checked) return send({ kind: 'check', target });
    send({ kind: 'click', target });
  }, true);
  document.addEventListener('keydown', (e) => {
    // Enter in a one-line field submits its form: recorded as a click on the form's submit button, which replays alike.
    if (e.key !== 'Enter' || !(e.target instanceof HTMLInputElement) || isPassword(e.target)) return;
    const form = e.target.form;
    const submit = form && form.querySelector('button:not([type]), button[type=submit], input[type=submit]');
    if (!submit) return;
    typed(e.target);
    send({ kind: 'click', target: targetOf(submit) });
  }, true);
})();`;
