// An artifact: pull command, tags, vulnerabilities (Scan with live progress), SBOM referrers and layers.
import { api, get, repoSegment, registryJSON, registryBlob } from '../api.js';
import { h, field, dialog, confirmDanger, toast, showError, formatTime, formatSize, codeBox, link, shortDigest } from '../ui.js';
import { scanStatus } from './repository.js';

const SEVERITY_ORDER = { Critical: 5, High: 4, Medium: 3, Low: 2, Negligible: 1, Unknown: 0 };
const COLUMNS = [['id', 'Vulnerability'], ['package', 'Package'], ['version', 'Current version'], ['fix_version', 'Fixed version'],
  ['severity', 'Severity'], ['cvss', 'CVSS'], ['description', 'Description']];
const SBOM_TYPES = ['spdx', 'cyclonedx', 'sbom'];

/** Where a vulnerability id leads: NVD for CVE ids, otherwise the report's first link. */
export function vulnerabilityLink(v) {
  if (/^CVE-\d{4}-\d+$/.test(v.id || '')) return `https://nvd.nist.gov/vuln/detail/${v.id}`;
  return (v.links || []).find((l) => /^https?:\/\//.test(l)) || null;
}

const cvss = (v) => (v.preferred_cvss && (v.preferred_cvss.score_v4 ?? v.preferred_cvss.score_v3 ?? v.preferred_cvss.score_v2)) ?? null;

function vulnerabilityTable(list) {
  let sortKey = 'severity', descending = true, filter = '';
  const wrap = h('div', { class: 'table-wrap' });
  const filterInput = h('input', { type: 'search', id: 'vulnerability-filter', placeholder: 'Filter by id or package' });
  filterInput.addEventListener('input', () => { filter = filterInput.value.trim().toLowerCase(); render(); });
  const value = (v, key) => key === 'severity' ? SEVERITY_ORDER[v.severity] ?? 0
    : key === 'cvss' ? Number(cvss(v) ?? -1) : String(v[key] || '').toLowerCase();
  function render() {
    const rows = list.filter((v) => !filter || `${v.id} ${v.package}`.toLowerCase().includes(filter)).sort((a, b) => {
      const x = value(a, sortKey), y = value(b, sortKey);
      const order = (x < y ? -1 : x > y ? 1 : 0) * (descending ? -1 : 1);
      return order || (SEVERITY_ORDER[b.severity] ?? 0) - (SEVERITY_ORDER[a.severity] ?? 0) || String(a.id).localeCompare(String(b.id));
    });
    const header = COLUMNS.map(([key, label]) => h('th', { scope: 'col', 'aria-sort': key === sortKey ? (descending ? 'descending' : 'ascending') : 'none' },
      h('button', { type: 'button', 'data-sort': key, onclick: () => { descending = key === sortKey ? !descending : key === 'severity' || key === 'cvss'; sortKey = key; render(); } },
        label + (key === sortKey ? (descending ? ' ▼' : ' ▲') : ''))));
    const body = rows.map((v) => {
      const href = vulnerabilityLink(v);
      return h('tr', {},
        h('td', {}, href ? h('a', { href, rel: 'noopener noreferrer', target: '_blank' }, v.id) : v.id),
        h('td', {}, v.package), h('td', {}, v.version), h('td', {}, v.fix_version || '—'),
        h('td', {}, h('span', { class: `badge sev-text-${(v.severity || '').toLowerCase()}` }, v.severity)),
        h('td', {}, cvss(v) ?? '—'), h('td', {}, v.description || ''));
    });
    wrap.replaceChildren(h('table', { id: 'vulnerabilities' }, h('caption', { class: 'visually-hidden' }, 'Vulnerabilities'),
      h('thead', {}, h('tr', {}, header)),
      h('tbody', {}, body.length ? body : h('tr', {}, h('td', { class: 'empty', colspan: COLUMNS.length },
        filter ? 'No vulnerability matches the filter.' : 'No vulnerabilities found.')))));
  }
  render();
  return h('div', {}, h('div', { class: 'toolbar' },
    h('label', { class: 'visually-hidden', for: 'vulnerability-filter' }, 'Filter vulnerabilities'), filterInput,
    h('span', { class: 'hint' }, `${list.length} vulnerabilities`)), wrap);
}

async function vulnerabilitiesSection(base, artifact) {
  const ref = `${base}/${artifact.digest}`;
  const box = h('div', {});
  const summary = h('div', {}, scanStatus(artifact));
  const text = h('span', { class: 'muted' });
  const bar = h('progress', { max: 100, value: 0, hidden: true, 'aria-label': 'Scan progress' });
  const progress = h('span', { class: 'scan-progress', id: 'scan-status', role: 'status' }, text, bar);
  const scan = h('button', { class: 'button', type: 'button', id: 'scan' }, 'Scan');
  async function loadReport() {
    try {
      const report = (await api('GET', `${ref}/additions/vulnerabilities`)).data || {};
      const first = Object.values(report)[0];
      box.replaceChildren(first ? vulnerabilityTable(first.vulnerabilities || []) : h('p', { class: 'muted' }, 'Not scanned yet.'));
      const current = await get(`${ref}?with_scan_overview=true&with_tag=false`);
      summary.replaceChildren(scanStatus(current));
    } catch (error) {
      box.replaceChildren(h('p', { class: 'error-box' }, error.message));
    }
  }
  async function follow() {
    scan.disabled = true;
    bar.hidden = false;
    try {
      for (let attempt = 0; attempt < 600; attempt += 1) {
        const status = await get(`${ref}/scan/status`);
        const state = status.scan_status || 'Pending';
        bar.value = status.progress || 0;
        text.textContent = `Scan status: ${state} (${status.progress || 0}%)`;
        if (!['Pending', 'Running', 'Scheduled'].includes(state)) break;
        await new Promise((resolve) => setTimeout(resolve, 700));
      }
      await loadReport();
    } catch (error) { showError(error); text.textContent = error.message; } finally { scan.disabled = false; bar.hidden = true; }
  }
  scan.addEventListener('click', async () => {
    scan.disabled = true;
    text.textContent = 'Scan requested…';
    try { await api('POST', `${ref}/scan`, {}); } catch (error) { showError(error); text.textContent = error.message; scan.disabled = false; return; }
    await follow();
  });
  await loadReport();
  const running = await get(`${ref}/scan/status`).catch(() => null);
  if (running && ['Pending', 'Running'].includes(running.scan_status)) follow();
  return h('div', { class: 'card' }, h('div', { class: 'toolbar' }, h('h2', {}, 'Vulnerabilities'), h('span', { class: 'spacer' }), progress, scan),
    summary, box);
}

function download(name, bytes, type) {
  const anchor = h('a', { href: URL.createObjectURL(new Blob([bytes], { type })), download: name });
  document.body.append(anchor); anchor.click(); anchor.remove();
}

async function sbomSection(base, repository, artifact) {
  const list = h('div', {}, h('p', { class: 'muted' }, 'Loading…'));
  const generate = h('button', { class: 'button secondary', type: 'button', id: 'generate-sbom' }, 'Generate SBOM');
  const note = h('span', { class: 'muted', role: 'status' });
  async function load() {
    try {
      const index = await registryJSON(repository, `referrers/${artifact.digest}`, 'application/vnd.oci.image.index.v1+json');
      const found = (index.manifests || []).filter((m) => SBOM_TYPES.some((t) => (m.artifactType || '').toLowerCase().includes(t)));
      list.replaceChildren(found.length ? h('ul', { class: 'plain' }, found.map((m) => h('li', {},
        h('span', { class: 'badge' }, m.artifactType), ' ', h('span', { class: 'digest' }, shortDigest(m.digest)), ' ',
        h('span', { class: 'hint' }, formatTime((m.annotations || {})['org.opencontainers.image.created'])), ' ',
        h('button', { class: 'button small secondary', type: 'button', 'data-sbom': m.artifactType,
          'aria-label': `Download the ${(m.artifactType || '').includes('cyclonedx') ? 'CycloneDX' : 'SPDX'} SBOM ${shortDigest(m.digest)}`, onclick: async () => {
          try {
            const manifest = await registryJSON(repository, `manifests/${m.digest}`, m.mediaType || 'application/vnd.oci.image.manifest.v1+json');
            const layer = (manifest.layers || [])[0];
            if (!layer) throw new Error('The SBOM manifest has no document layer.');
            const kind = (m.artifactType || '').includes('cyclonedx') ? 'cdx' : 'spdx';
            download(`${repository.replace(/\//g, '_')}-${artifact.digest.slice(7, 19)}.${kind}.json`, await registryBlob(repository, layer.digest), layer.mediaType);
          } catch (error) { showError(error); }
        } }, 'Download'))))
        : h('p', { class: 'muted' }, 'No SBOM yet. Generate one, or push one as a referrer (oras attach).'));
      return new Set(found.map((m) => m.digest));
    } catch (error) {
      list.replaceChildren(h('p', { class: 'muted' }, `SBOM referrers are not readable here: ${error.message}`));
      return null;
    }
  }
  generate.addEventListener('click', async () => {
    generate.disabled = true;
    try {
      // Regenerating replaces Berth's earlier SBOMs, so wait for a digest not seen before, not for more of them.
      const before = (await load()) || new Set();
      await api('POST', `${base}/${artifact.digest}/scan`, { scan_type: 'sbom' });
      note.textContent = 'Generating SBOM…';
      const fresh = (now) => now && [...now].some((digest) => !before.has(digest));
      let ready = false;
      for (let i = 0; i < 90 && !ready; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 1000));
        ready = fresh(await load());
      }
      note.textContent = ready ? 'SBOM ready' : 'The SBOM is still being generated: reload the page later.';
    } catch (error) { showError(error); note.textContent = error.message; } finally { generate.disabled = false; }
  });
  await load();
  return h('div', { class: 'card', id: 'sbom' }, h('div', { class: 'toolbar' }, h('h2', {}, 'SBOM'), h('span', { class: 'spacer' }), note, generate), list);
}

