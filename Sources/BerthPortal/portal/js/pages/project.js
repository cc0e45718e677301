// A project, in tabs: summary, repositories, members, robot accounts, configuration and logs.
import { api, get, repoSegment } from '../api.js';
import { h, field, dialog, confirmDanger, toast, showError, formatTime, formatSize, link } from '../ui.js';
import { table, listQuery } from '../data-table.js';
import { robotCreateDialog } from './robots.js';
import { projectConfigurationTab } from './project-config.js';

export const ROLES = { 1: 'Project Admin', 4: 'Maintainer', 2: 'Developer', 3: 'Guest', 5: 'Limited Guest' };
const TABS = [['summary', 'Summary'], ['repositories', 'Repositories'], ['members', 'Members'],
  ['robots', 'Robot accounts'], ['configuration', 'Configuration'], ['logs', 'Logs']];

function roleSelect(selected) {
  return h('select', {}, Object.entries(ROLES).map(([id, name]) => h('option', { value: id, selected: String(selected) === id }, name)));
}

async function summaryTab(project) {
  const summary = await get(`projects/${project.project_id}/summary`);
  const quota = summary.quota || { hard: {}, used: {} };
  const limit = quota.hard && quota.hard.storage;
  const used = (quota.used && quota.used.storage) || 0;
  const card = (value, label) => h('div', { class: 'card' }, h('div', { class: 'stat' }, value), h('div', { class: 'stat-label' }, label));
  return h('div', {},
    h('div', { class: 'cards' },
      card(String(summary.repo_count), 'Repositories'),
      card(String(summary.project_admin_count + summary.maintainer_count + summary.developer_count + summary.guest_count + summary.limited_guest_count), 'Members'),
      card(formatSize(used), limit && limit > 0 ? `of ${formatSize(limit)} quota used` : 'Storage used (no quota)'),
      card(project.metadata.public === 'true' ? 'Public' : 'Private', 'Access level')),
    h('div', { class: 'card' }, h('h2', {}, 'Push an image'),
      h('p', { class: 'muted' }, 'Tag and push an image to this project:'),
      h('pre', {}, h('code', {}, `docker tag IMAGE ${location.host}/${project.name}/REPOSITORY[:TAG]\ndocker push ${location.host}/${project.name}/REPOSITORY[:TAG]`))));
}

function repositoriesTab(project) {
  const list = table({
    filterLabel: 'Filter repositories',
    emptyText: 'No repositories. Push an image to create one.',
    columns: [
      { label: 'Name', sortKey: 'name', render: (r) => link(`/harbor/projects/${project.project_id}/repositories/${encodeURIComponent(r.name.slice(project.name.length + 1))}`, r.name) },
      { label: 'Artifacts', render: (r) => String(r.artifact_count) },
      { label: 'Pulls', render: (r) => String(r.pull_count) },
      { label: 'Last modified', sortKey: 'update_time', render: (r) => formatTime(r.update_time) },
      { label: 'Actions', render: (r) => h('button', { class: 'button small ghost', type: 'button', 'aria-label': `Delete repository ${r.name}`,
          onclick: async () => {
            if (!await confirmDanger('Delete repository', `Delete ${r.name} and all its artifacts?`)) return;
            try { await api('DELETE', `projects/${project.name}/repositories/${repoSegment(r.name.slice(project.name.length + 1))}`); list.refresh(); }
            catch (error) { showError(error); }
          } }, 'Delete') },
    ],
    load: async (state) => {
      const result = await api('GET', `projects/${project.name}/repositories?${listQuery(state)}`);
      return { rows: result.data || [], total: result.total };
    },
  });
  return list;
}

