// Administration → Configuration: authentication mode and OIDC, project creation, read-only mode, session
// timeout and token expiration (`GET/PUT /api/v2.0/configurations`). Only keys the server lists as editable are sent, and only when changed.
import { api, get } from '../api.js';
import { h, field, toast, showError } from '../ui.js';

const OIDC_TEXT = [
  ['oidc_name', 'OIDC provider name', 'Shown on the sign-in button.'],
  ['oidc_endpoint', 'OIDC endpoint', 'The issuer URL; its /.well-known/openid-configuration must be reachable.'],
  ['oidc_client_id', 'OIDC client id', null],
  ['oidc_scope', 'OIDC scope', 'Comma-separated, must include openid (e.g. openid,profile,email,offline_access).'],
  ['oidc_user_claim', 'Username claim', 'The claim that names the user (empty for the default).'],
  ['oidc_groups_claim', 'Groups claim', 'The claim that lists the user\'s groups.'],
  ['oidc_admin_group', 'OIDC admin group', 'Members of this group become system administrators.'],
];
const LDAP_TEXT = [
  ['ldap_url', 'LDAP URL', 'ldap://host:389 or ldaps://host:636.'],
  ['ldap_search_dn', 'Search DN', 'The DN that searches for users; empty for an anonymous search.'],
  ['ldap_base_dn', 'Base DN', 'Where users live, e.g. ou=people,dc=example,dc=com.'],
  ['ldap_filter', 'Filter', 'An extra filter users must match, e.g. (objectClass=person).'],
  ['ldap_uid', 'UID attribute', 'The attribute holding the login name (uid, sAMAccountName…).'],
  ['ldap_group_admin_dn', 'Admin group DN', 'Members of this group become system administrators at login.'],
  ['ldap_group_membership_attribute', 'Group membership attribute', 'The user attribute listing their groups (memberof).'],
];
const OIDC_FLAGS = [
  ['oidc_verify_cert', 'Verify the provider\'s certificate'],
  ['oidc_auto_onboard', 'Create users automatically on their first sign-in'],
];

function item(config, key) {
  const entry = config[key];
  return entry && typeof entry === 'object' && 'value' in entry ? entry : null;
}

/** Builds one control per listed key; returns {element, read()} where read() gives the changed editable keys. */
function controls(config) {
  const parts = [];
  const readers = [];
  const add = (key, control, input, toValue) => {
    const entry = item(config, key);
    if (!entry) return null;
    input.disabled = !entry.editable;
    parts.push(control);
    readers.push(() => {
      const value = toValue();
      return entry.editable && value !== entry.value ? [[key, value]] : [];
    });
    return input;
  };
  const textField = (key, label, hint) => {
    const entry = item(config, key);
    const f = field(label, h('input', { id: `config-${key}`, value: entry ? entry.value ?? '' : '', autocomplete: 'off' }),
      entry && !entry.editable ? 'Set in the server configuration; not changeable here.' : hint);
    return add(key, f.field, f.input, () => f.input.value.trim());
  };
  const checkField = (key, label) => {
    const entry = item(config, key);
    const f = field(label, h('input', { type: 'checkbox', id: `config-${key}`, checked: !!(entry && entry.value) }),
      entry && !entry.editable ? 'Fixed by the server.' : null);
    return add(key, f.field, f.input, () => f.input.checked);
  };
  const numberField = (key, label, max, hint) => {
    const entry = item(config, key);
    const f = field(label, h('input', { type: 'number', id: `config-${key}`, min: 1, max, step: 1, required: true,
      value: entry ? entry.value : '' }), hint);
    return add(key, f.field, f.input, () => Number(f.input.value));
  };
  return { parts, readers, textField, checkField, numberField, add };
}

/** The LDAP fieldset: settings, a write-only search password and "Test connection" (POST /ldap/ping with
 * the values on screen laid over the stored ones). */