async function layersSection(repository, artifact) {
  const card = (...content) => h('div', { class: 'card', id: 'layers' }, h('h2', {}, 'Layers (build history)'), ...content);
  try {
    const manifest = await registryJSON(repository, `manifests/${artifact.digest}`, artifact.manifest_media_type);
    if (!manifest.config) return card(h('p', { class: 'muted' }, 'An index: open one of its platforms for its layers.'));
    const config = JSON.parse(new TextDecoder().decode(await registryBlob(repository, manifest.config.digest)));
    const layers = manifest.layers || [];
    const history = config.history && config.history.length ? config.history : layers.map(() => ({}));
    let next = 0;
    const rows = history.map((step, index) => {
      const layer = step.empty_layer ? null : layers[next++];
      return h('tr', {}, h('td', { class: 'num' }, String(index + 1)),
        h('td', {}, h('code', {}, step.created_by || step.comment || (layer ? 'layer' : ''))),
        h('td', { class: 'num' }, layer ? formatSize(layer.size) : '—'), h('td', {}, formatTime(step.created)));
    });
    const platform = [config.os, config.architecture, config.variant].filter(Boolean).join('/');
    return card(h('p', { class: 'hint' }, `${layers.length} layers, ${formatSize(layers.reduce((s, l) => s + (l.size || 0), 0))} compressed`,
      platform ? `, ${platform}` : '', config.created ? `, built ${formatTime(config.created)}` : ''),
    h('div', { class: 'table-wrap layers' }, h('table', {}, h('caption', { class: 'visually-hidden' }, 'Build history'),
      h('thead', {}, h('tr', {}, ['#', 'Created by', 'Size', 'Created'].map((label) => h('th', { scope: 'col' }, label)))),
      h('tbody', {}, rows))));
  } catch (error) {
    return card(h('p', { class: 'muted' }, `The image configuration is not readable here: ${error.message}`));
  }
}

