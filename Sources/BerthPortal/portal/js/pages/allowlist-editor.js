// A CVE allowlist editor (the system list and a project's list): items to add and remove, and an expiry.
import { h, field } from '../ui.js';

const CVE = /^[A-Za-z][A-Za-z0-9]*-\d{4}-\d{3,}$/;

function dateInputValue(seconds) {
  const date = new Date(seconds * 1000);
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/**
 * Builds the editor for `list` (Harbor's `{items: [{cve_id}], expires_at}`).
 * Returns {element, value(), error()}: value() is the body to PUT, error() a message when the input is invalid.
 * `prefix` makes the element ids unique on a page (e.g. "system", "project").
 */
export function allowlistEditor(list, prefix) {
  const items = (list && list.items ? list.items.map((item) => item.cve_id) : []).filter(Boolean);
  const expires = list && list.expires_at > 0 ? list.expires_at : null;
  const listElement = h('ul', { class: 'cve-list', id: `${prefix}-cve-items`, 'aria-label': 'Allowlisted CVEs' });
  const input = h('input', { id: `${prefix}-cve-input`, placeholder: 'CVE-2024-12345, CVE-2023-0001', autocomplete: 'off' });
  const problem = h('div', { class: 'error-box', role: 'alert', hidden: true });

  function renderItems() {
    listElement.replaceChildren(...(items.length ? items.map((id, index) => h('li', {},
      h('code', {}, id),
      h('button', { class: 'button small ghost', type: 'button', 'aria-label': `Remove ${id}`,
        onclick: () => { items.splice(index, 1); renderItems(); } }, 'Remove')))
      : [h('li', { class: 'muted' }, 'No CVEs allowlisted.')]));
  }

  function addFromInput() {
    const ids = input.value.split(/[\s,;]+/).map((s) => s.trim().toUpperCase()).filter(Boolean);
    const bad = ids.filter((id) => !CVE.test(id));
    if (bad.length) {
      problem.textContent = `Not a CVE id: ${bad.join(', ')} (expected e.g. CVE-2024-12345).`;
      problem.hidden = false;
      return;
    }
    problem.hidden = true;
    for (const id of ids) if (!items.includes(id)) items.push(id);
    input.value = '';
    renderItems();
  }

  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') { event.preventDefault(); addFromInput(); }
  });
  const add = h('button', { class: 'button secondary', type: 'button', id: `${prefix}-cve-add`, onclick: addFromInput }, 'Add');
  const adder = field('Add CVE ids', input, 'Separate several ids with commas or spaces.');
  const never = field('Never expires', h('input', { type: 'checkbox', id: `${prefix}-cve-never`, checked: expires === null }));
  const date = field('Expires on', h('input', { type: 'date', id: `${prefix}-cve-expiry`,
    value: expires === null ? '' : dateInputValue(expires), disabled: expires === null }),
  'The list is ignored from the end of this day on.');
  never.input.addEventListener('change', () => { date.input.disabled = never.input.checked; });
  renderItems();

  const element = h('div', { class: 'allowlist-editor' },
    problem, listElement, h('div', { class: 'inline-add' }, adder.field, add), never.field, date.field);

  return {
    element,
    /** Why the input cannot be saved, or null (adds ids still in the input box first). */
    error() {
      if (input.value.trim()) { // ids typed but not added yet count too
        addFromInput();
        if (!problem.hidden) return problem.textContent;
      }
      if (!never.input.checked && !date.input.value) return 'Choose an expiry date or tick "Never expires".';
      return null;
    },
    /** The body for PUT …/CVEAllowlist or …/cve_allowlist. */
    value() {
      let expiresAt = null;
      if (!never.input.checked && date.input.value) {
        const [year, month, day] = date.input.value.split('-').map(Number);
        expiresAt = Math.floor(new Date(year, month - 1, day, 23, 59, 59).getTime() / 1000);
      }
      return { items: items.map((cve_id) => ({ cve_id })), expires_at: expiresAt };
    },
  };
}
