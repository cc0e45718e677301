// Robot account creation: permissions, expiry, and the secret shown exactly once with a copy button.
import { api } from '../api.js';
import { h, field, dialog, codeBox } from '../ui.js';

/** Creates a robot for `project` (or a system robot when `project` is null) and shows its secret once. */
export async function robotCreateDialog(project, onCreated) {
  const name = field('Name', h('input', { name: 'robot-name', required: true, pattern: '[a-z0-9][a-z0-9._-]*' }));
  const description = field('Description', h('input', { name: 'robot-description' }));
  const days = field('Expires after (days, -1 for never)', h('input', { type: 'number', name: 'robot-days', value: 30, min: -1 }));
  const push = field('May push', h('input', { type: 'checkbox', name: 'robot-push' }));
  let created = null;
  const create = async () => {
    const access = [{ resource: 'repository', action: 'pull' }];
    if (push.input.checked) access.push({ resource: 'repository', action: 'push' });
    const body = {
      name: name.input.value.trim(), description: description.input.value, duration: Number(days.input.value),
      level: project ? 'project' : 'system',
      permissions: [{ kind: 'project', namespace: project ? project.name : '*', access }],
    };
    created = (await api('POST', 'robots', body)).data; // a failure stays in the dialog, in words
  };
  const form = await dialog(project ? `New robot account in ${project.name}` : 'New system robot account',
    h('div', {}, name.field, description.field, days.field, push.field), { confirm: 'Create', onConfirm: create });
  if (!form || !created) return;
  onCreated();
  // The secret lives only in this dialog's DOM: it is never stored, and the dialog is removed when closed.
  await dialog('Robot account created', h('div', {},
    h('p', {}, 'Copy the secret now. It is shown only once and cannot be retrieved later.'),
    h('p', {}, h('strong', {}, 'Name: '), h('span', { id: 'robot-created-name' }, created.name)),
    h('p', {}, h('strong', {}, 'Secret:')),
    h('div', { id: 'robot-secret' }, codeBox(created.secret, 'Copy secret'))), { confirm: 'I have copied it', cancel: null });
}
