// Projects: paged, sortable, searchable list with repository counts and quota use; create and delete (with confirmation).
import { api } from '../api.js';
import { h, field, dialog, confirmDanger, toast, showError, formatTime, formatSize, link } from '../ui.js';
import { table, listQuery } from '../data-table.js';

export async function createProjectDialog(onCreated) {
  const name = field('Project name', h('input', { name: 'project_name', required: true, pattern: '[a-z0-9][a-z0-9._-]*', maxlength: 255 }),
    'Lower case letters, digits, ".", "_" and "-".');
  const isPublic = field('Public (anyone may pull)', h('input', { type: 'checkbox', name: 'public' }));
  const quota = field('Storage quota in GiB (empty for unlimited)', h('input', { type: 'number', min: 0, name: 'quota' }));
  const create = async () => {
    const body = { project_name: name.input.value.trim(), public: isPublic.input.checked,
      metadata: { public: String(isPublic.input.checked) } };
    if (quota.input.value) body.storage_limit = Math.round(Number(quota.input.value) * 1024 ** 3);
    await api('POST', 'projects', body); // a failure (e.g. CONFLICT: the name is taken) stays in the dialog, in words
    toast(`Project ${body.project_name} created`);
  };
  if (await dialog('New project', h('div', {}, name.field, isPublic.field, quota.field), { confirm: 'Create', onConfirm: create })) onCreated();
}

/** "used of limit" with a small bar, or "used" when there is no limit. */
function quotaCell(p) {
  if (!p.quota) return '—';
  const limit = p.quota.hard && p.quota.hard.storage;
  const used = (p.quota.used && p.quota.used.storage) || 0;
  if (!(limit > 0)) return h('span', { class: 'quota-text' }, `${formatSize(used)} (no limit)`);
  const percent = Math.min(100, Math.round((used / limit) * 100));
  const fill = h('span');
  fill.style.width = `${percent}%`; // CSSOM, which the strict style-src policy allows (a style attribute it would not)
  return h('div', { class: 'quota' },
    h('div', { class: `quota-bar${percent >= 90 ? ' full' : ''}`, role: 'img', 'aria-label': `${percent}% of quota used` }, fill),
    h('span', { class: 'quota-text' }, `${formatSize(used)} of ${formatSize(limit)}`));
}

export function projectsPage(session) {
  const list = table({
    filterLabel: 'Search projects',
    emptyText: 'No projects yet. A project holds repositories and decides who may push and pull them.',
    emptyAction: () => h('button', { class: 'button', type: 'button', onclick: () => createProjectDialog(() => list.refresh()) }, 'Create your first project'),
    columns: [
      { label: 'Name', sortKey: 'name', render: (p) => link(`/harbor/projects/${p.project_id}`, p.name) },
      { label: 'Access', render: (p) => p.metadata && p.metadata.public === 'true'
          ? h('span', { class: 'badge public' }, 'Public') : h('span', { class: 'badge private' }, 'Private') },
      { label: 'Repositories', render: (p) => String(p.repo_count ?? 0) },
      { label: 'Quota used', render: quotaCell },
      { label: 'Created', sortKey: 'creation_time', render: (p) => formatTime(p.creation_time) },
      { label: 'Actions', render: (p) => h('button', { class: 'button small ghost', type: 'button', 'aria-label': `Delete project ${p.name}`,
          onclick: async () => {
            if (!await confirmDanger('Delete project', `Delete project "${p.name}"? This cannot be undone.`)) return;
            try { await api('DELETE', `projects/${p.project_id}`); toast(`Project ${p.name} deleted`); list.refresh(); }
            catch (error) { showError(error); }
          } }, 'Delete') },
    ],
    load: async (state) => {
      const result = await api('GET', `projects?${listQuery(state)}`);
      const rows = result.data || [];
      // Quota use comes from each project's summary (Harbor lists it there, not in the project list).
      await Promise.all(rows.map(async (p) => {
        try { p.quota = (await api('GET', `projects/${p.project_id}/summary`)).data.quota; } catch (_) { p.quota = null; }
      }));
      return { rows, total: result.total };
    },
    actions: [h('button', { class: 'button', type: 'button', id: 'new-project', onclick: () => createProjectDialog(() => list.refresh()) }, '+ New project')],
  });
  return h('section', {}, h('h1', {}, 'Projects'), list);
}
