// Administration → Interrogation services → Scan all: "Scan now", the schedule and live progress.
import { api, get } from '../api.js';
import { h, field, toast, showError, formatTime } from '../ui.js';

/** Harbor's cron strings (six fields, seconds first) for the fixed schedule types. */
const PRESETS = { Hourly: '0 0 * * * *', Daily: '0 0 0 * * *', Weekly: '0 0 0 * * 0' };
const TYPES = ['None', 'Hourly', 'Daily', 'Weekly', 'Custom'];
const POLL_MS = 1500;

function progressView() {
  const bar = h('progress', { id: 'scan-all-progress', max: 1, value: 0, 'aria-label': 'Scan all progress' });
  const status = h('p', { id: 'scan-all-status', role: 'status', 'aria-live': 'polite' }, 'Loading…');
  const counts = h('ul', { class: 'scanall-counts', id: 'scan-all-counts', 'aria-label': 'Scans per status' });
  const element = h('div', { class: 'scanall-progress' }, status, bar, counts);
  function show(stats) {
    const total = stats.total || 0;
    const completed = stats.completed || 0;
    bar.max = Math.max(1, total);
    bar.value = completed;
    if (!stats.trigger && !total && !stats.ongoing) status.textContent = 'No scan all has run yet.';
    else if (stats.ongoing) status.textContent = `Scanning: ${completed} of ${total} artifacts done`;
    else status.textContent = `Completed: ${completed} of ${total} artifacts scanned`
      + (stats.requester ? ` (started by ${stats.requester})` : '');
    const metrics = stats.metrics || {};
    counts.replaceChildren(...Object.keys(metrics).sort().map((key) =>
      h('li', { class: `status-${key.toLowerCase()}` }, h('span', {}, key), h('strong', {}, String(metrics[key])))));
  }
  return { element, show, status };
}

function scheduleEditor(current, onSaved) {
  const schedule = (current && current.schedule) || { type: 'None' };
  const type = field('Schedule', h('select', { id: 'scan-all-schedule-type' },
    TYPES.map((t) => h('option', { value: t, selected: t === (schedule.type || 'None') }, t === 'None' ? 'None (manual only)' : t))));
  const cron = field('Cron expression', h('input', { id: 'scan-all-cron', value: schedule.cron || '', placeholder: '0 0 2 * * *' }),
    'Six fields: second minute hour day-of-month month day-of-week (UTC).');
  const sync = () => {
    const preset = PRESETS[type.input.value];
    cron.input.disabled = type.input.value !== 'Custom';
    cron.field.hidden = type.input.value === 'None';
    if (preset) cron.input.value = preset;
  };
  type.input.addEventListener('change', sync);
  sync();
  const next = h('p', { class: 'hint', id: 'scan-all-next' },
    schedule.next_scheduled_time ? `Next run: ${formatTime(schedule.next_scheduled_time)}` : 'No run scheduled.');
  const save = h('button', { class: 'button secondary', type: 'submit', id: 'scan-all-save-schedule' }, 'Save schedule');
  const form = h('form', { class: 'settings', 'aria-label': 'Scan all schedule' }, type.field, cron.field, next, save);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const chosen = type.input.value;
    const body = { schedule: { type: chosen, cron: chosen === 'None' ? '' : cron.input.value.trim() } };
    if (chosen === 'Custom' && body.schedule.cron.split(/\s+/).length !== 6) {
      showError(new Error('A custom schedule needs a cron expression with six fields.'));
      return;
    }
    save.disabled = true;
    try {
      await api('PUT', 'system/scanAll/schedule', body);
      toast(chosen === 'None' ? 'Scan all schedule removed' : `Scan all scheduled: ${chosen}`);
      onSaved();
    } catch (error) { showError(error); } finally { save.disabled = false; }
  });
  return form;
}

/** The Scan all panel; polls the metrics while a run is ongoing and the panel is on the page. */
export async function scanAllPanel(reload) {
  const [schedule, stats] = await Promise.all([get('system/scanAll/schedule'), get('scans/all/metrics')]);
  const progress = progressView();
  progress.show(stats);
  const panel = h('div', {});
  let polling = false;
  let graceUntil = 0; // keep polling briefly after "Scan now", until the new run shows up

  async function poll() {
    if (polling) return;
    polling = true;
    try {
      for (;;) {
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        if (!panel.isConnected) break; // the page was left
        const latest = await get('scans/all/metrics');
        progress.show(latest);
        if (!latest.ongoing && Date.now() >= graceUntil) break;
      }
    } catch (error) { showError(error); } finally { polling = false; }
  }

  const scanNow = h('button', { class: 'button', type: 'button', id: 'scan-all-now', onclick: async () => {
    scanNow.disabled = true;
    try {
      await api('POST', 'system/scanAll/schedule', { schedule: { type: 'Manual' } });
      toast('Scan all started');
      progress.status.textContent = 'Scan all started…';
      graceUntil = Date.now() + 4000;
      poll();
    } catch (error) { showError(error); } finally { scanNow.disabled = false; }
  } }, 'Scan now');

  panel.append(
    h('div', { class: 'card' }, h('h2', {}, 'Scan all artifacts'),
      h('p', { class: 'muted' }, 'Scans every artifact in every project with the built-in scanner.'),
      progress.element, h('div', { class: 'form-actions' }, scanNow)),
    h('div', { class: 'card' }, h('h2', {}, 'Schedule'), scheduleEditor(schedule, reload)));
  if (stats.ongoing) poll();
  return panel;
}
