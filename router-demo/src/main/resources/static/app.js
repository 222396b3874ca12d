// wsrouter demo page: plain JavaScript, no build step, no dependencies.
// Everything received is rendered with textContent (never innerHTML), so a frame cannot inject markup.
(function () {
  'use strict';

  const AGENT_EVENTS = ['agent_started', 'agent_thinking', 'tool_executing', 'tool_completed',
    'agent_completed', 'agent_error'];
  const HEARTBEAT_MS = 25000;
  const STATS_MS = 2000;
  const MAX_FRAMES = 100;
  const USER_PATTERN = /^[A-Za-z0-9_.@-]{1,64}$/;

  const $ = (id) => document.getElementById(id);
  const params = new URLSearchParams(location.search);
  const user = params.get('user');

  let socket = null;
  let reconnectDelay = 1000;
  let heartbeat = null;
  let messageCounter = 0;
  let frameCount = 0;
  let subscribed = false;
  const runs = new Map(); // run_id -> {section, list}

  // The user's event stream: every event carries its offset and the stream's epoch. The page keeps
  // the last one it rendered and, after a reconnect, asks the server for what it missed (resume).
  let everOpened = false;
  let streamEpoch = null;
  let lastOffset = 0;
  let resuming = false;
  let pending = []; // stream events that arrived while a resume was answered

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    if (attrs) {
      for (const [k, v] of Object.entries(attrs)) {
        if (v === undefined || v === null) continue;
        if (k === 'className') node.className = v;
        else if (k.startsWith('data-')) node.setAttribute(k, v);
        else node[k] = v;
      }
    }
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function timeOf(frame) {
    const t = frame && frame.timestamp ? new Date(frame.timestamp) : new Date();
    return t.toLocaleTimeString([], {hour12: false}) + '.' + String(t.getMilliseconds()).padStart(3, '0');
  }

  // ------------------------------------------------------------------ connection

  function setState(state, text) {
    const badge = $('connection-state');
    badge.dataset.state = state;
    badge.className = 'state state-' + state;
    badge.textContent = text;
  }

  function connect() {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const url = scheme + '://' + location.host + '/ws?user=' + encodeURIComponent(user);
    setState('connecting', 'connecting\u2026');
    socket = new WebSocket(url);
    socket.addEventListener('open', () => {
      reconnectDelay = 1000;
      setState('open', 'connected');
      send({type: 'connect'});
      if (everOpened) {
        // A reconnect: replay what this tab missed while it was away, in order, before anything new.
        resuming = true;
        pending = [];
        send({type: 'resume', payload: {epoch: streamEpoch || '', offset: lastOffset}});
      }
      everOpened = true;
      clearInterval(heartbeat);
      heartbeat = setInterval(() => send({type: 'ping'}), HEARTBEAT_MS);
    });
    socket.addEventListener('message', (event) => onFrame(event.data));
    socket.addEventListener('close', (event) => {
      clearInterval(heartbeat);
      setState('closed', 'disconnected (' + event.code + '), retrying in ' + Math.round(reconnectDelay / 1000) + ' s');
      setTimeout(connect, reconnectDelay);
      reconnectDelay = Math.min(reconnectDelay * 2, 10000);
    });
  }

  function send(message) {
    if (!socket || socket.readyState !== WebSocket.OPEN) {
      notice('Not connected: the message was not sent.');
      return false;
    }
    const text = JSON.stringify(message);
    socket.send(text);
    logFrame('out', text);
    return true;
  }

  // ------------------------------------------------------------------ inbound frames

  function onFrame(text) {
    logFrame('in', text);
    let frame;
    try {
      frame = JSON.parse(text);
    } catch (e) {
      notice('Unparseable frame from the server.');
      return;
    }
    if (Array.isArray(frame) || frame.jsonrpc) return; // JSON-RPC replies: raw log only
    if (typeof frame.offset === 'number' && typeof frame.epoch === 'string') {
      if (resuming) pending.push(frame); // live events wait for the replay to finish
      else onStreamEvent(frame);
      return;
    }
    const data = frame.data || {};
    switch (frame.type) {
      case 'resume_result':
        onResumed(data);
        break;
      case 'system_message':
        if (data.status === 'connected') setState('open', 'connected as ' + (data.user_id || user));
        break;
      case 'content_validation_result':
        renderValidation(data);
        pollStats();
        break;
      case 'quality_alerts_subscribed':
        setSubscribed(true);
        pollStats();
        break;
      case 'quality_alerts_unsubscribed':
        setSubscribed(false);
        break;
      case 'quality_alert':   // without an offset: sent before resume existed, or by a custom handler
        addAlert('alert', data);
        break;
      case 'quality_update':
        addAlert('update', data);
        break;
      case 'quality_metrics':
        $('quality-metrics').textContent = JSON.stringify(data, null, 2);
        $('metrics-details').open = true;
        break;
      case 'error_message':
        notice('Error ' + (data.error_code || '') + ': ' + (data.error_message || data.message || ''));
        break;
      default:
        if (AGENT_EVENTS.includes(frame.type)) onAgentEvent(frame, data); // an event outside the stream
        break; // pong, heartbeat_ack, ack, ...: raw log only
    }
  }

  // ------------------------------------------------------------------ the user's stream

  function onStreamEvent(frame) {
    if (frame.epoch === streamEpoch && frame.offset <= lastOffset) return; // seen already: once only
    streamEpoch = frame.epoch;
    lastOffset = frame.offset;
    const data = frame.data || {};
    if (AGENT_EVENTS.includes(frame.type)) {
      onAgentEvent(frame, data);
    } else if (frame.type === 'quality_alert') {
      addAlert('alert', data);
    } else if (frame.type === 'quality_update') {
      addAlert('update', data);
    }
  }

  function onResumed(data) {
    resuming = false;
    const state = $('resume-state');
    state.hidden = false;
    if (data.recovered) {
      state.dataset.recovered = 'true';
      state.textContent = 'recovered: ' + data.replayed + ' missed event' + (data.replayed === 1 ? '' : 's') + ' replayed';
    } else {
      // The server lost this tab's stream (it restarted, or the gap left its history): what was
      // missed cannot be replayed, so runs in flight are marked and the stream starts over here.
      state.dataset.recovered = 'false';
      state.textContent = 'could not recover \u2014 reloaded the run';
      for (const run of runs.values()) {
        if (run.status.textContent === 'running') {
          run.status.textContent = 'interrupted';
          run.section.classList.add('failed');
        }
      }
      streamEpoch = data.epoch;
      lastOffset = data.offset;
    }
    const buffered = pending.sort((a, b) => a.offset - b.offset);
    pending = [];
    buffered.forEach(onStreamEvent);
  }

  // ------------------------------------------------------------------ agent timeline

  function runSection(frame, data) {
    const runId = frame.run_id || 'run';
    let run = runs.get(runId);
    if (!run) {
      $('timeline-empty').hidden = true;
      const section = el('section', {className: 'run', 'data-run-id': runId, 'data-testid': 'run'});
      const header = el('header', {className: 'run-header'});
      header.append(el('span', {className: 'run-id'}, runId));
      header.append(el('span', {className: 'run-agent'}, frame.agent_name || ''));
      const status = el('span', {className: 'run-status', 'data-testid': 'run-status'}, 'running');
      header.append(status);
      section.append(header);
      const progress = el('div', {className: 'progress'});
      const bar = el('div', {className: 'bar'});
      progress.append(bar);
      section.append(progress);
      const list = el('ol', {className: 'events'});
      section.append(list);
      $('timeline').prepend(section);
      run = {section, list, status, bar};
      runs.set(runId, run);
    }
    return run;
  }

  function describe(type, data) {
    switch (type) {
      case 'agent_started': {
        const msg = data.context && data.context.message;
        return msg ? 'started on \u201c' + msg + '\u201d' : (data.message || 'started');
      }
      case 'agent_thinking':
        return (data.step_number ? 'step ' + data.step_number + ': ' : '') + (data.reasoning || 'thinking');
      case 'tool_executing':
        return 'running tool ' + (data.tool_name || '?');
      case 'tool_completed': {
        const ms = data.execution_time_ms != null ? ' in ' + data.execution_time_ms + ' ms' : '';
        return 'tool ' + (data.tool_name || '?') + ' done' + ms + ': ' + JSON.stringify(data.result);
      }
      case 'agent_completed': {
        const q = data.result && data.result.quality;
        const grade = q ? ' [answer quality ' + pct(q.overall_score) + ', ' + q.quality_level + ']' : '';
        return (answerOf(data) || data.message || 'completed') + grade;
      }
      case 'agent_error':
        return data.error_message || data.error || data.message || 'failed';
      default:
        return type;
    }
  }

  function answerOf(data) {
    const r = data.result;
    if (r == null) return null;
    if (typeof r === 'string') return r;
    return r.answer || r.content || JSON.stringify(r);
  }

  function onAgentEvent(frame, data) {
    const run = runSection(frame, data);
    const item = el('li', {className: 'event ev-' + frame.type, 'data-event-type': frame.type,
      'data-testid': 'timeline-event', 'data-offset': frame.offset});
    item.append(el('span', {className: 'ev-time'}, timeOf(frame)));
    item.append(el('span', {className: 'ev-type'}, frame.type));
    item.append(el('span', {className: 'ev-text'}, describe(frame.type, data)));
    run.list.append(item);
    if (typeof data.progress_percentage === 'number') run.bar.style.width = data.progress_percentage + '%';
    if (frame.type === 'agent_started' && data.context && data.context.message) {
      addChat('user', data.context.message, frame.run_id);
    }
    if (frame.type === 'agent_completed') {
      run.bar.style.width = '100%';
      run.status.textContent = 'completed';
      run.section.classList.add('done');
      addChat('agent', answerOf(data) || 'done', frame.run_id);
      pollStats();
    }
    if (frame.type === 'agent_error') {
      run.status.textContent = 'failed';
      run.section.classList.add('failed');
    }
  }

  function addChat(who, text, runId) {
    const list = $('conversation');
    // Each tab of the user renders the question from agent_started, so both tabs show the same chat.
    if (who === 'user' && list.querySelector('[data-run-id="' + CSS.escape(runId || '') + '"][data-who="user"]')) return;
    const item = el('li', {className: 'bubble ' + who, 'data-who': who, 'data-run-id': runId || ''});
    item.append(el('span', {className: 'who'}, who === 'user' ? user : 'demo-agent'));
    item.append(el('span', {className: 'text'}, text));
    list.append(item);
    list.scrollTop = list.scrollHeight;
  }

  // ------------------------------------------------------------------ quality

  function pct(x) {
    return typeof x === 'number' ? Math.round(x * 100) + '%' : '\u2013';
  }

  function renderValidation(data) {
    const box = $('validation-result');
    box.hidden = false;
    box.replaceChildren();
    const metrics = data.metrics || data;
    const passed = data.passed;
    const head = el('div', {className: 'verdict ' + (passed ? 'pass' : 'fail'), 'data-testid': 'validation-verdict',
      'data-passed': String(!!passed)}, passed ? 'passed' : 'failed');
    box.append(head);
    box.append(el('div', {className: 'score', 'data-testid': 'overall-score'},
      'overall ' + pct(metrics.overall_score) + (metrics.quality_level ? ' \u00b7 ' + metrics.quality_level : '')));
    const table = el('dl', {className: 'metrics', 'data-testid': 'quality-metric-list'});
    for (const [k, v] of Object.entries(metrics)) {
      if (!k.endsWith('_score') || k === 'overall_score' || typeof v !== 'number') continue;
      table.append(el('dt', null, k.replace(/_score$/, '')));
      const dd = el('dd', {'data-metric': k});
      const meter = el('span', {className: 'meter'});
      const fill = el('span', {className: 'fill'});
      fill.style.width = Math.max(0, Math.min(100, v * 100)) + '%';
      meter.append(fill);
      dd.append(meter, el('span', {className: 'num'}, pct(v)));
      table.append(dd);
    }
    box.append(table);
    for (const key of ['issues', 'suggestions']) {
      const items = metrics[key] || data[key];
      if (Array.isArray(items) && items.length) {
        box.append(el('h4', null, key));
        const ul = el('ul');
        items.forEach((s) => ul.append(el('li', null, s)));
        box.append(ul);
      }
    }
  }

  function setSubscribed(value) {
    subscribed = value;
    const btn = $('subscribe-alerts');
    btn.dataset.subscribed = String(value);
    btn.textContent = value ? 'Unsubscribe from quality alerts' : 'Subscribe to quality alerts';
    $('alerts-state').textContent = value
      ? 'Subscribed: quality alerts and updates appear below.'
      : 'Not subscribed to quality alerts.';
  }

  function addAlert(kind, data) {
    const li = el('li', {className: 'alert sev-' + (data.severity || 'info'), 'data-kind': kind});
    li.append(el('span', {className: 'sev'}, kind === 'alert' ? (data.severity || 'info') : 'update'));
    li.append(el('span', null, data.message || JSON.stringify(data)));
    $('alerts').prepend(li);
  }

  // ------------------------------------------------------------------ statistics

  async function pollStats() {
    try {
      const response = await fetch('/stats', {cache: 'no-store'});
      if (!response.ok) throw new Error('HTTP ' + response.status);
      const s = await response.json();
      const r = s.routing || {};
      const p = s.pool || {};
      const values = {
        handler_status: s.handler_status,
        messages_routed: r.messages_routed,
        unhandled_messages: r.unhandled_messages,
        rejected_messages: r.rejected_messages,
        handler_errors: r.handler_errors,
        quality_messages: r.quality_messages,
        active_connections: p.active_connections,
        connected_users: p.connected_users,
        frames_sent: p.frames_sent,
        frames_queued: p.frames_queued,
        routing_percentiles: r.routing_time
          ? r.routing_time.p50_ms.toFixed(3) + ' / ' + r.routing_time.p99_ms.toFixed(3) + ' ms' : undefined,
        max_ms: r.routing_time ? r.routing_time.max_ms.toFixed(3) + ' ms' : undefined,
      };
      for (const dd of document.querySelectorAll('#stats [data-stat]')) {
        const v = values[dd.dataset.stat];
        dd.textContent = v === undefined || v === null ? '\u2013' : String(v);
      }
      const types = $('message-types');
      types.replaceChildren();
      Object.entries(r.message_types || {}).sort((a, b) => b[1] - a[1]).forEach(([t, n]) => {
        const li = el('li', {'data-type': t});
        li.append(el('code', null, t), el('span', null, String(n)));
        types.append(li);
      });
      $('stats-updated').textContent = 'updated ' + new Date().toLocaleTimeString([], {hour12: false});
    } catch (e) {
      $('stats-updated').textContent = 'stats unavailable';
    }
  }

  // ------------------------------------------------------------------ misc

  function logFrame(direction, text) {
    const log = $('frame-log');
    log.prepend(el('li', {className: 'frame ' + direction}, (direction === 'in' ? '\u2190 ' : '\u2192 ') + text));
    while (log.childElementCount > MAX_FRAMES) log.lastElementChild.remove();
    frameCount += 1;
    $('frame-count').textContent = String(frameCount);
  }

  function notice(text) {
    const li = el('li', {className: 'bubble system', 'data-who': 'system'});
    li.append(el('span', {className: 'text'}, text));
    $('conversation').append(li);
  }

  function start() {
    if (!user || !USER_PATTERN.test(user)) {
      $('login').hidden = false;
      $('login-form').addEventListener('submit', (e) => {
        e.preventDefault();
        const name = $('login-user').value.trim();
        if (USER_PATTERN.test(name)) location.search = '?user=' + encodeURIComponent(name);
      });
      return;
    }
    $('app').hidden = false;
    $('user-name').textContent = user;
    document.title = user + ' \u00b7 wsrouter demo';
    $('same-user-link').href = '/?user=' + encodeURIComponent(user);
    $('other-user-link').href = '/?user=' + (user === 'bob' ? 'alice' : 'bob');

    $('message-form').addEventListener('submit', (e) => {
      e.preventDefault();
      const input = $('message-input');
      const text = input.value.trim();
      if (!text) return;
      messageCounter += 1;
      if (send({type: 'user_message', payload: {content: text}, thread_id: 'demo-' + user,
        message_id: 'm-' + Date.now().toString(36) + '-' + messageCounter})) {
        input.value = '';
      }
    });
    $('validate-form').addEventListener('submit', (e) => {
      e.preventDefault();
      send({type: 'validate_content', payload: {content: $('validate-input').value,
        content_type: $('content-type').value, strict_mode: $('strict-mode').checked}});
    });
    $('subscribe-alerts').addEventListener('click', () => {
      send({type: 'subscribe_quality_alerts', payload: {action: subscribed ? 'unsubscribe' : 'subscribe'}});
    });
    $('metrics-button').addEventListener('click', () => send({type: 'get_quality_metrics', payload: {}}));
    $('clear-timeline').addEventListener('click', () => {
      for (const run of runs.values()) run.section.remove();
      runs.clear();
      $('timeline-empty').hidden = false;
    });

    connect();
    pollStats();
    setInterval(pollStats, STATS_MS);
  }

  start();
})();