function membersTab(project) {
  const base = `projects/${project.project_id}/members`;
  const list = table({
    filterLabel: 'Filter members',
    columns: [
      { label: 'Name', render: (m) => m.entity_name },
      { label: 'Type', render: (m) => m.entity_type === 'u' ? 'User' : 'Group' },
      { label: 'Role', render: (m) => {
          const select = roleSelect(m.role_id);
          select.setAttribute('aria-label', `Role of ${m.entity_name}`);
          select.addEventListener('change', async () => {
            try { await api('PUT', `${base}/${m.id}`, { role_id: Number(select.value) }); toast(`${m.entity_name} is now ${ROLES[select.value]}`); }
            catch (error) { showError(error); list.refresh(); }
          });
          return select;
        } },
      { label: 'Actions', render: (m) => h('button', { class: 'button small ghost', type: 'button', 'aria-label': `Remove member ${m.entity_name}`,
          onclick: async () => {
            if (!await confirmDanger('Remove member', `Remove ${m.entity_name} from ${project.name}?`, 'Remove')) return;
            try { await api('DELETE', `${base}/${m.id}`); list.refresh(); } catch (error) { showError(error); }
          } }, 'Remove') },
    ],
    load: async (state) => {
      const params = new URLSearchParams({ page: state.page, page_size: state.pageSize });
      if (state.filter) params.set('entityname', state.filter);
      const result = await api('GET', `${base}?${params}`);
      return { rows: result.data || [], total: result.total };
    },
    actions: [h('button', { class: 'button', type: 'button', id: 'add-member', onclick: async () => {
      const name = field('User name', h('input', { name: 'username', required: true, autocomplete: 'off' }));
      const role = field('Role', roleSelect(2));
      const form = await dialog('Add member', h('div', {}, name.field, role.field), { confirm: 'Add' });
      if (!form) return;
      try {
        await api('POST', base, { role_id: Number(role.input.value), member_user: { username: name.input.value.trim() } });
        toast(`${name.input.value.trim()} added`);
        list.refresh();
      } catch (error) { showError(error); }
    } }, '+ Add member')],
  });
  return list;
}

function robotsTab(project) {
  const list = table({
    noFilter: true,
    emptyText: 'No robot accounts.',
    columns: [
      { label: 'Name', render: (r) => r.name },
      { label: 'Status', render: (r) => r.disable ? 'Disabled' : 'Enabled' },
      { label: 'Expires', render: (r) => r.expires_at > 0 ? new Date(r.expires_at * 1000).toLocaleString() : 'Never' },
      { label: 'Description', render: (r) => r.description || '' },
      { label: 'Actions', render: (r) => h('button', { class: 'button small ghost', type: 'button', 'aria-label': `Delete robot ${r.name}`,
          onclick: async () => {
            if (!await confirmDanger('Delete robot account', `Delete ${r.name}? Clients using it will stop working.`)) return;
            try { await api('DELETE', `robots/${r.id}`); list.refresh(); } catch (error) { showError(error); }
          } }, 'Delete') },
    ],
    load: async (state) => {
      const q = encodeURIComponent(`Level=project,ProjectID=${project.project_id}`);
      const result = await api('GET', `robots?page=${state.page}&page_size=${state.pageSize}&q=${q}`);
      return { rows: result.data || [], total: result.total };
    },
    actions: [h('button', { class: 'button', type: 'button', id: 'new-robot', onclick: () => robotCreateDialog(project, () => list.refresh()) }, '+ New robot account')],
  });
  return list;
}

function logsTab(project) {
  return table({
    filterLabel: 'Filter by user',
    columns: [
      { label: 'User', render: (e) => e.username },
      { label: 'Resource', render: (e) => e.resource },
      { label: 'Type', render: (e) => e.resource_type },
      { label: 'Operation', render: (e) => e.operation },
      { label: 'Time', sortKey: 'op_time', render: (e) => formatTime(e.op_time) },
    ],
    load: async (state) => {
      const result = await api('GET', `projects/${project.name}/logs?${listQuery(state, 'username')}`);
      return { rows: result.data || [], total: result.total };
    },
  });
}

export async function projectPage(session, id, tab) {
  const project = await get(`projects/${id}`);
  project.metadata = project.metadata || {};
  const reload = () => session.navigate(`/harbor/projects/${id}/${tab}`, true);
  const builders = { summary: summaryTab, repositories: repositoriesTab, members: membersTab, robots: robotsTab,
    configuration: projectConfigurationTab, logs: logsTab };
  const build = builders[tab] || summaryTab;
  const tabs = h('div', { class: 'tabs', role: 'tablist' }, TABS.map(([key, label]) =>
    h('a', { href: `/harbor/projects/${id}/${key}`, 'data-link': true, role: 'tab', 'aria-selected': String(key === tab) }, label)));
  return h('section', {},
    h('div', { class: 'crumbs' }, link('/harbor/projects', 'Projects')),
    h('h1', {}, project.name, ' ', h('span', { class: `badge ${project.metadata.public === 'true' ? 'public' : 'private'}` },
      project.metadata.public === 'true' ? 'Public' : 'Private')),
    tabs, h('div', { role: 'tabpanel' }, await build(project, reload, session)));
}
