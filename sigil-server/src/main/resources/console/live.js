// Live run page: runs an agent over the WebSocket and shows the stream and the answer as they arrive.
'use strict';
(function () {
  var C = window.SigilConsole;
  var form = document.getElementById('live-form');
  if (!form) return;
  var state = document.getElementById('live-state');
  var list = document.getElementById('live-stream');
  var answer = document.getElementById('live-answer');
  var button = document.getElementById('live-start');
  form.addEventListener('submit', function (ev) {
    ev.preventDefault();
    var agent = form.elements.agent.value;
    var first = { message: form.elements.message.value };
    var session = form.elements.session_id.value.trim();
    if (session) first.session_id = session;
    list.textContent = '';
    answer.textContent = '';
    state.textContent = 'Connecting...';
    button.disabled = true;
    var sessionId = session || null;
    C.run(agent, first, {
      message: function (msg) {
        if (msg.type === 'token' && msg.data) answer.textContent += msg.data.delta;
        if (msg.type === 'status' && msg.data && msg.data.session_id) sessionId = msg.data.session_id;
        if (msg.type === 'ack') state.textContent = 'Running...';
        C.append(list, msg);
      },
      complete: function (data) {
        button.disabled = false;
        if (data.answer && !answer.textContent) answer.textContent = data.answer;
        state.textContent = 'Finished: ' + data.status + '. ';
        sessionId = data.session_id || sessionId;
        if (sessionId) {
          state.appendChild(C.sessionLink(sessionId));
          form.elements.session_id.value = sessionId;
        }
      },
      failed: function (text) {
        button.disabled = false;
        state.textContent = 'Failed: ' + text;
      }
    });
  });
})();
