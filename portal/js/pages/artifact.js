// An artifact: tags, pull command, vulnerabilities (with a Scan button), SBOM and build history when the API has them.
import { api, get, repoSegment } from '../api.js';
import { h, field, dialog, confirmDanger, toast, showError, formatTime, formatSize, codeBox, link } from '../ui.js';
import { scanStatus, platforms } from './repository.js';

const SEVERITY_ORDER = { Critical: 5, High: 4, Medium: 3, Low: 2, Negligible: 1, Unknown: 0 };

function vulnerabilityTable(list) {
  let sortKey = 'severity', descending = true;
  const wrap = h('div', { class: 'table-wrap' });
  const columns = [
    ['id', 'CVE'], ['package', 'Package'], ['version', 'Current version'], ['fix_version', 'Fixed in'],
    ['severity', 'Severity'], ['cvss', 'CVSS'], ['description', 'Description']];
  const value = (v, key) => key === 'severity' ? SEVERITY_ORDER[v.severity] ?? 0
    : key === 'cvss' ? Number((v.preferred_cvss && v.preferred_cvss.score_v3) || 0) : String(v[key] || '');
  function render() {
    const rows = [...list].sort((a, b) => {
      const x = value(a, sortKey), y = value(b, sortKey);
      return (x < y ? -1 : x > y ? 1 : 0) * (descending ? -1 : 1);
    });
    wrap.replaceChildren(h('table', { id: 'vulnerabilities' },
      h('thead', {}, h('tr', {}, columns.map(([key, label]) => h('th', { scope: 'col', 'aria-sort': key === sortKey ? (descending ? 'descending' : 'ascending') : 'none' },
        h('button', { type: 'button', onclick: () => { descending = key === sortKey ? !descending : true; sortKey = key; render(); } },
          label + (key === sortKey ? (descending ? ' ▼' : ' ▲') : '')))))),
      h('tbody', {}, rows.length ? rows.map((v) => h('tr', {},
        h('td', {}, (v.links && v.links[0]) ? h('a', { href: v.links[0], rel: 'noopener noreferrer', target: '_blank' }, v.id) : v.id),
        h('td', {}, v.package), h('td', {}, v.version), h('td', {}, v.fix_version || '—'),
        h('td', {}, h('span', { class: `badge sev-text-${(v.severity || '').toLowerCase()}` }, v.severity)),
        h('td', {}, (v.preferred_cvss && v.preferred_cvss.score_v3) ?? '—'), h('td', {}, v.description || '')))
        : h('tr', {}, h('td', { class: 'empty', colspan: 7 }, 'No vulnerabilities found.')))));
  }
  render();
  return wrap;
}

async function vulnerabilitiesSection(base, reference, artifact) {
  const box = h('div', {});
  const status = h('span', { class: 'muted', role: 'status' });
  const scan = h('button', { class: 'button', type: 'button', id: 'scan' }, 'Scan');
  async function loadReport() {
    try {
      const report = (await api('GET', `${base}/${reference}/additions/vulnerabilities`)).data || {};
      const first = Object.values(report)[0];
      box.replaceChildren(first ? vulnerabilityTable(first.vulnerabilities || []) : h('p', { class: 'muted' }, 'Not scanned yet.'));
    } catch (error) {
      box.replaceChildren(h('p', { class: 'muted' }, error.status === 404 ? 'Not scanned yet.' : error.message));
    }
  }
  scan.addEventListener('click', async () => {
    scan.disabled = true;
    status.textContent = 'Scan requested…';
    try {
      await api('POST', `${base}/${reference}/scan`, {});
      for (let attempt = 0; attempt < 120; attempt += 1) {
        await new Promise((resolve) => setTimeout(resolve, 1000));
        const current = await get(`${base}/${reference}?with_scan_overview=true`);
        const overview = current.scan_overview && Object.values(current.scan_overview)[0];
        const state = overview ? overview.scan_status : 'Pending';
        status.textContent = `Scan status: ${state}${overview && overview.complete_percent ? ` (${overview.complete_percent}%)` : ''}`;
        if (state === 'Success' || state === 'Error' || state === 'Stopped') break;
      }
      await loadReport();
    } catch (error) { showError(error); status.textContent = error.message; } finally { scan.disabled = false; }
  });
  await loadReport();
  return h('div', { class: 'card' }, h('div', { class: 'toolbar' }, h('h2', {}, 'Vulnerabilities'), h('span', { class: 'spacer' }), status, scan),
    h('div', {}, scanStatus(artifact)), box);
}

