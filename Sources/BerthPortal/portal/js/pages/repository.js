// A repository's artifacts: tags, digest (copyable), size, push/pull times, platforms, accessories, scan status.
import { api, get, repoSegment, registryJSON } from '../api.js';
import { h, confirmDanger, showError, formatTime, formatSize, shortDigest, copyButton, link } from '../ui.js';
import { table } from '../data-table.js';

const LEVELS = ['Critical', 'High', 'Medium', 'Low'];

/** The scan cell: a severity bar (with a tooltip) and a legend of the counts in words, or "Not scanned". */
export function scanStatus(artifact) {
  const overview = artifact.scan_overview && Object.values(artifact.scan_overview)[0];
  if (!overview) return h('span', { class: 'muted scan-none' }, 'Not scanned');
  if (overview.scan_status && overview.scan_status !== 'Success') {
    return h('span', { class: `badge scan-state scan-${overview.scan_status.toLowerCase()}` }, overview.scan_status);
  }
  const summary = (overview.summary && overview.summary.summary) || {};
  const total = LEVELS.reduce((sum, level) => sum + (summary[level] || 0), 0);
  if (!total) return h('span', { class: 'badge scan-clean' }, 'No vulnerabilities');
  const words = LEVELS.map((level) => `${summary[level] || 0} ${level}`).join(', ');
  const bar = h('div', { class: 'sevbar', role: 'img', 'aria-label': words, title: words });
  for (const level of LEVELS) {
    if (!summary[level]) continue;
    const part = h('span', { class: `sev-${level.toLowerCase()}` });
    part.style.width = `${(100 * summary[level]) / total}%`;
    bar.append(part);
  }
  const legend = h('ul', { class: 'sev-legend', 'aria-hidden': 'true' }, LEVELS.filter((level) => summary[level]).map((level) =>
    h('li', { title: `${summary[level]} ${level}` }, h('span', { class: `sev-dot sev-${level.toLowerCase()}` }), `${summary[level]} ${level}`)));
  return h('div', { class: 'scan-summary' }, bar, legend);
}

/** An index's platforms (os/architecture of each child), read from its manifest after the row renders. */
export function platforms(artifact, repository) {
  const refs = artifact.references || [];
  if (!refs.length) return null;
  const cell = h('div', { class: 'hint platforms' }, `${refs.length} platforms`);
  if (repository) {
    registryJSON(repository, `manifests/${artifact.digest}`, artifact.manifest_media_type).then((index) => {
      const names = (index.manifests || []).map((m) => m.platform
        ? [m.platform.os, m.platform.architecture, m.platform.variant].filter(Boolean).join('/') : shortDigest(m.digest));
      cell.textContent = names.join(', ');
    }).catch(() => {});
  }
  return cell;
}

const ACCESSORY_KINDS = [['signature', /signature|cosign|notation|sigstore/], ['SBOM', /spdx|cyclonedx|sbom/]];

/** Signatures and SBOMs among the artifact's referrers (read from /v2 referrers after the row renders). */
export function accessories(artifact, repository) {
  const cell = h('span', { class: 'hint accessories' }, '…');
  registryJSON(repository, `referrers/${artifact.digest}`, 'application/vnd.oci.image.index.v1+json').then((index) => {
    const types = (index.manifests || []).map((m) => (m.artifactType || '').toLowerCase());
    const counts = ACCESSORY_KINDS.map(([label, pattern]) => [label, types.filter((t) => pattern.test(t)).length]).filter(([, n]) => n);
    const other = types.length - counts.reduce((sum, [, n]) => sum + n, 0);
    if (other) counts.push(['other', other]);
    cell.textContent = counts.length ? counts.map(([label, n]) => `${n} ${label}`).join(', ') : 'None';
  }).catch(() => { cell.textContent = '—'; });
  return cell;
}

export async function repositoryPage(session, projectID, repo) {
  const project = await get(`projects/${projectID}`);
  const base = `projects/${project.name}/repositories/${repoSegment(repo)}/artifacts`;
  const repository = `${project.name}/${repo}`;
  const list = table({
    filterLabel: 'Filter by tag',
    emptyText: 'No artifacts in this repository. Push an image to it:',
    emptyAction: () => h('code', { class: 'empty-code' }, `docker push ${(session.system.registry_url || location.host).replace(/^https?:\/\//, '')}/${repository}:TAG`),
    columns: [
      { label: 'Digest', render: (a) => h('div', { class: 'digest-cell' },
          link(`/harbor/projects/${projectID}/repositories/${encodeURIComponent(repo)}/artifacts/${encodeURIComponent(a.digest)}`,
            h('span', { class: 'digest', title: a.digest }, shortDigest(a.digest))), ' ', copyButton(a.digest, 'Copy', undefined, 'Copy digest'), platforms(a, repository)) },
      { label: 'Tags', render: (a) => (a.tags || []).length ? (a.tags || []).map((t) => h('span', { class: 'badge' }, t.name)) : h('span', { class: 'muted' }, 'untagged') },
      { label: 'Type', render: (a) => a.type || '' },
      { label: 'Accessories', render: (a) => accessories(a, repository) },
      { label: 'Size', sortKey: 'size', class: 'num', render: (a) => formatSize(a.size) },
      { label: 'Vulnerabilities', render: scanStatus },
      { label: 'Pushed', sortKey: 'push_time', class: 'time', render: (a) => formatTime(a.push_time) },
      { label: 'Pulled', sortKey: 'pull_time', class: 'time', render: (a) => formatTime(a.pull_time) },
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
