// Administration (system administrators): users, system robot accounts and audit logs
// (configuration: admin-config.js; interrogation services: admin-security.js).
import { api } from '../api.js';
import { h, field, dialog, confirmDanger, toast, showError, formatTime } from '../ui.js';
import { table, listQuery } from '../data-table.js';
import { robotCreateDialog } from './robots.js';
import { auditLogTable } from './audit-log.js';

export function usersPage(session) {
  const list = table({
    filterLabel: 'Filter users',
    columns: [
      { label: 'Username', sortKey: 'username', render: (u) => u.username },
      { label: 'Email', sortKey: 'email', render: (u) => u.email || '' },
      { label: 'Administrator', sortKey: 'sysadmin_flag', render: (u) => u.sysadmin_flag ? 'Yes' : 'No' },
      { label: 'Created', sortKey: 'creation_time', class: 'time', render: (u) => formatTime(u.creation_time) },
      { label: 'Actions', render: (u) => h('div', { class: 'toolbar' },
        h('button', { class: 'button small ghost', type: 'button',
          'aria-label': u.sysadmin_flag ? `Revoke admin from ${u.username}` : `Grant admin to ${u.username}`, onclick: async () => {
          if (u.sysadmin_flag && !await confirmDanger('Revoke administrator', `${u.username} will no longer administer Berth.`, 'Revoke')) return;
          try { await api('PUT', `users/${u.user_id}/sysadmin`, { sysadmin_flag: !u.sysadmin_flag }); list.refresh(); } catch (error) { showError(error); }
        } }, u.sysadmin_flag ? 'Revoke admin' : 'Grant admin'),
        h('button', { class: 'button small ghost', type: 'button', 'aria-label': `Reset password of ${u.username}`, onclick: async () => {
          const password = field('New password', h('input', { type: 'password', autocomplete: 'new-password', required: true }));
          const reset = async () => { await api('PUT', `users/${u.user_id}/password`, { new_password: password.input.value }); toast('Password reset'); };
          await dialog(`Reset password of ${u.username}`, password.field, { confirm: 'Reset', onConfirm: reset });
        } }, 'Reset password'),
        h('button', { class: 'button small ghost', type: 'button', 'aria-label': `Delete user ${u.username}`, onclick: async () => {
          if (!await confirmDanger('Delete user', `Delete user ${u.username}?`)) return;
          try { await api('DELETE', `users/${u.user_id}`); list.refresh(); } catch (error) { showError(error); }
        } }, 'Delete')) },
    ],
    load: async (state) => {
      const result = await api('GET', `users?${listQuery(state, 'username')}`);
      return { rows: result.data || [], total: result.total };
    },
    actions: [h('button', { class: 'button', type: 'button', id: 'new-user', onclick: async () => {
      const username = field('Username', h('input', { required: true, autocomplete: 'off' }));
      const email = field('Email', h('input', { type: 'email' }));
      const password = field('Password', h('input', { type: 'password', autocomplete: 'new-password', required: true }),
        'At least 8 characters with upper and lower case letters and a digit.');
      const create = async () => {
        await api('POST', 'users', { username: username.input.value.trim(), email: email.input.value.trim(), password: password.input.value });
        toast('User created');
      };
      if (await dialog('New user', h('div', {}, username.field, email.field, password.field), { confirm: 'Create', onConfirm: create })) list.refresh();
    } }, '+ New user')],
  });
  return h('section', {}, h('h1', {}, 'Users'), list);
}

export function systemRobotsPage() {
  const list = table({
    noFilter: true,
    emptyText: 'No system robot accounts. A system robot may reach several projects at once.',
    columns: [
      { label: 'Name', render: (r) => r.name },
      { label: 'Level', render: (r) => r.level },
      { label: 'Expires', render: (r) => r.expires_at > 0 ? new Date(r.expires_at * 1000).toLocaleString() : 'Never' },
      { label: 'Actions', render: (r) => h('button', { class: 'button small ghost', type: 'button', 'aria-label': `Delete robot ${r.name}`, onclick: async () => {
        if (!await confirmDanger('Delete robot account', `Delete ${r.name}?`)) return;
        try { await api('DELETE', `robots/${r.id}`); list.refresh(); } catch (error) { showError(error); }
      } }, 'Delete') },
    ],
    load: async (state) => {
      const result = await api('GET', `robots?page=${state.page}&page_size=${state.pageSize}&q=${encodeURIComponent('Level=system')}`);
      return { rows: result.data || [], total: result.total };
    },
    actions: [h('button', { class: 'button', type: 'button', id: 'new-system-robot', onclick: () => robotCreateDialog(null, () => list.refresh()) }, '+ New robot account')],
  });
  return h('section', {}, h('h1', {}, 'System robot accounts'), list);
}

export function auditLogsPage() {
  const list = auditLogTable('audit-logs', 'No activity logged yet.');
  return h('section', {}, h('h1', {}, 'Audit logs'), list);
}
