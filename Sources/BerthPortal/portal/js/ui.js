// Small DOM helpers shared by the pages: element builder, toasts, dialogs, copy buttons, formatting.

/** Builds an element: h('a', {href: '/x', class: 'c'}, 'text', child). Text is never parsed as HTML. */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') element.addEventListener(key.slice(2), value);
    else if (key === 'class') element.className = value;
    else if (value === true) element.setAttribute(key, '');
    else element.setAttribute(key, String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

let fieldCounter = 0;
/** A labelled form field; returns {field, input}. */
export function field(label, input, hint) {
  const id = input.id || `f${++fieldCounter}`;
  input.id = id;
  const inline = input.type === 'checkbox';
  const labelEl = h('label', { for: id }, label);
  const field = h('div', { class: inline ? 'field inline' : 'field' }, inline ? [input, labelEl] : [labelEl, input],
    hint ? h('span', { class: 'hint' }, hint) : null);
  return { field, input };
}

/** Shows a short message; errors stay longer. */
export function toast(message, kind = 'info') {
  const box = document.getElementById('toasts');
  const item = h('div', { class: `toast ${kind}`, role: kind === 'error' ? 'alert' : null }, message);
  box.append(item);
  setTimeout(() => item.remove(), kind === 'error' ? 8000 : 3500);
}

/** Shows an API error in words. */
export function showError(error) {
  toast(error && error.message ? error.message : String(error), 'error');
}

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** The focusable elements inside `root`, in tab order (visible ones only). */
function focusables(root) {
  return [...root.querySelectorAll(FOCUSABLE)].filter((e) => e.getClientRects().length > 0);
}

/**
 * A modal dialog with a form; resolves with the form when confirmed, null when cancelled (Cancel or Escape).
 * Tab and Shift+Tab stay inside the dialog; focus returns to the element that opened it.
 * With `onConfirm(form)`, the dialog stays open while it runs: if it throws, the error is shown in words
 * inside the dialog and the user may correct the input and try again.
 */
export function dialog(title, content, { confirm = 'OK', danger = false, cancel = 'Cancel', onConfirm = null } = {}) {
  return new Promise((resolve) => {
    const opener = document.activeElement;
    const titleId = `dialog-title-${Math.random().toString(36).slice(2, 8)}`;
    const form = h('form', { method: 'dialog' });
    const error = h('div', { class: 'error-box dialog-error', hidden: true, role: 'alert' });
    const ok = h('button', { class: danger ? 'button danger' : 'button', value: 'ok', type: 'submit' }, confirm);
    const actions = h('div', { class: 'dialog-actions' },
      cancel ? h('button', { class: 'button ghost', value: 'cancel', type: 'button', onclick: () => close(null) }, cancel) : null, ok);
    form.append(h('h2', { id: titleId }, title), error, content, actions);
    const modal = h('dialog', { 'aria-labelledby': titleId, 'aria-modal': 'true' }, form);
    document.body.append(modal);
    function close(value) {
      modal.close();
      modal.remove();
      if (opener && opener.isConnected && typeof opener.focus === 'function') opener.focus();
      resolve(value);
    }
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (!onConfirm) { close(form); return; }
      ok.disabled = true;
      error.hidden = true;
      try {
        await onConfirm(form);
        close(form);
      } catch (failure) {
        error.textContent = failure && failure.message ? failure.message : String(failure);
        error.hidden = false;
        ok.disabled = false;
        (form.querySelector('input, select, textarea') || ok).focus();
      }
    });
    modal.addEventListener('cancel', (event) => { event.preventDefault(); close(null); });
    modal.addEventListener('keydown', (event) => {
      if (event.key !== 'Tab') return;
      const items = focusables(modal);
      if (!items.length) return;
      const first = items[0], last = items[items.length - 1];
      if (event.shiftKey && (document.activeElement === first || !modal.contains(document.activeElement))) {
        event.preventDefault(); last.focus();
      } else if (!event.shiftKey && (document.activeElement === last || !modal.contains(document.activeElement))) {
        event.preventDefault(); first.focus();
      }
    });
    modal.showModal();
    const first = form.querySelector('input, select, textarea');
    (first || ok).focus();
  });
}

/** Asks before a destructive action. */
export async function confirmDanger(title, message, confirm = 'Delete') {
  return (await dialog(title, h('p', {}, message), { confirm, danger: true })) !== null;
}

/** Copies `value` to the clipboard: the async Clipboard API, or a hidden textarea where it is unavailable
 * (plain HTTP on a non-loopback host, or permission denied). Resolves true when a copy happened. */
export async function copyText(value) {
  try {
    await navigator.clipboard.writeText(value);
    return true;
  } catch (_) {
    const area = h('textarea', { 'aria-hidden': 'true', tabindex: '-1', class: 'offscreen', readonly: true }, value);
    document.body.append(area);
    area.select();
    let copied = false;
    try { copied = document.execCommand('copy'); } catch (_) { copied = false; }
    area.remove();
    return copied;
  }
}

/** A button that copies `text` (or `text()`) to the clipboard and says so; `what` names it for screen readers. */
export function copyButton(text, label = 'Copy', id, what = label) {
  const button = h('button', { class: 'button small secondary', type: 'button', id, 'aria-label': `${what} to clipboard` }, label);
  button.addEventListener('click', async () => {
    const copied = await copyText(typeof text === 'function' ? text() : text);
    button.textContent = copied ? 'Copied' : 'Copy failed: select and copy by hand';
    setTimeout(() => { button.textContent = label; }, copied ? 1500 : 4000);
  });
  return button;
}

/** A one-line code box with a copy button (`id` names the box; its button is `copy-<id>`). */
export function codeBox(text, label = 'Copy', id) {
  return h('div', { class: 'codebox', id }, h('code', {}, text), copyButton(text, label, id ? `copy-${id}` : undefined));
}

export function formatTime(value) {
  if (!value || value.startsWith('0001')) return '—';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toLocaleString();
}

export function formatSize(bytes) {
  if (bytes === undefined || bytes === null) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = Number(bytes), unit = 0;
  while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit += 1; }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

/** An audit resource ("project/repo@sha256:…") with its digest cut to 12 hex digits, full text in the tooltip. */
export function resourceText(resource) {
  const text = String(resource || '');
  return h('span', { class: 'digest', title: text }, text.replace(/(sha256:[0-9a-f]{12})[0-9a-f]{52}/, '$1…'));
}

export function shortDigest(digest) {
  return digest ? digest.slice(0, 19) : '';
}

/** A link handled by the client-side router. */
export function link(href, ...children) {
  return h('a', { href, 'data-link': true }, ...children);
}
