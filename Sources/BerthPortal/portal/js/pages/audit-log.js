// An audit log table (system-wide or one project's), sorted on the server, newest first.
import { api } from '../api.js';
import { h, formatTime, resourceText } from '../ui.js';
import { table, listQuery } from '../data-table.js';

/** A paged audit-log table reading `path` (e.g. `audit-logs` or `projects/NAME/logs`). */
export function auditLogTable(path, emptyText) {
  return table({
    filterLabel: 'Filter by user',
    sort: '-op_time',
    emptyText,
    columns: [
      { label: 'User', sortKey: 'username', render: (e) => e.username },
      { label: 'Resource', sortKey: 'resource', render: (e) => resourceText(e.resource) },
      { label: 'Type', sortKey: 'resource_type', render: (e) => e.resource_type },
      { label: 'Operation', sortKey: 'operation', render: (e) => h('span', { class: `badge op-${e.operation}` }, e.operation) },
      { label: 'Time', sortKey: 'op_time', class: 'time', render: (e) => formatTime(e.op_time) },
    ],
    load: async (state) => {
      const result = await api('GET', `${path}?${listQuery(state, 'username')}`);
      return { rows: result.data || [], total: result.total };
    },
  });
}
