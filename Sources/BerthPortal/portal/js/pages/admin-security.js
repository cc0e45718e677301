// Administration → Interrogation services: the vulnerability database, Scan all and the system CVE allowlist.
import { api, get } from '../api.js';
import { h, field, toast, showError, formatTime } from '../ui.js';
import { allowlistEditor } from './allowlist-editor.js';
import { scanAllPanel } from './scan-all-panel.js';

const TABS = [['vulndb', 'Vulnerability database'], ['scanall', 'Scan all'], ['allowlist', 'CVE allowlist']];

/** "3 days", "5 hours", "12 minutes" or "just now". */
export function formatAge(seconds) {
  if (seconds === undefined || seconds === null || seconds < 0) return '—';
  const units = [['day', 86400], ['hour', 3600], ['minute', 60]];
  for (const [name, size] of units) {
    const count = Math.floor(seconds / size);
    if (count >= 1) return `${count} ${name}${count === 1 ? '' : 's'}`;
  }
  return 'just now';
}

function vulndbSummary(status) {
  if (!status.imported) {
    return h('p', { id: 'vulndb-status' }, 'No vulnerability database has been imported yet. Import an OSV file below, or run ',
      h('code', {}, 'berth vulndb import'), ' on the server.');
  }
  const ecosystems = Object.entries(status.ecosystems || {}).sort((a, b) => b[1] - a[1]);
  const stale = status.age_seconds > 7 * 86400;
  return h('div', { id: 'vulndb-status' },
    h('div', { class: 'cards' },
      h('div', { class: 'card' }, h('div', { class: 'stat', id: 'vulndb-records' }, String(status.records ?? 0)), h('div', { class: 'stat-label' }, 'Advisories')),
      h('div', { class: 'card' }, h('div', { class: `stat${stale ? ' warn' : ''}`, id: 'vulndb-age' }, formatAge(status.age_seconds)),
        h('div', { class: 'stat-label' }, `Age (imported ${formatTime(status.imported_at)})`)),
      h('div', { class: 'card' }, h('div', { class: 'stat' }, String(ecosystems.length)), h('div', { class: 'stat-label' }, 'Ecosystems'))),
    stale ? h('p', { class: 'error-box', role: 'alert' }, 'The database is more than a week old: new vulnerabilities are missed until it is updated.') : null,
    h('div', { class: 'table-wrap narrow' }, h('table', { id: 'vulndb-ecosystems' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Ecosystem'), h('th', { scope: 'col' }, 'Advisories'))),
      h('tbody', {}, ecosystems.length
        ? ecosystems.map(([name, count]) => h('tr', {}, h('td', { 'data-label': 'Ecosystem' }, name), h('td', { 'data-label': 'Advisories' }, String(count))))
        : h('tr', {}, h('td', { class: 'empty', colspan: 2 }, 'No advisories.'))))));
}

/** Polls the status (for up to five minutes, while `anchor` is on the page) and reloads once a newer import shows. */
async function waitForNewImport(before, anchor, reload) {
  const deadline = Date.now() + 5 * 60 * 1000;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 2000));
    if (!anchor.isConnected) return;
    try {
      if ((await get('vulndb')).imported_at !== before) { reload(); return; }
    } catch (error) { showError(error); return; }
  }
}

async function vulndbPanel(reload) {
  const status = await get('vulndb');
  const file = field('OSV file', h('input', { type: 'file', id: 'vulndb-file', accept: '.json,.jsonl,.zip,.tsv' }),
    'An OSV export (.json, .jsonl or a .zip of them) or a severity table (.tsv). Records with the same id replace older ones.');
  const importButton = h('button', { class: 'button', type: 'submit', id: 'vulndb-import' }, 'Import');
  const importForm = h('form', { 'aria-label': 'Import a vulnerability database file' }, file.field, importButton);
  importForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const chosen = file.input.files && file.input.files[0];
    if (!chosen) { showError(new Error('Choose a file to import first.')); return; }
    importButton.disabled = true;
    importButton.textContent = 'Importing…';
    try {
      const result = (await api('POST', `vulndb/import?filename=${encodeURIComponent(chosen.name)}`, chosen)).data;
      const count = result && (result.imported ?? result.records);
      toast(count !== undefined && count !== null ? `Imported ${count} records from ${chosen.name}` : `Imported ${chosen.name}`);
      reload();
    } catch (error) {
      showError(error.status === 404 || error.status === 405
        ? new Error('This server does not accept imports over the API yet; use "berth vulndb import" on the server.') : error);
    } finally { importButton.disabled = false; importButton.textContent = 'Import'; }
  });
  const update = h('button', { class: 'button secondary', type: 'button', id: 'vulndb-update', onclick: async () => {
    update.disabled = true;
    try {
      const result = (await api('POST', 'vulndb/update')).data;
      toast(result && result.job_id !== undefined ? `Update queued (job ${result.job_id}); the status refreshes when it is done`
        : 'Vulnerability database update started');
      waitForNewImport(status.imported_at, update, reload);
    } catch (error) {
      showError(error.status === 404 || error.status === 405
        ? new Error('This server cannot update the database by itself; import a file instead.') : error);
    } finally { update.disabled = false; }
  } }, 'Update now');
  return h('div', {},
    h('div', { class: 'card' }, h('h2', {}, 'Status'), vulndbSummary(status)),
    h('div', { class: 'card' }, h('h2', {}, 'Update'),
      h('p', { class: 'muted' }, '"Update now" downloads the configured feeds (when the server may reach them). Air-gapped servers import a file.'),
      h('div', { class: 'form-actions' }, update), importForm));
}

async function allowlistPanel(reload) {
  const list = await get('system/CVEAllowlist');
  const editor = allowlistEditor(list, 'system');
  const save = h('button', { class: 'button', type: 'submit', id: 'system-cve-save' }, 'Save');
  const form = h('form', { class: 'card settings', 'aria-label': 'System CVE allowlist' },
    h('h2', {}, 'System CVE allowlist'),
    h('p', { class: 'muted' }, 'CVEs listed here are ignored by the pull gate of every project that uses the system allowlist.'),
    editor.element, h('div', { class: 'form-actions' }, save));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const problem = editor.error();
    if (problem) { showError(new Error(problem)); return; }
    save.disabled = true;
    try {
      await api('PUT', 'system/CVEAllowlist', editor.value());
      toast('System CVE allowlist saved');
      reload();
    } catch (error) { showError(error); } finally { save.disabled = false; }
  });
  return form;
}

/** The Interrogation services page, in tabs. */
export async function securityPage(session, tab) {
  const current = TABS.some(([key]) => key === tab) ? tab : 'vulndb';
  const reload = () => session.navigate(`/harbor/interrogation/${current}`, true);
  const builders = { vulndb: vulndbPanel, scanall: scanAllPanel, allowlist: allowlistPanel };
  const tabs = h('div', { class: 'tabs', role: 'tablist' }, TABS.map(([key, label]) =>
    h('a', { href: `/harbor/interrogation/${key}`, 'data-link': true, role: 'tab', 'aria-selected': String(key === current) }, label)));
  return h('section', {}, h('h1', {}, 'Interrogation services'), tabs,
    h('div', { role: 'tabpanel' }, await builders[current](reload)));
}
