// A project, in tabs: summary, repositories, members, robot accounts, configuration and logs.
import { api, get, repoSegment } from '../api.js';
import { h, field, dialog, confirmDanger, toast, showError, formatTime, formatSize, link, resourceText } from '../ui.js';
import { table, listQuery } from '../data-table.js';
import { robotCreateDialog } from './robots.js';
import { projectConfigurationTab } from './project-config.js';
import { auditLogTable } from './audit-log.js';

export const ROLES = { 1: 'Project Admin', 4: 'Maintainer', 2: 'Developer', 3: 'Guest', 5: 'Limited Guest' };
const TABS = [['summary', 'Summary'], ['repositories', 'Repositories'], ['members', 'Members'],
  ['robots', 'Robot accounts'], ['configuration', 'Configuration'], ['logs', 'Logs']];

function roleSelect(selected) {
  return h('select', {}, Object.entries(ROLES).map(([id, name]) => h('option', { value: id, selected: String(selected) === id }, name)));
}

function registryHost(session) {
  return ((session && session.system && session.system.registry_url) || location.host).replace(/^https?:\/\//, '');
}

async function summaryTab(project, reload, session) {
  const [summary, recent] = await Promise.all([get(`projects/${project.project_id}/summary`),
    api('GET', `projects/${project.name}/logs?page=1&page_size=5&sort=-op_time`).catch(() => ({ data: [] }))]);
  const quota = summary.quota || { hard: {}, used: {} };
  const limit = quota.hard && quota.hard.storage;
  const used = (quota.used && quota.used.storage) || 0;
  const members = ['project_admin_count', 'maintainer_count', 'developer_count', 'guest_count', 'limited_guest_count']
    .reduce((sum, key) => sum + (summary[key] || 0), 0);
  const card = (value, label, id) => h('div', { class: 'card' }, h('div', { class: 'stat', id }, value), h('div', { class: 'stat-label' }, label));
  const host = registryHost(session);
  const events = recent.data || [];
  return h('div', { id: 'project-summary' },
    h('div', { class: 'cards' },
      card(String(summary.repo_count ?? 0), 'Repositories', 'summary-repositories'),
      card(String(members), 'Members', 'summary-members'),
      card(formatSize(used), limit && limit > 0 ? `of ${formatSize(limit)} quota used` : 'Storage used (no quota)', 'summary-storage'),
      card(project.metadata.public === 'true' ? 'Public' : 'Private', 'Access level', 'summary-access')),
    h('div', { class: 'card' }, h('h2', {}, 'Push an image'),
      h('p', { class: 'muted' }, 'Log in, tag an image with this project\'s path and push it:'),
      h('pre', {}, h('code', {}, `docker login ${host}\ndocker tag IMAGE ${host}/${project.name}/REPOSITORY[:TAG]\ndocker push ${host}/${project.name}/REPOSITORY[:TAG]`))),
    h('div', { class: 'card', id: 'summary-activity' }, h('h2', {}, 'Recent activity'),
      events.length
        ? h('ul', { class: 'plain activity' }, events.map((e) => h('li', {},
          h('strong', {}, e.username), ` ${e.operation} `, resourceText(e.resource), ' ',
          h('span', { class: 'hint' }, formatTime(e.op_time)))))
        : h('p', { class: 'muted' }, 'Nothing has happened in this project yet.'),
      h('p', {}, link(`/harbor/projects/${project.project_id}/logs`, 'All logs'))));
}

function repositoriesTab(project, reload, session) {
  const host = registryHost(session);
  const list = table({
    filterLabel: 'Filter repositories',
    emptyText: 'No repositories yet. Pushing an image creates one:',
    emptyAction: () => h('code', { class: 'empty-code' }, `docker push ${host}/${project.name}/REPOSITORY:TAG`),
    columns: [
      { label: 'Name', sortKey: 'name', render: (r) => link(`/harbor/projects/${project.project_id}/repositories/${encodeURIComponent(r.name.slice(project.name.length + 1))}`, r.name) },
      { label: 'Artifacts', class: 'num', render: (r) => String(r.artifact_count) },
      { label: 'Pulls', sortKey: 'pull_count', class: 'num', render: (r) => String(r.pull_count) },
      { label: 'Created', sortKey: 'creation_time', render: (r) => formatTime(r.creation_time) },
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
      const add = async () => {
        await api('POST', base, { role_id: Number(role.input.value), member_user: { username: name.input.value.trim() } });
        toast(`${name.input.value.trim()} added`);
      };
      if (await dialog('Add member', h('div', {}, name.field, role.field), { confirm: 'Add', onConfirm: add })) list.refresh();
    } }, '+ Add member')],
  });
  return list;
}

function robotsTab(project) {
  const list = table({
    noFilter: true,
    emptyText: 'No robot accounts yet. Robots let CI systems push and pull without a person\'s password.',
    emptyAction: () => h('button', { class: 'button secondary', type: 'button', onclick: () => robotCreateDialog(project, () => list.refresh()) }, 'Create a robot account'),
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
  return auditLogTable(`projects/${project.name}/logs`, 'No activity logged in this project yet.');
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
  const tabLabel = (TABS.find(([key]) => key === tab) || TABS[0])[1];
  return h('section', { 'data-title': `${project.name} · ${tabLabel}` },
    h('div', { class: 'crumbs' }, link('/harbor/projects', 'Projects')),
    h('h1', {}, project.name, ' ', h('span', { class: `badge ${project.metadata.public === 'true' ? 'public' : 'private'}` },
      project.metadata.public === 'true' ? 'Public' : 'Private')),
    tabs, h('div', { role: 'tabpanel' }, await build(project, reload, session)));
}