export async function artifactPage(session, projectID, repo, reference) {
  const project = await get(`projects/${projectID}`);
  const base = `projects/${project.name}/repositories/${repoSegment(repo)}/artifacts`;
  const artifact = await get(`${base}/${reference}?with_tag=true&with_scan_overview=true`);
  const repository = `${project.name}/${repo}`;
  const host = (session.system.registry_url || location.host).replace(/^https?:\/\//, '');
  const tags = artifact.tags || [];
  const reload = () => session.navigate(location.pathname, true);
  const tagList = h('div', {}, tags.length ? tags.map((t) => h('span', { class: 'badge' }, t.name,
    h('button', { class: 'icon-button', type: 'button', 'aria-label': `Remove tag ${t.name}`, onclick: async () => {
      if (!await confirmDanger('Remove tag', `Remove tag ${t.name}?`, 'Remove')) return;
      try { await api('DELETE', `${base}/${artifact.digest}/tags/${encodeURIComponent(t.name)}`); reload(); } catch (error) { showError(error); }
    } }, '×'))) : h('span', { class: 'muted' }, 'No tags'));
  const addTag = h('button', { class: 'button small secondary', type: 'button', id: 'add-tag', onclick: async () => {
    const name = field('Tag', h('input', { required: true, pattern: '[A-Za-z0-9_][A-Za-z0-9._-]{0,127}' }));
    if (!await dialog('Add tag', name.field, { confirm: 'Add' })) return;
    try { await api('POST', `${base}/${artifact.digest}/tags`, { name: name.input.value.trim() }); toast('Tag added'); reload(); }
    catch (error) { showError(error); }
  } }, '+ Add tag');
  const children = (artifact.references || []).map((r) => link(
    `/harbor/projects/${projectID}/repositories/${encodeURIComponent(repo)}/artifacts/${encodeURIComponent(r.child_digest)}`,
    r.platform ? `${r.platform.os}/${r.platform.architecture}` : shortDigest(r.child_digest)));
  const [vulnerabilities, sbom, layers] = await Promise.all([vulnerabilitiesSection(base, artifact),
    sbomSection(base, repository, artifact), layersSection(repository, artifact)]);
  const title = tags.length ? `${repository}:${tags[0].name}` : `${repository}@${shortDigest(artifact.digest)}`;
  return h('section', { 'data-title': title },
    h('div', { class: 'crumbs' }, link('/harbor/projects', 'Projects'), ' / ', link(`/harbor/projects/${projectID}/repositories`, project.name),
      ' / ', link(`/harbor/projects/${projectID}/repositories/${encodeURIComponent(repo)}`, repo)),
    h('h1', {}, tags.length ? `${repo}:${tags[0].name}` : repo, ' ', h('span', { class: 'digest h1-digest' }, shortDigest(artifact.digest))),
    h('div', { class: 'card' },
      h('h2', {}, 'Pull command'), codeBox(`docker pull ${host}/${repository}@${artifact.digest}`, 'Copy', 'pull-command'),
      h('h2', {}, 'Tags'), h('div', { class: 'toolbar' }, tagList, addTag),
      h('h2', {}, 'Details'),
      h('dl', { class: 'details' },
        h('dt', {}, 'Digest'), h('dd', { class: 'digest', id: 'artifact-digest' }, artifact.digest),
        h('dt', {}, 'Media type'), h('dd', {}, artifact.manifest_media_type),
        h('dt', {}, 'Size'), h('dd', {}, formatSize(artifact.size)),
        h('dt', {}, 'Pushed'), h('dd', {}, formatTime(artifact.push_time)),
        h('dt', {}, 'Pulled'), h('dd', {}, formatTime(artifact.pull_time)),
        children.length ? [h('dt', {}, 'Platforms'), h('dd', {}, children.flatMap((c) => [c, ' ']))] : null),
      ),
    vulnerabilities, sbom, layers);
}
