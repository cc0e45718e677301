// User profile: name, email, and for OIDC users the CLI secret (show, copy, regenerate) for docker login.
import { api } from '../api.js';
import { h, field, dialog, toast, showError, copyButton, confirmDanger } from '../ui.js';

export async function profilePage(session) {
  await session.refreshUser();
  const user = session.user;
  const host = (session.system.registry_url || location.host).replace(/^https?:\/\//, '');
  const secret = user.oidc_user_meta && user.oidc_user_meta.secret;
  const parts = [h('h1', {}, 'User profile'),
    h('div', { class: 'card' }, h('dl', {},
      h('dt', {}, 'Username'), h('dd', { id: 'profile-username' }, user.username),
      h('dt', {}, 'Email'), h('dd', {}, user.email || '—'),
      h('dt', {}, 'Role'), h('dd', {}, user.sysadmin_flag ? 'System administrator' : 'User')))];
  if (secret !== undefined && secret !== null) {
    const value = h('span', { class: 'secret', id: 'cli-secret' }, '••••••••••••');
    let shown = false;
    const show = h('button', { class: 'button small secondary', type: 'button', id: 'show-cli-secret', onclick: () => {
      shown = !shown;
      value.textContent = shown ? secret : '••••••••••••';
      show.textContent = shown ? 'Hide' : 'Show';
    } }, 'Show');
    const regenerate = h('button', { class: 'button small ghost', type: 'button', id: 'regenerate-cli-secret', onclick: async () => {
      if (!await confirmDanger('Regenerate CLI secret', 'The current secret stops working immediately.', 'Regenerate')) return;
      try { await api('PUT', `users/${user.user_id}/cli_secret`, {}); toast('New CLI secret generated'); session.navigate('/harbor/profile', true); }
      catch (error) { showError(error); }
    } }, 'Regenerate');
    parts.push(h('div', { class: 'card' }, h('h2', {}, 'CLI secret'),
      h('p', {}, 'Command-line tools cannot follow the single sign-on page. Use this secret as the password:'),
      h('div', { class: 'codebox' }, value, show, copyButton(secret, 'Copy secret'), regenerate),
      h('pre', {}, h('code', {}, `docker login ${host} -u ${user.username}\nPassword: <CLI secret>`))));
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
