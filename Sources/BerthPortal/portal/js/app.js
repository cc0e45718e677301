// The portal shell: session, theme, navigation and the client-side router.
import { api, get, logout } from './api.js';
import { h } from './ui.js';
import './data-table.js';
import { signInPage } from './pages/sign-in.js';
import { projectsPage } from './pages/projects.js';
import { projectPage } from './pages/project.js';
import { repositoryPage } from './pages/repository.js';
import { artifactPage } from './pages/artifact.js';
import { profilePage } from './pages/profile.js';
import { usersPage, auditLogsPage, systemRobotsPage } from './pages/admin.js';
import { configurationPage } from './pages/admin-config.js';
import { securityPage } from './pages/admin-security.js';
import { searchPage } from './pages/search.js';

/** What every page may use: the signed-in user, system info and navigation. */
export const session = { user: null, system: {}, navigate, refreshUser };

const routes = [
  [/^\/harbor\/sign-in$/, () => signInPage(session)],
  [/^\/harbor\/projects$/, () => projectsPage(session)],
  [/^\/harbor\/projects\/(\d+)\/repositories\/([^/]+)\/artifacts\/([^/]+)$/, (m) => artifactPage(session, m[1], decodeURIComponent(m[2]), decodeURIComponent(m[3]))],
  [/^\/harbor\/projects\/(\d+)\/repositories\/([^/]+)$/, (m) => repositoryPage(session, m[1], decodeURIComponent(m[2]))],
  [/^\/harbor\/projects\/(\d+)(?:\/(\w+))?$/, (m) => projectPage(session, m[1], m[2] || 'summary')],
  [/^\/harbor\/profile$/, () => profilePage(session)],
  [/^\/harbor\/users$/, () => usersPage(session), true],
  [/^\/harbor\/robots$/, () => systemRobotsPage(session), true],
  [/^\/harbor\/logs$/, () => auditLogsPage(session), true],
  [/^\/harbor\/configuration$/, () => configurationPage(session), true],
  [/^\/harbor\/interrogation(?:\/(\w+))?$/, (m) => securityPage(session, m[1] || 'vulndb'), true],
  [/^\/harbor\/search$/, () => searchPage(session, new URLSearchParams(location.search).get('q') || '')],
];

function applyTheme(theme) {
  if (theme) document.documentElement.dataset.theme = theme;
  else delete document.documentElement.dataset.theme;
}

