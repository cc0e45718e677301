// User profile: name, email, and for OIDC users the CLI secret (show, copy, regenerate) for docker login.
import { api } from '../api.js';
import { h, field, dialog, toast, showError, copyButton, confirmDanger } from '../ui.js';

export async function profilePage(session) {
  await session.refreshUser();
  const user = session.user;
  const host = (session.system.registry_url || location.host).replace(/^https?:\/\//, '');
  const secret = user.oidc_user_meta && user.oidc_user_meta.secret;
  const parts = [h('h1', {}, 'User profile'),
    h('div', { class: 'card' }, h('dl', { class: 'details' },
      h('dt', {}, 'Username'), h('dd', { id: 'profile-username' }, user.username),
      h('dt', {}, 'Email'), h('dd', {}, user.email || '—'),
      h('dt', {}, 'Role'), h('dd', {}, user.sysadmin_flag ? 'System administrator' : 'User')))];
  if (secret !== undefined && secret !== null) {
    const mask = '•'.repeat(16);
    const value = h('code', { class: 'secret', id: 'cli-secret', 'aria-live': 'polite' }, mask);
    let shown = false;
    const show = h('button', { class: 'button small secondary', type: 'button', id: 'show-cli-secret', 'aria-pressed': 'false',
      'aria-controls': 'cli-secret', onclick: () => {
        shown = !shown;
        value.textContent = shown ? secret : mask;
        show.textContent = shown ? 'Hide' : 'Show';
        show.setAttribute('aria-pressed', String(shown));
      } }, 'Show');
    const regenerate = h('button', { class: 'button small ghost', type: 'button', id: 'regenerate-cli-secret', onclick: async () => {
      if (!await confirmDanger('Regenerate CLI secret',
        'The current secret stops working at once: every docker, podman or CI login that uses it must log in again.', 'Regenerate')) return;
      try { await api('PUT', `users/${user.user_id}/cli_secret`, {}); toast('New CLI secret generated'); session.navigate('/harbor/profile', true); }
      catch (error) { showError(error); }
    } }, 'Regenerate');
    parts.push(h('div', { class: 'card' }, h('h2', {}, 'CLI secret'),
      h('p', {}, 'Command-line tools cannot follow the single sign-on page. Use this secret as the password of ',
        h('code', {}, 'docker login'), ' and ', h('code', {}, 'podman login'), ':'),
      h('div', { class: 'secret-row' }, value, show, copyButton(secret, 'Copy', 'copy-cli-secret'), regenerate),
      h('div', { id: 'cli-login-help' },
        h('pre', {}, h('code', {}, `docker login ${host} -u ${user.username}\nPassword: <paste the CLI secret>`)),
        h('p', { class: 'hint' }, 'The secret does not expire with your single sign-on session. Regenerate it when it may have leaked.'))));
  } else {
    const change = h('button', { class: 'button secondary', type: 'button', id: 'change-password', onclick: async () => {
      const old = field('Current password', h('input', { type: 'password', autocomplete: 'current-password', required: true }));
      const fresh = field('New password', h('input', { type: 'password', autocomplete: 'new-password', required: true }),
        'At least 8 characters with upper and lower case letters and a digit.');
      if (!await dialog('Change password', h('div', {}, old.field, fresh.field), { confirm: 'Change' })) return;
      try { await api('PUT', `users/${user.user_id}/password`, { old_password: old.input.value, new_password: fresh.input.value }); toast('Password changed'); }
      catch (error) { showError(error); }
    } }, 'Change password');
    parts.push(h('div', { class: 'card' }, h('h2', {}, 'Command-line login'),
      h('p', {}, 'Log in with your user name and password:'),
      h('pre', {}, h('code', {}, `docker login ${host} -u ${user.username}`)), change));
  }
  return h('section', {}, ...parts);
}
