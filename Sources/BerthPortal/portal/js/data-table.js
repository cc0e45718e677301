// <berth-table>: a table with server-side paging, sorting and filtering.
// Set `columns` ([{label, sortKey?, render(row), class?}]) and `load({page, pageSize, sort, filter}) -> {rows, total}`
// (total from the server's X-Total-Count). The pager offers a page size, first/previous/next/last and "x–y of n".
import { h, showError } from './ui.js';

/** The page sizes the pager offers. */
export const PAGE_SIZES = [10, 15, 25, 50, 100];
let tableCounter = 0;

export class BerthTable extends HTMLElement {
  constructor() {
    super();
    this.columns = [];
    this.load = async () => ({ rows: [], total: 0 });
    this.state = { page: 1, pageSize: 15, sort: '', filter: '' };
    this.filterLabel = 'Filter';
    this.emptyText = 'Nothing here yet.';
    this.emptyAction = null;
    this.rows = [];
    this.generation = 0;
  }

  connectedCallback() {
    if (this.built) return;
    this.built = true;
    const id = `t${++tableCounter}`;
    this.filterInput = h('input', { type: 'search', id: `${id}-filter`, placeholder: this.filterLabel });
    let timer = null;
    this.filterInput.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(() => { this.state.filter = this.filterInput.value.trim(); this.state.page = 1; this.refresh(); }, 250);
    });
    this.toolbar = h('div', { class: 'toolbar' },
      this.noFilter ? null : [h('label', { class: 'visually-hidden', for: `${id}-filter` }, this.filterLabel), this.filterInput],
      h('span', { class: 'spacer' }), ...(this.actions || []));
    this.table = h('table');
    this.sizeSelect = h('select', { id: `${id}-page-size`, class: 'page-size' },
      PAGE_SIZES.map((size) => h('option', { value: size, selected: size === this.state.pageSize }, String(size))));
    this.sizeSelect.addEventListener('change', () => {
      this.state.pageSize = Number(this.sizeSelect.value);
      this.state.page = 1;
      this.refresh();
    });
    this.pageInfo = h('span', { class: 'page-info', 'aria-live': 'polite' });
    this.pageButtons = h('span', { class: 'page-buttons' });
    this.pager = h('div', { class: 'pager' },
      h('label', { for: `${id}-page-size`, class: 'page-size-label' }, 'Rows per page'), this.sizeSelect, this.pageInfo, this.pageButtons);
    this.append(this.toolbar, h('div', { class: 'table-wrap' }, this.table, this.pager));
    this.renderLoading();
    this.refresh();
  }

  /** The loading row shown before the first page arrives. */
  renderLoading() {
    this.table.replaceChildren(h('tbody', {}, h('tr', {}, h('td', { class: 'empty loading', colspan: Math.max(1, this.columns.length) },
      h('span', { class: 'spinner', 'aria-hidden': 'true' }), 'Loading…'))));
  }

  async refresh() {
    const generation = ++this.generation; // an older, slower answer must not overwrite a newer one
    this.setAttribute('aria-busy', 'true');
    try {
      const { rows, total } = await this.load({ ...this.state });
      if (generation !== this.generation) return;
      this.rows = rows || [];
      this.total = total ?? this.rows.length;
      const pages = Math.max(1, Math.ceil(this.total / this.state.pageSize));
      if (this.state.page > pages && this.total > 0) { this.state.page = pages; this.refresh(); return; }
      this.render();
    } catch (error) {
      if (generation !== this.generation) return;
      showError(error);
      this.rows = [];
      this.total = 0;
      this.render(error.message);
    } finally {
      if (generation === this.generation) this.removeAttribute('aria-busy');
    }
  }

  sortBy(key) {
    const current = this.state.sort;
    this.state.sort = current === key ? `-${key}` : key;
    this.state.page = 1;
    this.refresh();
  }

  goTo(page) {
    this.state.page = page;
    this.refresh();
  }

  render(errorText) {
    const head = h('tr', {}, this.columns.map((column) => {
      if (!column.sortKey) return h('th', { scope: 'col', class: column.class }, column.label);
      const sort = this.state.sort;
      const direction = sort === column.sortKey ? 'ascending' : sort === `-${column.sortKey}` ? 'descending' : 'none';
      const arrow = direction === 'ascending' ? '▲' : direction === 'descending' ? '▼' : '↕';
      return h('th', { scope: 'col', 'aria-sort': direction, class: column.class },
        h('button', { type: 'button', class: 'sort', 'data-sort': column.sortKey, onclick: () => this.sortBy(column.sortKey) },
          column.label, h('span', { class: `sort-arrow ${direction}`, 'aria-hidden': 'true' }, arrow)));
    }));
    let body;
    if (this.rows.length) {
      body = this.rows.map((row) => h('tr', {}, this.columns.map((column) =>
        h('td', { 'data-label': column.label, class: column.class }, column.render(row)))));
    } else if (errorText) {
      body = [h('tr', {}, h('td', { class: 'empty error', colspan: this.columns.length }, errorText))];
    } else {
      const filtered = !!this.state.filter;
      body = [h('tr', {}, h('td', { class: 'empty', colspan: this.columns.length },
        h('p', {}, filtered ? `Nothing matches "${this.state.filter}".` : this.emptyText),
        !filtered && this.emptyAction ? this.emptyAction() : null))];
    }
    this.table.replaceChildren(h('thead', {}, head), h('tbody', {}, body));
    this.dataset.appliedFilter = this.state.filter; // which filter the rows show (tests wait on it)
    const size = this.state.pageSize;
    const pages = Math.max(1, Math.ceil(this.total / size));
    const page = Math.min(this.state.page, pages);
    const first = this.total ? (page - 1) * size + 1 : 0;
    const last = Math.min(this.total, page * size);
    this.pageInfo.textContent = `${first}–${last} of ${this.total}`;
    const button = (label, text, target, disabled) => h('button', { class: 'button small ghost', type: 'button',
      'aria-label': label, title: label, disabled, onclick: () => this.goTo(target) }, text);
    this.pageButtons.replaceChildren(
      button('First page', '«', 1, page <= 1),
      button('Previous page', '‹', page - 1, page <= 1),
      h('span', { class: 'page-number' }, `Page ${page} of ${pages}`),
      button('Next page', '›', page + 1, page >= pages),
      button('Last page', '»', pages, page >= pages));
  }
}

customElements.define('berth-table', BerthTable);

/** Creates a configured table. `emptyAction` is a function returning an element (e.g. a "create" button)
 * shown under `emptyText` when the list is empty and unfiltered; `sort` is the initial sort key (`-key` descending). */
export function table({ columns, load, filterLabel, emptyText, emptyAction, actions, noFilter, pageSize, sort }) {
  const element = document.createElement('berth-table');
  Object.assign(element, { columns, load, actions, noFilter: !!noFilter });
  if (filterLabel) element.filterLabel = filterLabel;
  if (emptyText) element.emptyText = emptyText;
  if (emptyAction) element.emptyAction = emptyAction;
  if (pageSize) element.state.pageSize = pageSize;
  if (sort) element.state.sort = sort;
  return element;
}

/** Harbor query string for a list: page, page_size, sort and a fuzzy name filter. */
export function listQuery({ page, pageSize, sort, filter }, filterKey = 'name') {
  const params = new URLSearchParams({ page, page_size: pageSize });
  if (sort) params.set('sort', sort);
  if (filter) params.set('q', `${filterKey}=~${filter}`);
  return params.toString();
}