function currentTheme() {
  return document.documentElement.dataset.theme
    || (matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light');
}

async function refreshUser() {
  try {
    session.user = await get('users/current');
  } catch (error) {
    if (error.status !== 401) throw error;
    session.user = null;
  }
  renderChrome();
}

function renderChrome() {
  const user = session.user;
  document.body.classList.toggle('body-signed-out', !user);
  const userLink = document.getElementById('user-link');
  userLink.hidden = !user;
  userLink.textContent = user ? user.username : '';
  document.getElementById('logout').hidden = !user;
  document.getElementById('nav-admin').hidden = !(user && user.sysadmin_flag);
}

/** Closes the phone-width navigation menu. */
function closeNav() {
  document.getElementById('sidenav').classList.remove('open');
  document.getElementById('nav-toggle').setAttribute('aria-expanded', 'false');
}

/** Goes to `path` (pushing history unless `replace`) and renders the page. */
export function navigate(path, replace = false) {
  if (replace) history.replaceState(null, '', path); else history.pushState(null, '', path);
  render();
}

let renderGeneration = 0;

async function render() {
  let path = location.pathname.replace(/\/+$/, '');
  if (path === '' || path === '/harbor') { history.replaceState(null, '', '/harbor/projects'); path = '/harbor/projects'; }
  const main = document.getElementById('main');
  if (!session.user && path !== '/harbor/sign-in') {
    const next = location.pathname + location.search;
    history.replaceState(null, '', `/harbor/sign-in?next=${encodeURIComponent(next)}`);
    path = '/harbor/sign-in';
  }
  const section = path.split('/')[2];
  for (const item of document.querySelectorAll('[data-nav]')) {
    if (item.dataset.nav === section) item.setAttribute('aria-current', 'page'); else item.removeAttribute('aria-current');
  }
  closeNav();
  for (const [pattern, page, adminOnly] of routes) {
    const match = path.match(pattern);
    if (!match) continue;
    if (adminOnly && !session.user.sysadmin_flag) {
      renderGeneration += 1;
      main.replaceChildren(h('h1', {}, 'Not allowed'), h('div', { class: 'error-box', role: 'alert', id: 'permission-denied' },
        'You do not have permission to view this page: it is for system administrators.'));
      main.removeAttribute('aria-busy');
      document.title = 'Not allowed · Berth';
      return;
    }
    const generation = ++renderGeneration;
    main.setAttribute('aria-busy', 'true');
    // A loading state for slow pages (a short delay avoids a flash on fast ones).
    const loading = setTimeout(() => {
      if (generation === renderGeneration) main.replaceChildren(h('div', { class: 'page-loading', role: 'status' },
        h('span', { class: 'spinner', 'aria-hidden': 'true' }), 'Loading…'));
    }, 150);
    let content;
    try {
      content = [await page(match)];
    } catch (error) {
      content = [h('h1', {}, 'Something went wrong'), h('div', { class: 'error-box', role: 'alert' }, error.message),
        h('p', {}, h('a', { href: '/harbor/projects', 'data-link': true }, 'Back to projects'))];
    }
    clearTimeout(loading);
    if (generation !== renderGeneration) return; // the user went elsewhere meanwhile
    main.replaceChildren(...content);
    main.removeAttribute('aria-busy');
    // The page's own title (data-title on its root), else its heading.
    const titled = main.querySelector('[data-title]');
    const heading = main.querySelector('h1');
    const title = titled ? titled.dataset.title : heading ? heading.textContent.replace(/\s+/g, ' ').trim() : '';
    document.title = title ? `${title} · Berth` : 'Berth';
    return;
  }
  renderGeneration += 1;
  main.removeAttribute('aria-busy');
  main.replaceChildren(h('h1', {}, 'Page not found'), h('p', {}, h('a', { href: '/harbor/projects', 'data-link': true }, 'Back to projects')));
  document.title = 'Page not found · Berth';
}

function wire() {
  document.addEventListener('click', (event) => {
    const anchor = event.target.closest('a[data-link]');
    if (!anchor || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    navigate(anchor.getAttribute('href'));
  });
  window.addEventListener('popstate', render);
  document.getElementById('theme-toggle').addEventListener('click', () => {
    const next = currentTheme() === 'dark' ? 'light' : 'dark';
    localStorage.setItem('berth-theme', next); // a display preference, not a secret
    applyTheme(next);
  });
  document.getElementById('logout').addEventListener('click', async () => {
    await logout();
    session.user = null;
    renderChrome();
    navigate('/harbor/sign-in');
  });
  const toggle = document.getElementById('nav-toggle');
  toggle.addEventListener('click', () => {
    const open = document.getElementById('sidenav').classList.toggle('open');
    toggle.setAttribute('aria-expanded', String(open));
    if (open) document.querySelector('#sidenav a').focus();
  });
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && document.getElementById('sidenav').classList.contains('open')) { closeNav(); toggle.focus(); }
  });
  document.getElementById('main').addEventListener('click', closeNav);
  document.getElementById('global-search').addEventListener('submit', (event) => {
    event.preventDefault();
    const q = document.getElementById('global-search-input').value.trim();
    navigate(`/harbor/search?q=${encodeURIComponent(q)}`);
  });
}

async function start() {
  applyTheme(localStorage.getItem('berth-theme'));
  wire();
  try { session.system = await get('systeminfo'); } catch (_) { session.system = {}; }
  await refreshUser().catch(() => { session.user = null; });
  await render();
}

export { api };
start();