async function additionSection(title, base, reference, addition, render) {
  try {
    const data = (await api('GET', `${base}/${reference}/additions/${addition}`)).data;
    return h('div', { class: 'card' }, h('h2', {}, title), render(data));
  } catch (error) {
    return h('div', { class: 'card' }, h('h2', {}, title), h('p', { class: 'muted' }, error.status === 404 ? 'Not available for this artifact.' : error.message));
  }
}

export async function artifactPage(session, projectID, repo, reference) {
  const project = await get(`projects/${projectID}`);
  const base = `projects/${project.name}/repositories/${repoSegment(repo)}/artifacts`;
  const artifact = await get(`${base}/${reference}?with_tag=true&with_scan_overview=true`);
  const host = (session.system.registry_url || location.host).replace(/^https?:\/\//, '');
  const tags = artifact.tags || [];
  const pull = `docker pull ${host}/${project.name}/${repo}@${artifact.digest}`;
  const tagList = h('div', {}, tags.length ? tags.map((t) => h('span', { class: 'badge' }, t.name,
    h('button', { class: 'icon-button', type: 'button', 'aria-label': `Remove tag ${t.name}`, onclick: async () => {
      if (!await confirmDanger('Remove tag', `Remove tag ${t.name}?`, 'Remove')) return;
      try { await api('DELETE', `${base}/${artifact.digest}/tags/${encodeURIComponent(t.name)}`); session.navigate(location.pathname, true); }
      catch (error) { showError(error); }
    } }, '×'))) : h('span', { class: 'muted' }, 'No tags'));
  const addTag = h('button', { class: 'button small secondary', type: 'button', onclick: async () => {
    const name = field('Tag', h('input', { required: true, pattern: '[A-Za-z0-9_][A-Za-z0-9._-]{0,127}' }));
    if (!await dialog('Add tag', name.field, { confirm: 'Add' })) return;
    try { await api('POST', `${base}/${artifact.digest}/tags`, { name: name.input.value.trim() }); toast('Tag added'); session.navigate(location.pathname, true); }
    catch (error) { showError(error); }
  } }, '+ Add tag');
  return h('section', {},
    h('div', { class: 'crumbs' }, link('/harbor/projects', 'Projects'), ' / ', link(`/harbor/projects/${projectID}/repositories`, project.name),
      ' / ', link(`/harbor/projects/${projectID}/repositories/${encodeURIComponent(repo)}`, repo)),
    h('h1', { class: 'digest' }, `${repo}@${artifact.digest.slice(0, 19)}`),
    h('div', { class: 'card' },
      h('h2', {}, 'Pull command'), codeBox(pull, 'Copy pull command'),
      h('h2', {}, 'Tags'), h('div', { class: 'toolbar' }, tagList, addTag),
      h('h2', {}, 'Details'),
      h('dl', {},
        h('dt', {}, 'Digest'), h('dd', { class: 'digest', id: 'artifact-digest' }, artifact.digest),
        h('dt', {}, 'Media type'), h('dd', {}, artifact.manifest_media_type),
        h('dt', {}, 'Size'), h('dd', {}, formatSize(artifact.size)),
        h('dt', {}, 'Pushed'), h('dd', {}, formatTime(artifact.push_time)),
        h('dt', {}, 'Pulled'), h('dd', {}, formatTime(artifact.pull_time))),
      platforms(artifact)),
    await vulnerabilitiesSection(base, artifact.digest, artifact),
    await additionSection('SBOM', base, artifact.digest, 'sbom', (sbom) => {
      const blob = new Blob([JSON.stringify(sbom, null, 2)], { type: 'application/json' });
      return h('a', { class: 'button secondary', href: URL.createObjectURL(blob), download: `${repo.replace(/\//g, '_')}-sbom.json` }, 'Download SBOM');
    }),
    await additionSection('Layers (build history)', base, artifact.digest, 'build_history', (history) =>
      h('ol', {}, (history || []).map((step) => h('li', {}, h('code', {}, step.created_by || ''), ' ', h('span', { class: 'hint' }, formatTime(step.created)))))));
}
