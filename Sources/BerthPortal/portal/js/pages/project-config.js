// A project's Configuration tab: access, scanning, the pull gate, the CVE allowlist and the storage quota.
import { api, get } from '../api.js';
import { h, field, toast, showError, formatSize } from '../ui.js';
import { allowlistEditor } from './allowlist-editor.js';

const SEVERITIES = ['critical', 'high', 'medium', 'low'];
const GIB = 1024 ** 3;

function check(meta, label, key, hint, id) {
  return field(label, h('input', { type: 'checkbox', id, checked: meta[key] === 'true' }), hint);
}

function radio(name, value, label, checked, id) {
  const input = h('input', { type: 'radio', name, value, id, checked });
  return { input, field: h('div', { class: 'field inline' }, input, h('label', { for: id }, label)) };
}

/** The storage quota card: used bytes, the limit, and (for administrators) a field to change the limit. */
function quotaSection(summary, isAdmin) {
  const quota = (summary && summary.quota) || { hard: {}, used: {} };
  const limit = quota.hard && typeof quota.hard.storage === 'number' ? quota.hard.storage : -1;
  const used = (quota.used && quota.used.storage) || 0;
  const input = h('input', { type: 'number', min: 0, step: 'any', id: 'project-quota',
    value: limit > 0 ? String(+(limit / GIB).toFixed(3)) : '', disabled: !isAdmin, placeholder: 'Unlimited' });
  const quotaField = field('Storage quota (GiB)', input,
    isAdmin ? 'Leave empty for no limit. Pushes beyond the quota are refused.' : 'Only system administrators change quotas.');
  const usage = h('p', { id: 'project-quota-usage' }, `${formatSize(used)} used`,
    limit > 0 ? ` of ${formatSize(limit)} (${Math.min(100, Math.round((used / limit) * 100))}%)` : ', no limit');
  return {
    element: h('fieldset', {}, h('legend', {}, 'Storage quota'), usage, quotaField.field),
    /** The new limit in bytes (-1 unlimited), or undefined when unchanged or not editable. */
    changed() {
      if (!isAdmin) return undefined;
      const text = input.value.trim();
      const next = text === '' ? -1 : Math.round(Number(text) * GIB);
      return next === limit || (next <= 0 && limit <= 0) ? undefined : next;
    },
  };
}

/** Builds the Configuration tab of `project`; `reload` re-renders it after a save. */
export async function projectConfigurationTab(project, reload, session) {
  const meta = project.metadata || {};
  const [summary, allowlist] = await Promise.all([
    get(`projects/${project.project_id}/summary`).catch(() => null),
    get(`projects/${project.project_id}/cve_allowlist`).catch(() => ({ items: [], expires_at: null })),
  ]);
  const isAdmin = !!(session.user && session.user.sysadmin_flag);

  const isPublic = check(meta, 'Public', 'public', 'Anyone, even without an account, may pull from a public project.', 'project-public');
  const autoScan = check(meta, 'Automatically scan images on push', 'auto_scan', null, 'project-auto-scan');
  const autoSBOM = check(meta, 'Automatically generate an SBOM on push', 'auto_sbom_generation', null, 'project-auto-sbom');
  const prevent = check(meta, 'Prevent vulnerable images from being pulled', 'prevent_vul',
    'Pulls are refused when an image has vulnerabilities at or above the severity.', 'project-prevent-vul');
  const severity = field('Severity', h('select', { id: 'project-severity' }, SEVERITIES.map((s) =>
    h('option', { value: s, selected: (meta.severity || 'high') === s }, s[0].toUpperCase() + s.slice(1)))));
  const syncSeverity = () => { severity.input.disabled = !prevent.input.checked; };
  prevent.input.addEventListener('change', syncSeverity);
  syncSeverity();

  const reuse = meta.reuse_sys_cve_allowlist !== 'false';
  const useSystem = radio('allowlist-source', 'system', 'Use the system CVE allowlist', reuse, 'allowlist-system');
  const useProject = radio('allowlist-source', 'project', 'Use this project\'s CVE allowlist', !reuse, 'allowlist-project');
  const editor = allowlistEditor(allowlist, 'project');
  const syncEditor = () => { editor.element.hidden = useSystem.input.checked; };
  useSystem.input.addEventListener('change', syncEditor);
  useProject.input.addEventListener('change', syncEditor);
  syncEditor();

  const quota = quotaSection(summary, isAdmin);
  const save = h('button', { class: 'button', type: 'submit', id: 'save-configuration' }, 'Save');
  const form = h('form', { class: 'card settings', 'aria-label': 'Project configuration' },
    h('fieldset', {}, h('legend', {}, 'Access'), isPublic.field),
    h('fieldset', {}, h('legend', {}, 'Scanning'), autoScan.field, autoSBOM.field),
    h('fieldset', {}, h('legend', {}, 'Deployment security'), prevent.field, severity.field),
    h('fieldset', {}, h('legend', {}, 'CVE allowlist'),
      h('p', { class: 'hint' }, 'Allowlisted CVEs are ignored by the pull gate.'),
      useSystem.field, useProject.field, editor.element),
    quota.element,
    h('div', { class: 'form-actions' }, save));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const problem = useProject.input.checked ? editor.error() : null;
    if (problem) { showError(new Error(problem)); return; }
    save.disabled = true;
    const wantSBOM = autoSBOM.input.checked;
    try {
      const body = { metadata: {
        public: String(isPublic.input.checked), auto_scan: String(autoScan.input.checked),
        auto_sbom_generation: String(wantSBOM), prevent_vul: String(prevent.input.checked),
        severity: severity.input.value, reuse_sys_cve_allowlist: String(useSystem.input.checked) } };
      const limit = quota.changed();
      if (limit !== undefined) body.storage_limit = limit;
      await api('PUT', `projects/${project.project_id}`, body);
      if (useProject.input.checked) await api('PUT', `projects/${project.project_id}/cve_allowlist`, editor.value());
      const stored = await get(`projects/${project.project_id}`);
      if (((stored.metadata || {}).auto_sbom_generation === 'true') !== wantSBOM) {
        toast('Saved, but this server does not store the automatic SBOM setting.', 'error');
      } else {
        toast('Configuration saved');
      }
      reload();
    } catch (error) { showError(error); } finally { save.disabled = false; }
  });
  return form;
}
