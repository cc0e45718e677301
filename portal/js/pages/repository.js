// A repository's artifacts: tags, digest (copyable), size, push/pull times, platforms, accessories, scan status.
import { api, get, repoSegment } from '../api.js';
import { h, confirmDanger, showError, formatTime, formatSize, shortDigest, copyButton, link } from '../ui.js';
import { table } from '../data-table.js';

/** The scan cell: a severity bar with counts, or "Not scanned". */
export function scanStatus(artifact) {
  const overview = artifact.scan_overview && Object.values(artifact.scan_overview)[0];
  if (!overview) return h('span', { class: 'muted' }, 'Not scanned');
  if (overview.scan_status && overview.scan_status !== 'Success') return overview.scan_status;
  const summary = (overview.summary && overview.summary.summary) || {};
  const levels = ['Critical', 'High', 'Medium', 'Low'];
  const total = levels.reduce((sum, level) => sum + (summary[level] || 0), 0);
  if (!total) return h('span', {}, 'No vulnerabilities');
  const bar = h('div', { class: 'sevbar', role: 'img',
    'aria-label': levels.map((level) => `${summary[level] || 0} ${level}`).join(', ') });
  for (const level of levels) {
    if (!summary[level]) continue;
    const part = h('span', { class: `sev-${level.toLowerCase()}` });
    part.style.width = `${(100 * summary[level]) / total}%`;
    bar.append(part);
  }
  return h('div', {}, bar, h('span', { class: 'hint' }, levels.map((level) => `${level[0]}:${summary[level] || 0}`).join(' ')));
}

export function platforms(artifact) {
  const refs = artifact.references || [];
  if (!refs.length) return null;
  return h('div', { class: 'hint' }, refs.map((r) => r.platform ? `${r.platform.os}/${r.platform.architecture}` : shortDigest(r.child_digest)).join(', '));
}

export async function repositoryPage(session, projectID, repo) {
  const project = await get(`projects/${projectID}`);
  const base = `projects/${project.name}/repositories/${repoSegment(repo)}/artifacts`;
  const list = table({
    filterLabel: 'Filter by tag',
    emptyText: 'No artifacts.',
    columns: [
      { label: 'Digest', render: (a) => h('div', {},
          link(`/harbor/projects/${projectID}/repositories/${encodeURIComponent(repo)}/artifacts/${encodeURIComponent(a.digest)}`,
            h('span', { class: 'digest', title: a.digest }, shortDigest(a.digest))), ' ', copyButton(a.digest, 'Copy digest'), platforms(a)) },
      { label: 'Tags', render: (a) => (a.tags || []).length ? (a.tags || []).map((t) => h('span', { class: 'badge' }, t.name)) : h('span', { class: 'muted' }, 'untagged') },
      { label: 'Type', render: (a) => [a.type || '', (a.accessories || []).length ? h('div', { class: 'hint' }, a.accessories.map((x) => x.type).join(', ')) : null] },
      { label: 'Size', sortKey: 'size', render: (a) => formatSize(a.size) },
      { label: 'Vulnerabilities', render: scanStatus },
      { label: 'Pushed', sortKey: 'push_time', render: (a) => formatTime(a.push_time) },
      { label: 'Pulled', sortKey: 'pull_time', render: (a) => formatTime(a.pull_time) },
      { label: 'Actions', render: (a) => h('button', { class: 'button small ghost', type: 'button', 'aria-label': `Delete artifact ${shortDigest(a.digest)}`,
          onclick: async () => {
            if (!await confirmDanger('Delete artifact', `Delete ${a.digest} and its tags?`)) return;
            try { await api('DELETE', `${base}/${a.digest}`); list.refresh(); } catch (error) { showError(error); }
          } }, 'Delete') },
    ],
    load: async (state) => {
      const params = new URLSearchParams({ page: state.page, page_size: state.pageSize, with_tag: 'true', with_scan_overview: 'true' });
      if (state.sort) params.set('sort', state.sort);
      if (state.filter) params.set('q', `tags=~${state.filter}`);
      const result = await api('GET', `${base}?${params}`);
      return { rows: result.data || [], total: result.total };
    },
  });
  return h('section', {},
    h('div', { class: 'crumbs' }, link('/harbor/projects', 'Projects'), ' / ',
      link(`/harbor/projects/${projectID}/repositories`, project.name)),
    h('h1', {}, `${project.name}/${repo}`), list);
}
