// Search results for projects and repositories.
import { get } from '../api.js';
import { h, link } from '../ui.js';

export async function searchPage(session, q) {
  const result = await get(`search?q=${encodeURIComponent(q)}`);
  const projects = result.project || [];
  const repositories = result.repository || [];
  return h('section', {}, h('h1', {}, `Search: ${q}`),
    h('h2', {}, `Projects (${projects.length})`),
    h('ul', {}, projects.map((p) => h('li', {}, link(`/harbor/projects/${p.project_id}`, p.name)))),
    h('h2', {}, `Repositories (${repositories.length})`),
    h('ul', {}, repositories.map((r) => h('li', {},
      link(`/harbor/projects/${r.project_id}/repositories/${encodeURIComponent(r.repository_name.split('/').slice(1).join('/'))}`, r.repository_name)))));
}
