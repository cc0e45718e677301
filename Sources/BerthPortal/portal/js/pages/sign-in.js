// Sign in: a local account form, and "Login via OIDC provider" when the server runs in OIDC mode.
import { login } from '../api.js';
import { h, field } from '../ui.js';

export function signInPage(session) {
  const next = new URLSearchParams(location.search).get('next') || '/harbor/projects';
  const safeNext = next.startsWith('/harbor/') ? next : '/harbor/projects';
  const error = h('div', { class: 'error-box', role: 'alert', hidden: true });
  const user = field('Username', h('input', { id: 'login-username', name: 'principal', autocomplete: 'username', required: true }));
  const password = field('Password', h('input', { id: 'login-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true }));
  const submit = h('button', { class: 'button', type: 'submit', id: 'login-submit' }, 'Log in');
  const form = h('form', { 'aria-label': 'Sign in' }, error, user.field, password.field, submit);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    submit.disabled = true;
    error.hidden = true;
    try {
      await login(user.input.value.trim(), password.input.value);
      await session.refreshUser();
      session.navigate(safeNext, true);
    } catch (failure) {
      error.textContent = failure.status === 401 ? 'Invalid user name or password.' : failure.message;
      error.hidden = false;
      password.input.select();
    } finally {
      submit.disabled = false;
    }
  });
  const oidc = session.system.auth_mode === 'oidc_auth'
    ? [h('div', { class: 'divider' }, 'or'),
       h('a', { class: 'button secondary', id: 'login-oidc', href: `/c/oidc/login?redirect_url=${encodeURIComponent(safeNext)}` }, 'Login via OIDC provider'),
       session.system.oidc_provider_name ? h('p', { class: 'hint center' }, `Single sign-on with ${session.system.oidc_provider_name}`) : null]
    : [];
  return h('section', { class: 'login', 'data-title': 'Sign in' },
    h('div', { class: 'card' }, h('h1', {}, 'Sign in to Berth'), form, ...oidc));
}
