// <berth-table>: a table with server-side paging, sorting and filtering.
// Set `columns` ([{label, sortKey?, render(row)}]) and `load({page, pageSize, sort, filter}) -> {rows, total}`.
import { h, showError } from './ui.js';

export class BerthTable extends HTMLElement {
  constructor() {
    super();
    this.columns = [];
    this.load = async () => ({ rows: [], total: 0 });
    this.state = { page: 1, pageSize: 15, sort: '', filter: '' };
    this.filterLabel = 'Filter';
    this.emptyText = 'Nothing here yet.';
    this.rows = [];
  }

  connectedCallback() {
    if (this.built) return;
    this.built = true;
    const filterId = `filter-${Math.random().toString(36).slice(2, 8)}`;
    this.filterInput = h('input', { type: 'search', id: filterId, placeholder: this.filterLabel });
    let timer = null;
    this.filterInput.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(() => { this.state.filter = this.filterInput.value.trim(); this.state.page = 1; this.refresh(); }, 250);
    });
    this.toolbar = h('div', { class: 'toolbar' },
      this.noFilter ? null : [h('label', { class: 'visually-hidden', for: filterId }, this.filterLabel), this.filterInput],
      h('span', { class: 'spacer' }), ...(this.actions || []));
    this.table = h('table');
    this.pager = h('div', { class: 'pager' });
    this.append(this.toolbar, h('div', { class: 'table-wrap' }, this.table, this.pager));
    this.refresh();
  }

  async refresh() {
    try {
      const { rows, total } = await this.load({ ...this.state });
      this.rows = rows || [];
      this.total = total ?? this.rows.length;
      this.render();
    } catch (error) {
      showError(error);
      this.rows = [];
      this.total = 0;
      this.render(error.message);
    }
  }

  sortBy(key) {
    const current = this.state.sort;
    this.state.sort = current === key ? `-${key}` : key;
    this.state.page = 1;
    this.refresh();
  }

  render(errorText) {
    const head = h('tr', {}, this.columns.map((column) => {
      if (!column.sortKey) return h('th', { scope: 'col' }, column.label);
      const sort = this.state.sort;
      const direction = sort === column.sortKey ? 'ascending' : sort === `-${column.sortKey}` ? 'descending' : 'none';
      const arrow = direction === 'ascending' ? ' ▲' : direction === 'descending' ? ' ▼' : '';
      return h('th', { scope: 'col', 'aria-sort': direction },
        h('button', { type: 'button', onclick: () => this.sortBy(column.sortKey) }, column.label + arrow));
    }));
    const body = this.rows.length
      ? this.rows.map((row) => h('tr', {}, this.columns.map((column) => h('td', { 'data-label': column.label }, column.render(row)))))
      : [h('tr', {}, h('td', { class: 'empty', colspan: this.columns.length }, errorText || this.emptyText))];
    this.table.replaceChildren(h('thead', {}, head), h('tbody', {}, body));
    const pages = Math.max(1, Math.ceil(this.total / this.state.pageSize));
    const first = this.total ? (this.state.page - 1) * this.state.pageSize + 1 : 0;
    const last = Math.min(this.total, this.state.page * this.state.pageSize);
    this.pager.replaceChildren(
      h('span', {}, `${first}–${last} of ${this.total}`),
      h('button', { class: 'button small ghost', type: 'button', disabled: this.state.page <= 1, 'aria-label': 'Previous page',
        onclick: () => { this.state.page -= 1; this.refresh(); } }, '‹'),
      h('span', {}, `Page ${this.state.page} of ${pages}`),
      h('button', { class: 'button small ghost', type: 'button', disabled: this.state.page >= pages, 'aria-label': 'Next page',
        onclick: () => { this.state.page += 1; this.refresh(); } }, '›'));
  }
}

customElements.define('berth-table', BerthTable);

/** Creates a configured table. */
export function table({ columns, load, filterLabel, emptyText, actions, noFilter, pageSize }) {
  const element = document.createElement('berth-table');
  Object.assign(element, { columns, load, actions, noFilter: !!noFilter });
  if (filterLabel) element.filterLabel = filterLabel;
  if (emptyText) element.emptyText = emptyText;
  if (pageSize) element.state.pageSize = pageSize;
  return element;
}

/** Harbor query string for a list: page, page_size, sort and a fuzzy name filter. */
export function listQuery({ page, pageSize, sort, filter }, filterKey = 'name') {
  const params = new URLSearchParams({ page, page_size: pageSize });
  if (sort) params.set('sort', sort);
  if (filter) params.set('q', `${filterKey}=~${filter}`);
  return params.toString();
}