function ldapControls(config) {
  const controlsFor = controls(config);
  for (const [key, label, hint] of LDAP_TEXT) controlsFor.textField(key, label, hint);
  const scope = field('Search scope', h('select', { id: 'config-ldap_scope' },
    h('option', { value: '0' }, 'Base'), h('option', { value: '1' }, 'One level'), h('option', { value: '2' }, 'Subtree')));
  scope.input.value = String((item(config, 'ldap_scope') || { value: 2 }).value);
  controlsFor.add('ldap_scope', scope.field, scope.input, () => Number(scope.input.value));
  controlsFor.numberField('ldap_timeout', 'Timeout (seconds)', 60, 'How long to wait for the directory.');
  controlsFor.checkField('ldap_verify_cert', 'Verify the server\'s certificate (ldaps://)');
  const password = field('Search password', h('input', { type: 'password', id: 'config-ldap_search_password',
    autocomplete: 'new-password', placeholder: 'Unchanged' }), 'Write-only: leave empty to keep the stored password.');
  const result = h('p', { id: 'ldap-ping-result', role: 'status', class: 'hint' });
  const test = h('button', { class: 'button secondary', type: 'button', id: 'ldap-ping' }, 'Test connection');
  test.addEventListener('click', async () => {
    const body = Object.fromEntries(LDAP_TEXT.map(([key]) => [key, document.getElementById(`config-${key}`).value.trim()]));
    body.ldap_scope = Number(scope.input.value);
    body.ldap_connection_timeout = Number(document.getElementById('config-ldap_timeout').value);
    if (password.input.value) body.ldap_search_password = password.input.value;
    test.disabled = true;
    result.textContent = 'Connecting…';
    try {
      const answer = (await api('POST', 'ldap/ping', body)).data;
      result.textContent = answer.success ? `Connection works: ${answer.message}` : `Connection failed: ${answer.message}`;
      result.className = answer.success ? 'hint ok-text' : 'hint error-text';
    } catch (error) { showError(error); result.textContent = ''; } finally { test.disabled = false; }
  });
  if (!controlsFor.parts.length) return { set: h('fieldset', { id: 'config-ldap' }), readers: [], password: password.input };
  controlsFor.parts.splice(2, 0, password.field);
  const set = h('fieldset', { id: 'config-ldap' }, h('legend', {}, 'LDAP'), controlsFor.parts, h('div', { class: 'toolbar' }, test), result);
  return { set, readers: controlsFor.readers, password: password.input };
}

/** The Configuration page. */
export async function configurationPage() {
  const config = await get('configurations');
  const auth = controls(config);
  const mode = field('Authentication mode', h('select', { id: 'config-auth_mode' },
    h('option', { value: 'db_auth' }, 'Database (local users)'), h('option', { value: 'oidc_auth' }, 'OIDC provider'),
    h('option', { value: 'ldap_auth' }, 'LDAP directory')));
  const modeEntry = item(config, 'auth_mode');
  mode.input.value = modeEntry ? modeEntry.value : 'db_auth';
  auth.add('auth_mode', mode.field, mode.input, () => mode.input.value);
  const oidc = controls(config);
  for (const [key, label, hint] of OIDC_TEXT) oidc.textField(key, label, hint);
  const secret = field('OIDC client secret', h('input', { type: 'password', id: 'config-oidc_client_secret', autocomplete: 'new-password',
    placeholder: 'Unchanged' }), 'Write-only: leave empty to keep the stored secret.');
  const oidcEditable = item(config, 'oidc_client_id');
  if (oidcEditable) oidc.parts.splice(3, 0, secret.field); else secret.input.disabled = true;
  for (const [key, label] of OIDC_FLAGS) oidc.checkField(key, label);
  const oidcSet = h('fieldset', { id: 'config-oidc' }, h('legend', {}, 'OIDC'), oidc.parts);
  if (!oidc.parts.length) oidcSet.append(h('p', { class: 'muted' }, 'This server does not let OIDC settings change at run time; set them in its configuration file.'));
  const ldap = ldapControls(config);
  const syncMode = () => { oidcSet.hidden = mode.input.value !== 'oidc_auth'; ldap.set.hidden = mode.input.value !== 'ldap_auth'; };
  mode.input.addEventListener('change', syncMode);
  syncMode();

  const system = controls(config);
  const restriction = field('Project creation', h('select', { id: 'config-project_creation_restriction' },
    h('option', { value: 'everyone' }, 'Everyone'), h('option', { value: 'adminonly' }, 'Administrators only')),
  'Who may create projects.');
  restriction.input.value = (item(config, 'project_creation_restriction') || { value: 'everyone' }).value;
  system.add('project_creation_restriction', restriction.field, restriction.input, () => restriction.input.value);
  system.checkField('read_only', 'Read-only mode (pushes and deletions are refused)');
  system.numberField('session_timeout', 'Session timeout (minutes)', 10080,
    'A portal session ends after this long without use (1 to 10080).');
  system.numberField('token_expiration', 'Token expiration (minutes)', 1440,
    'How long a registry token from docker login stays valid (1 to 1440).');

  const save = h('button', { class: 'button', type: 'submit', id: 'config-save' }, 'Save');
  const form = h('form', { class: 'card settings', 'aria-label': 'System configuration' },
    h('fieldset', {}, h('legend', {}, 'Authentication'), auth.parts), oidcSet, ldap.set,
    h('fieldset', {}, h('legend', {}, 'System'), system.parts),
    h('div', { class: 'form-actions' }, save));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const changes = Object.fromEntries([...auth.readers, ...oidc.readers, ...ldap.readers, ...system.readers].flatMap((read) => read()));
    if (secret.input.value) changes.oidc_client_secret = secret.input.value;
    if (ldap.password.value) changes.ldap_search_password = ldap.password.value;
    if (!Object.keys(changes).length) { toast('Nothing to save'); return; }
    save.disabled = true;
    try {
      await api('PUT', 'configurations', changes);
      toast('Configuration saved');
      secret.input.value = '';
      ldap.password.value = '';
      for (const [key, value] of Object.entries(changes)) if (item(config, key)) config[key].value = value;
    } catch (error) { showError(error); } finally { save.disabled = false; }
  });
  return h('section', {}, h('h1', {}, 'Configuration'), form);
}
