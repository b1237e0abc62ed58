// Sigil console: the run WebSocket as a list of typed messages. Only textContent is ever set from data.
'use strict';
window.SigilConsole = (function () {
  function wsUrl(path) {
    return (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + path;
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  function compact(v) {
    if (v === undefined || v === null) return '';
    var s = typeof v === 'string' ? v : JSON.stringify(v);
    return s.length > 600 ? s.slice(0, 600) + ' ...' : s;
  }

  // One line per message type, the fields an operator reads first.
  function describe(type, d) {
    d = d || {};
    switch (type) {
      case 'connection_ready': return 'connected to ' + d.agent;
      case 'ack': return 'run accepted';
      case 'status':
        if (d.stage === 'session') return 'session ' + d.session_id + (d.created ? ' (new)' : '');
        if (d.stage === 'routed') return 'route: ' + d.intent + ' (confidence ' + d.confidence + ', handler ' + d.handler + ')';
        if (d.stage === 'reasoning') return 'strategy: ' + d.strategy + (d.reason ? ' - ' + d.reason : '');
        return compact(d);
      case 'progress':
        if (d.stage === 'planned') return 'plan ' + d.plan_id + ': ' + d.steps + ' step(s)';
        if (d.stage === 'step_started') return 'step ' + d.step_id + ' started: ' + (d.description || '');
        if (d.stage === 'step_finished') return 'step ' + d.step_id + ' ' + d.status + ' (' + d.tokens + ' tokens, ' + d.duration_ms + ' ms)';
        if (d.stage === 'contract') return 'contract ' + d.contract + ': ' + d.outcome + ' after ' + d.attempts + ' attempt(s)';
        if (d.stage === 'memory') return d.memories + ' memories recalled';
        return compact(d);
      case 'tool_call': return 'tool ' + d.tool + ' ' + compact(d.arguments);
      case 'tool_result': return 'tool ' + d.tool + (d.ok ? ' returned ' : ' failed: ') + compact(d.result);
      case 'approval_required': return 'waiting for approval: ' + d.tool + ' ' + compact(d.arguments);
      case 'warning': return 'warning: ' + d.message;
      case 'error': return (d.code || 'error') + ': ' + d.message;
      case 'complete': return 'complete: ' + d.status + ' (' + d.tokens_used + ' tokens, ' + d.execution_time_ms + ' ms)';
      default: return compact(d);
    }
  }

  function append(list, msg) {
    if (!list || msg.type === 'token') return;
    var li = el('li', 'ws-' + String(msg.type).replace(/_/g, '-'));
    var head = el('div', 'ev-head');
    head.appendChild(el('span', 'seq', '#' + msg.sequence + ' '));
    head.appendChild(el('span', 'type', msg.type));
    li.appendChild(head);
    li.appendChild(el('p', null, describe(msg.type, msg.data)));
    list.appendChild(li);
  }

  /**
   * Opens the run socket of an agent, sends `first` once the server is ready, and reports each message.
   * handlers: {message(msg), complete(data), failed(text)}
   */
  function run(agent, first, handlers) {
    var done = false;
    var acked = false;
    var ws = new WebSocket(wsUrl('/ws/agents/' + encodeURIComponent(agent) + '/run'));
    ws.onmessage = function (ev) {
      var msg;
      try { msg = JSON.parse(ev.data); } catch (e) { return; }
      if (handlers.message) handlers.message(msg);
      if (msg.type === 'connection_ready') ws.send(JSON.stringify(first));
      if (msg.type === 'complete') { done = true; handlers.complete(msg.data || {}); ws.close(1000, 'done'); }
      if (msg.type === 'ack') acked = true;
      // Before the ack an error means the request was refused (no run follows); after it, complete follows.
      if (msg.type === 'error' && !done && !acked) {
        done = true; handlers.failed(describe('error', msg.data)); ws.close(1000, 'done');
      }
    };
    ws.onclose = function (ev) {
      if (!done) {
        done = true;
        handlers.failed('connection closed' + (ev.reason ? ': ' + ev.reason : ' (code ' + ev.code + ')'));
      }
    };
    return ws;
  }

  function sessionLink(id) {
    var a = el('a', null, 'Open the session timeline');
    a.href = '/console/sessions/' + encodeURIComponent(id);
    return a;
  }

  return { run: run, append: append, describe: describe, el: el, sessionLink: sessionLink };
})();
